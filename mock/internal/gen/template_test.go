package gen

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTemplatesRenderTheirCandidates(t *testing.T) {
	tests := []struct {
		format string
		want   []string // candidates 0, 1, ...
	}{
		{format: "member-{n:06d}", want: []string{"member-000001", "member-000002"}},
		{format: "{n}", want: []string{"1", "2"}},
		{format: "u{n}x", want: []string{"u1x", "u2x"}},
		{format: "{n:02d}", want: []string{"01", "02"}},
		{format: "{{{n}}}", want: []string{"{1}", "{2}"}},
		{format: "a{{b}}c", want: []string{"a{b}c"}},
		{format: "", want: []string{""}},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			tmpl, err := parseTemplate(tt.format)
			require.NoError(t, err)
			tmpl = tmpl.keyed(1)
			for i, want := range tt.want {
				assert.Equal(t, want, string(tmpl.appendID(nil, uint64(i))))
				got, ok := tmpl.index(want)
				assert.True(t, ok, "index(%q)", want)
				assert.Equal(t, uint64(i), got, "index(%q)", want)
			}
		})
	}
}

func TestBadTemplatesAreRefused(t *testing.T) {
	tests := []struct {
		format  string
		wantErr string
	}{
		{format: "m-{n", wantErr: `id_format: unclosed { at byte 2 of "m-{n": write {{ for a literal {`},
		{format: "m-}", wantErr: `id_format: lone } at byte 2 of "m-}": write }} for a literal }`},
		{format: "{x}", wantErr: `id_format: bad placeholder "{x}" at byte 0 of "{x}": want {n} or {n:0Wd} with 1 <= W <= 20 ({{ is a literal {)`},
		{format: "{n:6d}", wantErr: `id_format: bad placeholder "{n:6d}" at byte 0 of "{n:6d}": want {n} or {n:0Wd} with 1 <= W <= 20 ({{ is a literal {)`},
		{format: "{n:00d}", wantErr: `id_format: bad placeholder "{n:00d}" at byte 0 of "{n:00d}": want {n} or {n:0Wd} with 1 <= W <= 20 ({{ is a literal {)`},
		{format: "{n:021d}", wantErr: `id_format: bad placeholder "{n:021d}" at byte 0 of "{n:021d}": want {n} or {n:0Wd} with 1 <= W <= 20 ({{ is a literal {)`},
		{format: "{n:0-1d}", wantErr: `id_format: bad placeholder "{n:0-1d}" at byte 0 of "{n:0-1d}": want {n} or {n:0Wd} with 1 <= W <= 20 ({{ is a literal {)`},
		{format: "{n}-{n}", wantErr: `id_format: "{n}-{n}" has more than one number element ({n}, {n:0Wd} or a run of #); an id carries exactly one`},
		{format: "9###-####", wantErr: `id_format: "9###-####" has more than one number element ({n}, {n:0Wd} or a run of #); an id carries exactly one`},
		{format: "{n}#", wantErr: `id_format: "{n}#" has more than one number element ({n}, {n:0Wd} or a run of #); an id carries exactly one`},
		{format: "x###################", wantErr: `id_format: run of 19 # at byte 1 of "x###################" is too long: at most 18 digits`},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			_, err := parseTemplate(tt.format)
			require.EqualError(t, err, tt.wantErr)
		})
	}
}

func TestHashedNumbersArePermutations(t *testing.T) {
	for width := 1; width <= 5; width++ {
		tmpl, err := parseTemplate("x" + string(slices.Repeat([]byte{'#'}, width)))
		require.NoError(t, err)
		tmpl = tmpl.keyed(7)
		n := tmpl.capacity()
		seen := make([]bool, n)
		for i := range n {
			v := tmpl.permute(i)
			require.Less(t, v, n, "width %d: permute(%d) out of range", width, i)
			require.False(t, seen[v], "width %d: permute(%d) = %d twice", width, i, v)
			seen[v] = true
			require.Equal(t, i, tmpl.unpermute(v), "width %d: unpermute(permute(%d))", width, i)
		}
	}
}

func TestHashedNumbersInvertAtFullWidth(t *testing.T) {
	tmpl, err := parseTemplate("##################")
	require.NoError(t, err)
	tmpl = tmpl.keyed(99)
	for _, i := range []uint64{0, 1, 2, 12345, tmpl.capacity() / 2, tmpl.capacity() - 1} {
		v := tmpl.permute(i)
		assert.Less(t, v, tmpl.capacity())
		assert.Equal(t, i, tmpl.unpermute(v))
		id := string(tmpl.appendID(nil, i))
		assert.Len(t, id, 18)
		got, ok := tmpl.index(id)
		assert.True(t, ok)
		assert.Equal(t, i, got)
	}
}

func TestHashedNumbersShowNoGapPattern(t *testing.T) {
	// An affine map alone gives sorted numbers with at most three distinct gaps (the three-gap
	// theorem); the Feistel rounds are there to break that.
	tmpl, err := parseTemplate("#######")
	require.NoError(t, err)
	tmpl = tmpl.keyed(3)
	var v []uint64
	for i := range uint64(1000) {
		v = append(v, tmpl.permute(i))
	}
	slices.Sort(v)
	gaps := map[uint64]bool{}
	for i := 1; i < len(v); i++ {
		gaps[v[i]-v[i-1]] = true
	}
	assert.Greater(t, len(gaps), 500)
}

func TestHashedNumbersDependOnTheSeed(t *testing.T) {
	tmpl, err := parseTemplate("########")
	require.NoError(t, err)
	a, b := tmpl.keyed(1), tmpl.keyed(2)
	same := 0
	for i := range uint64(100) {
		if a.permute(i) == b.permute(i) {
			same++
		}
	}
	assert.Less(t, same, 3)
}

func TestIndexRefusesIDsTheTemplateCannotProduce(t *testing.T) {
	tests := []struct {
		format string
		id     string
	}{
		{format: "member-{n:06d}", id: "member-001"},
		{format: "member-{n:06d}", id: "member-0000001"},
		{format: "member-{n:06d}", id: "member-000000"},
		{format: "member-{n:06d}", id: "member-00000a"},
		{format: "member-{n:06d}", id: "member-+00001"},
		{format: "member-{n:06d}", id: "other-000001"},
		{format: "{n}", id: "01"},
		{format: "{n}", id: ""},
		{format: "{n}", id: "99999999999999999999999"},
		{format: "CIF-###", id: "CIF-12"},
		{format: "CIF-###", id: "CIF-1234"},
		{format: "CIF-###", id: "CIF-1a3"},
		{format: "id-{n}-x", id: "id--x"},
		{format: "admin", id: "admin2"},
	}
	for _, tt := range tests {
		t.Run(tt.format+" "+tt.id, func(t *testing.T) {
			tmpl, err := parseTemplate(tt.format)
			require.NoError(t, err)
			_, ok := tmpl.keyed(5).index(tt.id)
			assert.False(t, ok)
		})
	}
}
