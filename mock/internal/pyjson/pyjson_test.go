package pyjson

import (
	"bytes"
	"encoding/json"
	"math"
	"math/big"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stringCases pairs inputs with the bytes CPython 3.11 writes for
// json.dumps(s, ensure_ascii=False, separators=(",", ":")).encode(). The expectations were
// produced by python3 and are committed so the test needs no interpreter; pythonCrossCheck
// re-derives them where python3 exists.
var stringCases = []struct {
	name string
	in   string
	want string
}{
	{"empty", "", `""`},
	{"plain", "plain", `"plain"`},
	{"quote", `"`, `"\""`},
	{"backslash", `\`, `"\\"`},
	{"solidus stays raw", "/", `"/"`},
	{"short escapes", "\b\f\n\r\t", `"\b\f\n\r\t"`},
	{"NUL", "\x00", `"\u0000"`},
	{"low controls use lowercase hex", "\x01\x1f", `"\u0001\u001f"`},
	{"VT and ESC have no short form", "\x0b\x1b", `"\u000b\u001b"`},
	{"DEL stays raw", "\x7f", "\"\x7f\""},
	{"no HTML escaping", "<script>&'", `"<script>&'"`},
	{"line and paragraph separators stay raw", "\u2028\u2029", "\"\u2028\u2029\""},
	{"non-ASCII raw", "é€😀", `"é€😀"`},
	{"replacement char raw", "\uFFFD", "\"\uFFFD\""},
	{"BOM raw", "\uFEFF", "\"\uFEFF\""},
	{"C1 controls raw", "\u0080\u0085\u00a0", "\"\u0080\u0085\u00a0\""},
	{"mixed", "a\"b\\c\nd", `"a\"b\\c\nd"`},
	{"escape at the end", "tab\tend\x1f", `"tab\tend\u001f"`},
	{"CJK", "日本語テキスト", `"日本語テキスト"`},
	{"max code point", "\U0010FFFF", "\"\U0010FFFF\""},
	{"long run then escape", strings.Repeat("x", 100) + "\n", `"` + strings.Repeat("x", 100) + `\n"`},
}

// invalidCases cover bytes a Python str cannot hold; they follow Go's per-byte decoding.
var invalidCases = []struct {
	name string
	in   string
	want string
}{
	{"lone continuation", "\x80", "\"\uFFFD\""},
	{"0xFF", "a\xffb", "\"a\uFFFDb\""},
	{"truncated sequence", "a\xc3", "\"a\uFFFD\""},
	{"truncated three-byte, one per byte", "\xe2\x82", "\"\uFFFD\uFFFD\""},
	{"encoded surrogate", "\xed\xa0\x80", "\"\uFFFD\uFFFD\uFFFD\""},
	{"overlong slash", "\xc0\xaf", "\"\uFFFD\uFFFD\""},
	{"invalid next to escape", "\xff\n", "\"\uFFFD\\n\""},
}

func TestAppendString(t *testing.T) {
	for _, tc := range append(stringCases[:len(stringCases):len(stringCases)], invalidCases...) {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, string(AppendString(nil, tc.in)))
		})
	}
}

func TestAppendStringAppends(t *testing.T) {
	b := []byte(`{"k":`)
	b = AppendString(b, "v\n")
	b = append(b, '}')
	assert.Equal(t, `{"k":"v\n"}`, string(b))
}

func TestAppendStringAllControlChars(t *testing.T) {
	// Every byte below 0x20 has exactly one rendering; spell out the rule rather than the table.
	short := map[byte]string{'\b': `\b`, '\t': `\t`, '\n': `\n`, '\f': `\f`, '\r': `\r`}
	for c := byte(0); c < 0x20; c++ {
		want, ok := short[c]
		if !ok {
			want = `\u00` + string("0123456789abcdef"[c>>4]) + string("0123456789abcdef"[c&0xf])
		}
		assert.Equal(t, `"`+want+`"`, string(AppendString(nil, string([]byte{c}))), "byte %#x", c)
	}
}

func TestAppendStringDoesNotAllocate(t *testing.T) {
	buf := make([]byte, 0, 256)
	s := "héllo \"wörld\"\n\x01 😀"
	allocs := testing.AllocsPerRun(100, func() {
		buf = AppendString(buf[:0], s)
	})
	assert.Zero(t, allocs)
}

func TestAppendInt(t *testing.T) {
	cases := []struct {
		in   int64
		want string
	}{
		{0, "0"},
		{1, "1"},
		{-1, "-1"},
		{1234567890, "1234567890"},
		{math.MaxInt64, "9223372036854775807"},
		{math.MinInt64, "-9223372036854775808"},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, string(AppendInt(nil, tc.in)))
	}
	assert.Equal(t, "18446744073709551615", string(AppendUint(nil, math.MaxUint64)))

	b := AppendInt([]byte("["), 1)
	b = append(b, ',')
	b = AppendInt(b, -2)
	assert.Equal(t, "[1,-2]", string(append(b, ']')))
}

func pow10(n int) *big.Int {
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
}

func TestAppendBigInt(t *testing.T) {
	nines := new(big.Int).Sub(pow10(MaxIntDigits), big.NewInt(1)) // 4300 digits: the largest allowed
	twoTo := func(n uint) *big.Int { return new(big.Int).Lsh(big.NewInt(1), n) }

	cases := []struct {
		name    string
		in      *big.Int
		want    string
		wantErr bool
	}{
		{"nil is None", nil, "null", false},
		{"zero", big.NewInt(0), "0", false},
		{"negative", big.NewInt(-42), "-42", false},
		{"2**64", twoTo(64), "18446744073709551616", false},
		{"-2**63-1", new(big.Int).Sub(big.NewInt(math.MinInt64), big.NewInt(1)), "-9223372036854775809", false},
		{"10**4300-1 has 4300 digits", nines, strings.Repeat("9", 4300), false},
		{"sign is not a digit", new(big.Int).Neg(nines), "-" + strings.Repeat("9", 4300), false},
		{"2**14284 has 4300 digits and needs counting", twoTo(14284), twoTo(14284).String(), false},
		{"10**4300 has 4301 digits", pow10(MaxIntDigits), "", true},
		{"-10**4300", new(big.Int).Neg(pow10(MaxIntDigits)), "", true},
		{"2**14285 rejected before conversion", twoTo(14285), "", true},
		{"huge", twoTo(1 << 20), "", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			prefix := []byte(`{"n":`)
			got, err := AppendBigInt(prefix, tc.in)
			if tc.wantErr {
				require.ErrorIs(t, err, ErrIntTooLarge)
				assert.Equal(t, `{"n":`, string(got), "b must come back unchanged")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, `{"n":`+tc.want, string(got))
		})
	}
	assert.Len(t, twoTo(14284).String(), 4300, "boundary case must sit exactly at the limit")
}

// FuzzAppendString checks AppendString against encoding/json for valid UTF-8: with HTML
// escaping off, Go differs from CPython only by escaping U+2028 and U+2029.
func FuzzAppendString(f *testing.F) {
	for _, tc := range stringCases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := AppendString(nil, s)
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(s); err != nil {
			t.Fatal(err)
		}
		goJSON := strings.TrimSuffix(want.String(), "\n")
		goJSON = strings.NewReplacer(`\u2028`, "\u2028", `\u2029`, "\u2029", `\ufffd`, "\uFFFD").Replace(goJSON)
		if string(got) != goJSON {
			t.Fatalf("AppendString(%q) = %q, encoding/json gives %q", s, got, goJSON)
		}
	})
}

// TestAgainstPython re-derives the committed expectations from the interpreter the service runs
// on, so a change in CPython's rules shows up here. It is skipped where python3 is absent.
func TestAgainstPython(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not installed")
	}
	if testing.Short() {
		t.Skip("spawns python3")
	}
	inputs := make([]string, len(stringCases))
	for i, tc := range stringCases {
		inputs[i] = tc.in
	}
	in, err := json.Marshal(inputs)
	require.NoError(t, err)
	const script = `import json, sys
for s in json.load(sys.stdin):
    sys.stdout.buffer.write(json.dumps(s, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":")).encode() + b"\n")
sys.stdout.buffer.write(json.dumps(-(10**4300 - 1)).encode() + b"\n")
`
	cmd := exec.Command(py, "-c", script)
	cmd.Stdin = bytes.NewReader(in)
	out, err := cmd.Output()
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	require.Len(t, lines, len(stringCases)+1)
	for i, tc := range stringCases {
		assert.Equal(t, lines[i], tc.want, "python disagrees with the committed expectation for %s", tc.name)
		assert.Equal(t, lines[i], string(AppendString(nil, tc.in)), tc.name)
	}
	nines := new(big.Int).Sub(pow10(MaxIntDigits), big.NewInt(1))
	got, err := AppendBigInt(nil, nines.Neg(nines))
	require.NoError(t, err)
	assert.Equal(t, lines[len(stringCases)], string(got))
}

func BenchmarkAppendStringASCII(b *testing.B) {
	buf := make([]byte, 0, 256)
	s := "usr_01HZX3K9Q4 some ordinary ascii text of moderate length"
	b.ReportAllocs()
	for b.Loop() {
		buf = AppendString(buf[:0], s)
	}
}

func BenchmarkAppendStringMixed(b *testing.B) {
	buf := make([]byte, 0, 256)
	s := "Zoë \"Ünïcode\" Müller\n\tline 2 — 😀 \x01"
	b.ReportAllocs()
	for b.Loop() {
		buf = AppendString(buf[:0], s)
	}
}
