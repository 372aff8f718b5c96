package qs

import (
	"encoding/hex"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// parseCases hold raw query bytes and what CPython 3.11 returns for
// parse_qsl(raw.decode("latin-1"), keep_blank_values=True). The expectations were produced by
// python3 and committed; TestAgainstPython re-derives them where python3 exists.
var parseCases = []struct {
	name string
	raw  string
	want []Pair
}{
	{"empty", "", nil},
	{"ordinary", "a=1&b=2", []Pair{{"a", "1"}, {"b", "2"}}},
	{"repeated keys keep order", "a=1&b=2&a=3", []Pair{{"a", "1"}, {"b", "2"}, {"a", "3"}}},
	{"no equals means empty value", "a&b=", []Pair{{"a", ""}, {"b", ""}}},
	{"empty key", "=x", []Pair{{"", "x"}}},
	{"empty pieces skipped", "&&", nil},
	{"empty pieces between pairs", "&a=1&&b=2&", []Pair{{"a", "1"}, {"b", "2"}}},
	{"only equals", "=", []Pair{{"", ""}}},
	{"second equals belongs to value", "a=b=c", []Pair{{"a", "b=c"}}},
	{"plus is space", "q=a+b&+k+=+", []Pair{{"q", "a b"}, {" k ", " "}}},
	{"percent-20 is space", "q=a%20b", []Pair{{"q", "a b"}}},
	{"percent-2B is a literal plus", "q=a%2Bb", []Pair{{"q", "a+b"}}},
	{"encoded ampersand and equals", "q=%26%3D&r=1", []Pair{{"q", "&="}, {"r", "1"}}},
	{"malformed escape kept", "q=%zz", []Pair{{"q", "%zz"}}},
	{"trailing percent", "q=%", []Pair{{"q", "%"}}},
	{"trailing half escape", "q=%4", []Pair{{"q", "%4"}}},
	{"escape at end", "q=%41", []Pair{{"q", "A"}}},
	{"lowercase hex", "q=%c3%a9", []Pair{{"q", "é"}}},
	{"double percent", "q=%%41", []Pair{{"q", "%A"}}},
	{"plus inside an escape is already a space", "q=%+41", []Pair{{"q", "% 41"}}},
	{"utf-8 escape", "q=%C3%A9", []Pair{{"q", "é"}}},
	{"four-byte escape", "q=%F0%9F%98%80", []Pair{{"q", "😀"}}},
	{"raw utf-8 becomes latin-1 mojibake", "q=\xc3\xa9", []Pair{{"q", "Ã©"}}},
	{"raw emoji mojibake", "q=\xf0\x9f\x98\x80", []Pair{{"q", "ð\u009F\u0098\u0080"}}},
	{"raw byte and escape do not combine", "q=%C3\xa9", []Pair{{"q", "\uFFFD©"}}},
	{"escape split by raw bytes", "q=%C3\xc3\xa9%A9", []Pair{{"q", "\uFFFDÃ©\uFFFD"}}},
	{"lone C3 escape", "q=%C3", []Pair{{"q", "\uFFFD"}}},
	{"truncated three-byte escape is one U+FFFD", "q=%E2%82", []Pair{{"q", "\uFFFD"}}},
	{"truncated then ascii", "q=%E2%82x", []Pair{{"q", "\uFFFDx"}}},
	{"FF FE", "q=%FF%FE", []Pair{{"q", "\uFFFD\uFFFD"}}},
	{"encoded surrogate", "q=%ED%A0%80", []Pair{{"q", "\uFFFD\uFFFD\uFFFD"}}},
	{"overlong", "q=%C0%AF", []Pair{{"q", "\uFFFD\uFFFD"}}},
	{"E0 80 is cut at the second byte", "q=%E0%80%80", []Pair{{"q", "\uFFFD\uFFFD\uFFFD"}}},
	{"above U+10FFFF", "q=%F4%90%80%80", []Pair{{"q", "\uFFFD\uFFFD\uFFFD\uFFFD"}}},
	{"truncated four-byte is one U+FFFD", "q=%F0%9F%98", []Pair{{"q", "\uFFFD"}}},
	{"continuation run", "q=%80%80", []Pair{{"q", "\uFFFD\uFFFD"}}},
	{"semicolon is not a separator", "a=1;b=2", []Pair{{"a", "1;b=2"}}},
	{"NUL escape", "q=%00", []Pair{{"q", "\x00"}}},
	{"control bytes raw", "q=\x01\x7f", []Pair{{"q", "\x01\x7f"}}},
	{"key needs decoding too", "%6Bey+1=v", []Pair{{"key 1", "v"}}},
	{"utf-8 key", "%C3%A9t%C3%A9=summer", []Pair{{"été", "summer"}}},
	{"hash is data", "a=1#frag", []Pair{{"a", "1#frag"}}},
	{"valid escape then invalid one", "q=%C3%A9%C3", []Pair{{"q", "é\uFFFD"}}},
	{"long invalid run", "q=" + strings.Repeat("%FF", 40), []Pair{{"q", strings.Repeat("\uFFFD", 40)}}},
}

func TestParse(t *testing.T) {
	for _, tc := range parseCases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, Parse(tc.raw))
		})
	}
}

func TestParseOutputIsValidUTF8(t *testing.T) {
	for _, tc := range parseCases {
		for _, p := range Parse(tc.raw) {
			assert.True(t, utf8.ValidString(p.Key) && utf8.ValidString(p.Value), tc.name)
		}
	}
}

func TestParseAllocations(t *testing.T) {
	plain := "limit=10&offset=20&sort=name&order=asc"
	allocs := testing.AllocsPerRun(100, func() { _ = Parse(plain) })
	assert.Equal(t, 1.0, allocs, "plain query: only the pair slice")

	escaped := "q=caf%C3%A9+au+lait&limit=10"
	allocs = testing.AllocsPerRun(100, func() { _ = Parse(escaped) })
	assert.LessOrEqual(t, allocs, 3.0, "pair slice, scratch buffer and one string")
}

func TestLast(t *testing.T) {
	pairs := Parse("a=1&b=2&a=3&c")
	cases := []struct {
		key    string
		want   string
		wantOK bool
	}{
		{"a", "3", true},
		{"b", "2", true},
		{"c", "", true},
		{"d", "", false},
		{"A", "", false},
	}
	for _, tc := range cases {
		got, ok := Last(pairs, tc.key)
		assert.Equal(t, tc.wantOK, ok, tc.key)
		assert.Equal(t, tc.want, got, tc.key)
	}
	_, ok := Last(nil, "a")
	assert.False(t, ok)
}

func TestUnquote(t *testing.T) {
	cases := []struct {
		in, want string
	}{
		{"", ""},
		{"/plain/path", "/plain/path"},
		{"a+b", "a+b"},
		{"/a%20b/%2F", "/a b//"},
		{"/caf%C3%A9", "/café"},
		{"/%E2%82", "/\uFFFD"},
		{"/%zz%", "/%zz%"},
		{"\xe9", "é"},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, Unquote(tc.in), "%q", tc.in)
	}
}

// TestAppendPyUTF8 pins CPython's maximal-subpart replacement on the decoder directly, for the
// sequences where it differs from Go's one-U+FFFD-per-byte.
func TestAppendPyUTF8(t *testing.T) {
	cases := []struct {
		in, want string
	}{
		{"", ""},
		{"abc", "abc"},
		{"é€😀", "é€😀"},
		{"\xc3", "\uFFFD"},
		{"\xe2\x82", "\uFFFD"},
		{"\xe2\x82x", "\uFFFDx"},
		{"\xf0\x9f\x98", "\uFFFD"},
		{"\xf0\x9f\x98x\xf0\x9f\x98\x80", "\uFFFDx😀"},
		{"\xe0\x80", "\uFFFD\uFFFD"},
		{"\xe0\xa0", "\uFFFD"},
		{"\xed\xa0\x80", "\uFFFD\uFFFD\uFFFD"},
		{"\xed\x9f\xbf", "\ud7ff"},
		{"\xf0\x80\x80\x80", "\uFFFD\uFFFD\uFFFD\uFFFD"},
		{"\xf4\x8f\xbf\xbf", "\U0010FFFF"},
		{"\xf4\x90\x80\x80", "\uFFFD\uFFFD\uFFFD\uFFFD"},
		{"\xf5\x80", "\uFFFD\uFFFD"},
		{"\xc0\xaf", "\uFFFD\uFFFD"},
		{"\xc2\xc2\xa9", "\uFFFD©"},
		{"\xff\xfe", "\uFFFD\uFFFD"},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, string(appendPyUTF8(nil, []byte(tc.in))), "%q", tc.in)
	}
}

// FuzzAppendPyUTF8 checks invariants that hold for any input: the output is valid UTF-8,
// valid input is untouched, and the output is what Go's decoder gives once runs of U+FFFD
// are collapsed (each CPython U+FFFD covers one or more of Go's).
func FuzzAppendPyUTF8(f *testing.F) {
	f.Add([]byte("\xe2\x82x"))
	f.Add([]byte("\xf0\x9f\x98\x80\xed\xa0\x80"))
	f.Fuzz(func(t *testing.T, p []byte) {
		got := appendPyUTF8(nil, p)
		if !utf8.Valid(got) {
			t.Fatalf("invalid output %q", got)
		}
		if utf8.Valid(p) && string(got) != string(p) {
			t.Fatalf("valid input %q changed to %q", p, got)
		}
		if collapse(string(got)) != collapse(strings.ToValidUTF8(string(p), "\uFFFD")) {
			t.Fatalf("%q: got %q, Go gives %q", p, got, strings.ToValidUTF8(string(p), "\uFFFD"))
		}
	})
}

func collapse(s string) string {
	for strings.Contains(s, "\uFFFD\uFFFD") {
		s = strings.ReplaceAll(s, "\uFFFD\uFFFD", "\uFFFD")
	}
	return s
}

// redirectCases hold what Starlette's redirect_slashes puts in Location, computed with
// python3 as quote(f"{scheme}://{host.decode('latin-1')}{path}" + "?" + query.decode(),
// safe=":/%#?=@[]!$&'()*+,;").
var redirectCases = []struct {
	name, scheme, host, path, query, want string
}{
	{"plain", "http", "api.example.com", "/v1/users/", "", "http://api.example.com/v1/users/"},
	{"https with port", "https", "api.example.com:8443", "/v1/users", "", "https://api.example.com:8443/v1/users"},
	{"query kept verbatim", "http", "h", "/v1/users/", "limit=10&offset=0", "http://h/v1/users/?limit=10&offset=0"},
	{"space in path", "http", "h", "/a b/", "", "http://h/a%20b/"},
	{"non-ASCII path", "http", "h", "/café/日本/", "", "http://h/caf%C3%A9/%E6%97%A5%E6%9C%AC/"},
	{"emoji path", "http", "h", "/😀/", "", "http://h/%F0%9F%98%80/"},
	{"decoded percent in path is not re-escaped", "http", "h", "/100%/", "", "http://h/100%/"},
	{"existing escapes in query survive", "http", "h", "/a/", "q=a%20b&r=%2F", "http://h/a/?q=a%20b&r=%2F"},
	{"query space and non-ASCII", "http", "h", "/a/", "q=a b&n=café", "http://h/a/?q=a%20b&n=caf%C3%A9"},
	{"query with plus and reserved", "http", "h", "/a/", "q=a+b&x=[1]&y=(2)*;!$'@:,", "http://h/a/?q=a+b&x=[1]&y=(2)*;!$'@:,"},
	{"escaped chars", "http", "h", "/a\"<>\\^`{|}/", "q=\"<>\\^`{|}", "http://h/a%22%3C%3E%5C%5E%60%7B%7C%7D/?q=%22%3C%3E%5C%5E%60%7B%7C%7D"},
	{"decoded hash in path stays raw", "http", "h", "/a#b/", "x=1#y", "http://h/a#b/?x=1#y"},
	{"control chars", "http", "h", "/a\tb\x7f/", "q=\x01", "http://h/a%09b%7F/?q=%01"},
	{"unreserved", "http", "h", "/AZaz09_.-~/", "", "http://h/AZaz09_.-~/"},
	{"latin-1 host byte", "http", "h\xe9st", "/a/", "", "http://h%C3%A9st/a/"},
	{"userinfo and ipv6 host", "http", "u:p@[::1]:8000", "/a/", "", "http://u:p@[::1]:8000/a/"},
	{"host with space", "http", "bad host", "/a/", "", "http://bad%20host/a/"},
	{"replacement char in path", "http", "h", "/\uFFFD/", "", "http://h/%EF%BF%BD/"},
}

func TestRedirectLocation(t *testing.T) {
	for _, tc := range redirectCases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := RedirectLocation(tc.scheme, tc.host, tc.path, tc.query)
			require.True(t, ok)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestRedirectLocationInvalid(t *testing.T) {
	// query_string.decode() is strict UTF-8: Starlette raises instead of redirecting.
	for _, q := range []string{"q=\xff", "q=\xc3", "q=\xed\xa0\x80", "q=\xc0\xaf"} {
		got, ok := RedirectLocation("http", "h", "/a/", q)
		assert.False(t, ok, "%q", q)
		assert.Empty(t, got)
	}
	// A path is a decoded Python str and cannot hold raw bytes; they are taken as U+FFFD.
	got, ok := RedirectLocation("http", "h", "/a\xff/", "")
	require.True(t, ok)
	assert.Equal(t, "http://h/a%EF%BF%BD/", got)
}

// TestAgainstPython re-derives both committed tables from the interpreter the service runs
// on. It is skipped where python3 is absent.
func TestAgainstPython(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not installed")
	}
	if testing.Short() {
		t.Skip("spawns python3")
	}
	type redirectIn struct{ Scheme, Host, Path, Query string }
	var input struct {
		Parse    []string
		Redirect []redirectIn
	}
	for _, tc := range parseCases {
		input.Parse = append(input.Parse, hex.EncodeToString([]byte(tc.raw)))
	}
	for _, tc := range redirectCases {
		input.Redirect = append(input.Redirect, redirectIn{
			tc.scheme, hex.EncodeToString([]byte(tc.host)), tc.path, hex.EncodeToString([]byte(tc.query)),
		})
	}
	in, err := json.Marshal(input)
	require.NoError(t, err)
	const script = `import json, sys
from urllib.parse import parse_qsl, quote
data = json.load(sys.stdin)
out = {"Parse": [], "Redirect": []}
for raw in data["Parse"]:
    out["Parse"].append(parse_qsl(bytes.fromhex(raw).decode("latin-1"), keep_blank_values=True))
for r in data["Redirect"]:
    url = f"{r['Scheme']}://{bytes.fromhex(r['Host']).decode('latin-1')}{r['Path']}"
    q = bytes.fromhex(r["Query"])
    if q:
        url += "?" + q.decode()
    out["Redirect"].append(quote(str(url), safe=":/%#?=@[]!$&'()*+,;"))
json.dump(out, sys.stdout)
`
	cmd := exec.Command(py, "-c", script)
	cmd.Stdin = strings.NewReader(string(in))
	raw, err := cmd.Output()
	require.NoError(t, err)
	var out struct {
		Parse    [][][2]string
		Redirect []string
	}
	require.NoError(t, json.Unmarshal(raw, &out))
	require.Len(t, out.Parse, len(parseCases))
	require.Len(t, out.Redirect, len(redirectCases))
	for i, tc := range parseCases {
		var want []Pair
		for _, kv := range out.Parse[i] {
			want = append(want, Pair{kv[0], kv[1]})
		}
		assert.Equal(t, want, tc.want, "python disagrees with the committed expectation for %s", tc.name)
		assert.Equal(t, want, Parse(tc.raw), tc.name)
	}
	for i, tc := range redirectCases {
		assert.Equal(t, out.Redirect[i], tc.want, "python disagrees with the committed expectation for %s", tc.name)
	}
}

func BenchmarkParsePlain(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = Parse("limit=10&offset=20&sort=name&order=asc")
	}
}

func BenchmarkParseEscaped(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = Parse("q=caf%C3%A9+au+lait&tag=%E2%82&limit=10")
	}
}

func BenchmarkRedirectLocation(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_, _ = RedirectLocation("https", "api.example.com", "/v1/users/", "limit=10&q=caf%C3%A9")
	}
}
