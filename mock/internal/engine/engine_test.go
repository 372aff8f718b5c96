package engine

import (
	"cmp"
	"fmt"
	"hash/maphash"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/mock/internal/query"
)

// testRecord is a record of the oracle tests' synthetic resource: two columns that change at
// an instant, one that never does, and a group key.
type testRecord struct {
	id    string
	time  int64
	cells [3]Cell
	group int32
}

type testSource struct {
	recs   []testRecord
	ids    IDTable
	seed   maphash.Seed
	groups int
}

func (s *testSource) Len() int                   { return len(s.recs) }
func (s *testSource) Time(i int32) int64         { return s.recs[i].time }
func (s *testSource) Cell(i int32, c int) Cell   { return s.recs[i].cells[c] }
func (s *testSource) Group(i int32, _ int) int32 { return s.recs[i].group }
func (s *testSource) Groups(int) int             { return s.groups }
func (s *testSource) ID(i int32) string          { return s.recs[i].id }
func (s *testSource) CompareID(i, j int32) int   { return strings.Compare(s.recs[i].id, s.recs[j].id) }
func (s *testSource) IDOrder() []int32 {
	cp := CommonPrefix(len(s.recs), func(i int32) string { return s.recs[i].id })
	return SortByKey(len(s.recs), func(i int32) uint64 { return StringKey(s.recs[i].id, cp) }, s.CompareID)
}
func (s *testSource) Position(id string) (int32, bool) {
	return s.ids.Find(maphash.String(s.seed, id), func(i int32) bool { return s.recs[i].id == id })
}
func (s *testSource) GroupOf(_ int, v string) (int32, bool) {
	var g int32
	if _, err := fmt.Sscanf(v, "g%d", &g); err != nil || g < 0 || int(g) >= s.groups {
		return 0, false
	}
	return g, true
}

var testSchema = Schema{
	Columns: []query.Column{
		{Name: "a", Values: []string{"x", "pending", "y", "z"}},
		{Name: "b", Values: []string{"pending", "done", "failed"}},
		{Name: "c", Values: []string{"p", "q"}},
	},
	Groups:   []string{"owner"},
	Rankings: []query.Ranking{{Name: "time"}, {Name: "id", ByID: true}},
}

// randomSource builds n records with many time ties (so the id tie-break matters), ids of
// different lengths sharing long prefixes (the radix sort's tie-breaks), and changes spread
// over the same span as the time keys.
func randomSource(n int, seed uint64) *testSource {
	r := rand.New(rand.NewPCG(seed, 1))
	s := &testSource{recs: make([]testRecord, n), seed: maphash.MakeSeed(), groups: max(1, n/5)}
	span := int64(n/4 + 1)
	for i := range s.recs {
		rec := &s.recs[i]
		rec.id = fmt.Sprintf("u%05d-%d", r.IntN(10*n), i)
		if i%7 == 0 {
			rec.id = fmt.Sprintf("record-with-a-long-shared-prefix-%d", i)
		}
		rec.time = r.Int64N(span)
		if r.IntN(3) > 0 { // column a: absent for a third
			final := uint8(1 + []int{0, 2, 3}[r.IntN(3)])
			if r.IntN(2) == 0 {
				rec.cells[0] = Cell{Before: 2, After: final, At: rec.time + r.Int64N(span)}
			} else {
				rec.cells[0] = Static(final)
			}
		}
		rec.cells[1] = Cell{Before: 1, After: uint8(2 + r.IntN(2)), At: rec.time + r.Int64N(span/3+1)}
		rec.cells[2] = Static(uint8(1 + r.IntN(2)))
		rec.group = int32(r.IntN(s.groups))
	}
	var ok bool
	s.ids, _, _, ok = NewIDTable(n, func(i int32) uint64 { return maphash.String(s.seed, s.recs[i].id) },
		func(i, j int32) bool { return s.recs[i].id == s.recs[j].id })
	if !ok {
		panic("duplicate id")
	}
	return s
}

// oracle answers q by brute force: match everything, sort with an explicit comparator, slice.
func oracle(s *testSource, q *query.Query) (int, []int32) {
	return bruteForce(s, func(int32) bool { return true }, q)
}

// bruteForce answers q over the records of src that exist says exist, by brute force.
func bruteForce(src Source, exist func(int32) bool, q *query.Query) (int, []int32) {
	var matched []int32
	for i := range int32(src.Len()) {
		if exist(i) && match(src, i, q) {
			matched = append(matched, i)
		}
	}
	slices.SortFunc(matched, func(a, b int32) int {
		c := 0
		if q.Ranking == 0 {
			c = cmp.Compare(src.Time(a), src.Time(b))
		}
		if c == 0 {
			c = src.CompareID(a, b)
		}
		if q.Desc {
			c = -c
		}
		return c
	})
	var page []int32
	if q.Offset < int64(len(matched)) && q.Limit > 0 {
		page = matched[q.Offset:min(int64(len(matched)), q.Offset+int64(q.Limit))]
	}
	return len(matched), page
}

func randomQuery(r *rand.Rand, s *testSource, at int64) query.Query {
	n := len(s.recs)
	q := query.Query{At: at, Ranking: r.IntN(2), Desc: r.IntN(2) == 0, Limit: 1 + r.IntN(30), Offset: int64(r.IntN(40))}
	if r.IntN(4) == 0 {
		q.Offset = r.Int64N(int64(n) + 10) // deep pages, up to and past the end
	}
	for c, col := range testSchema.Columns {
		switch r.IntN(4) {
		case 0:
			q.Conds = append(q.Conds, query.Cond{Column: c, Value: r.IntN(len(col.Values))})
		case 1:
			q.Conds = append(q.Conds, query.Cond{Column: c, Value: query.Present})
		}
	}
	if r.IntN(3) == 0 {
		v := r.Int64N(int64(n/4 + 2))
		q.From = &v
	}
	if r.IntN(3) == 0 {
		v := r.Int64N(int64(n/4 + 2))
		q.Before = &v
	}
	switch r.IntN(10) {
	case 0:
		id := "no-such-id"
		if n > 0 {
			id = s.recs[r.IntN(n)].id
		}
		q.ID = &id
	case 1:
		q.Groups = []query.Group{{Value: fmt.Sprintf("g%d", r.IntN(s.groups))}}
	}
	return q
}

func TestFindAgreesWithBruteForceAtEveryInstant(t *testing.T) {
	for _, n := range []int{0, 1, 2, 63, 64, 65, 700, 5000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			s := randomSource(n, uint64(n))
			tab, err := New(testSchema, s)
			require.NoError(t, err)
			r := rand.New(rand.NewPCG(uint64(n), 2))
			span := int64(n/4 + 1)
			for i := range 600 {
				// Instants before, inside and after the changes, revisited so snapshots are built,
				// reused and patched in both directions.
				at := r.Int64N(3*span) - span/2
				if i%5 == 0 {
					at = span / 2
				}
				q := randomQuery(r, s, at)
				wantTotal, wantPage := oracle(s, &q)
				total, page := tab.Find(&q, nil)
				require.Equal(t, wantTotal, total, "query %+v", q)
				require.Equal(t, wantPage, page, "query %+v", q)
			}
		})
	}
}

func TestAscendingIsTheReverseOfDescending(t *testing.T) {
	s := randomSource(3000, 9)
	tab, err := New(testSchema, s)
	require.NoError(t, err)
	for rk := range 2 {
		for _, at := range []int64{-1, 200, 400, 10_000} {
			asc := query.Query{At: at, Ranking: rk, Limit: 5000}
			desc := asc
			desc.Desc = true
			ta, pa := tab.Find(&asc, nil)
			td, pd := tab.Find(&desc, nil)
			require.Equal(t, ta, td)
			slices.Reverse(pd)
			assert.Equal(t, pa, pd)
		}
	}
}

func TestDuplicateIDsAreRefused(t *testing.T) {
	s := randomSource(10, 1)
	s.recs[3].id = s.recs[7].id
	_, err := New(testSchema, s)
	assert.ErrorContains(t, err, "share an id")
}

func TestWarmBuildsTheSnapshotQueriesUse(t *testing.T) {
	s := randomSource(2000, 4)
	tab, err := New(testSchema, s)
	require.NoError(t, err)
	tab.Warm(250)
	col := tab.rankings[0].cols[1]
	snap := col.snap.Load()
	require.NotNil(t, snap)
	q := query.Query{At: 250, Conds: []query.Cond{{Column: 1, Value: 0}}, Limit: 10}
	wantTotal, _ := oracle(s, &q)
	total, _ := tab.Find(&q, nil)
	assert.Equal(t, wantTotal, total)
	assert.Same(t, snap, col.snap.Load(), "a query at the warmed instant reuses its snapshot")
}
