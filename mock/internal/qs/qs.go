// Package qs reproduces what Starlette (as run by FastAPI under uvicorn) does with a raw query
// string and with the Location of its redirect_slashes redirect, byte for byte, including the
// corner cases where CPython's urllib.parse differs from Go's net/url: the latin-1 view of raw
// bytes, malformed escapes kept literally, and CPython's UTF-8 error replacement.
package qs

import (
	"strings"
	"unicode/utf8"
)

// Pair is one query parameter in request order, as decoded by Starlette.
type Pair struct {
	Key, Value string
}

// Parse decodes rawQuery (the bytes after '?', as they arrived) the way Starlette builds
// request.query_params: QueryParams(scope["query_string"]) is
// urllib.parse.parse_qsl(query_string.decode("latin-1"), keep_blank_values=True).
//
// That means: the query is split on '&' only (';' has not been a separator since Python 3.10),
// empty pieces are skipped, a piece without '=' is a key with an empty value, the piece is cut
// at its first '=', '+' becomes a space, and each side then goes through Unquote. The result is
// in request order and nil when there are no pairs.
func Parse(rawQuery string) []Pair {
	if rawQuery == "" {
		return nil
	}
	var pairs []Pair
	var scratch []byte // shared by every component that needs decoding; see decodeComponent
	for rest := rawQuery; ; {
		piece, tail, more := strings.Cut(rest, "&")
		if piece != "" {
			if pairs == nil {
				pairs = make([]Pair, 0, strings.Count(rest, "&")+1)
			}
			k, v, _ := strings.Cut(piece, "=")
			var p Pair
			p.Key, scratch = decodeComponent(k, scratch)
			p.Value, scratch = decodeComponent(v, scratch)
			pairs = append(pairs, p)
		}
		if !more {
			return pairs
		}
		rest = tail
	}
}

// decodeComponent is unquote_plus on one key or value. It returns s itself when nothing would
// change, so ordinary queries cost no allocation beyond the pair slice.
func decodeComponent(s string, scratch []byte) (string, []byte) {
	if !needsDecoding(s, true) {
		return s, scratch
	}
	// The decoded form is at most twice as long (a raw byte >= 0x80 becomes two bytes, an
	// escape never grows), so one buffer of that size serves this and most later components.
	if cap(scratch) < 2*len(s) {
		scratch = make([]byte, 0, max(2*len(s), 64))
	}
	scratch = appendUnquote(scratch[:0], s, true)
	return string(scratch), scratch
}

// needsDecoding reports whether unquote (with plus, unquote_plus) could change s: only '%',
// '+' and the bytes at or above 0x80, which latin-1 decoding turns into two-byte UTF-8.
func needsDecoding(s string, plus bool) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' || c >= utf8.RuneSelf || (plus && c == '+') {
			return true
		}
	}
	return false
}

// Last returns the value of the last pair named key. FastAPI reads a scalar query parameter
// through QueryParams.__getitem__, whose dict was built by assigning pairs in order, so the
// last occurrence of a repeated key wins.
func Last(pairs []Pair, key string) (string, bool) {
	for i := len(pairs) - 1; i >= 0; i-- {
		if pairs[i].Key == key {
			return pairs[i].Value, true
		}
	}
	return "", false
}

// Unquote is urllib.parse.unquote(s.decode("latin-1")) with the default encoding="utf-8" and
// errors="replace", returned as UTF-8. Each byte of s at or above 0x80 stands for the code
// point of the same value (latin-1) and is kept as that character, never percent-decoded or
// combined with its neighbours. Within each run of ASCII bytes, every '%' followed by two hex
// digits becomes that byte, any other '%' stays literal ("%zz", a trailing "%4"), and the run's
// bytes are then decoded as UTF-8 the way CPython does it: each maximal subpart of an invalid
// sequence becomes one U+FFFD, so "%E2%82" yields one U+FFFD where Go's decoder yields two.
//
// For ASCII input, such as the path uvicorn decodes with
// urllib.parse.unquote(raw_path.decode("ascii")), this is exactly CPython's unquote.
func Unquote(s string) string {
	if !needsDecoding(s, false) {
		return s
	}
	return string(appendUnquote(nil, s, false))
}

// appendUnquote appends unquote(s) (unquote_plus when plus is set) to dst, following
// CPython's split of the string into ASCII and non-ASCII runs.
func appendUnquote(dst []byte, s string, plus bool) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			// A latin-1 character that CPython leaves alone; U+0080..U+00FF in UTF-8.
			dst = append(dst, 0xC0|c>>6, 0x80|c&0x3F)
			i++
			continue
		}
		j := i + 1
		for j < len(s) && s[j] < utf8.RuneSelf {
			j++
		}
		dst = appendUnquoteASCII(dst, s[i:j], plus)
		i = j
	}
	return dst
}

// appendUnquoteASCII is unquote_to_bytes(run).decode("utf-8", "replace") for one ASCII run.
func appendUnquoteASCII(dst []byte, run string, plus bool) []byte {
	start := len(dst)
	escaped := false
	for i := 0; i < len(run); i++ {
		c := run[i]
		switch {
		case c == '%' && i+2 < len(run) && isHex(run[i+1]) && isHex(run[i+2]):
			dst = append(dst, unhex(run[i+1])<<4|unhex(run[i+2]))
			i += 2
			escaped = true
		case c == '+' && plus:
			dst = append(dst, ' ')
		default:
			dst = append(dst, c)
		}
	}
	// Only escapes can produce non-ASCII bytes; when they form valid UTF-8 (the usual case)
	// the bytes are already the answer and need no second pass.
	if !escaped || utf8.Valid(dst[start:]) {
		return dst
	}
	var tmp [64]byte
	raw := append(tmp[:0], dst[start:]...)
	return appendPyUTF8(dst[:start], raw)
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

// replacement is U+FFFD in UTF-8.
const replacement = "\uFFFD"

// appendPyUTF8 appends p decoded as CPython's p.decode("utf-8", "replace"): valid sequences are
// copied, and each maximal subpart of an ill-formed sequence (Unicode 3.9 "U+FFFD substitution
// of maximal subparts", which CPython follows) becomes a single U+FFFD. A maximal subpart is a
// start byte followed by as many continuation bytes as could still begin a valid sequence;
// a byte that can never start one (80..C1, F5..FF) is a subpart of its own.
func appendPyUTF8(dst, p []byte) []byte {
	for i := 0; i < len(p); {
		c := p[i]
		if c < utf8.RuneSelf {
			dst = append(dst, c)
			i++
			continue
		}
		n, lo, hi := leadInfo(c)
		if n == 0 {
			dst = append(dst, replacement...)
			i++
			continue
		}
		j := 1
		for ; j < n && i+j < len(p); j++ {
			b := p[i+j]
			if j > 1 {
				lo, hi = 0x80, 0xBF
			}
			if b < lo || b > hi {
				break
			}
		}
		if j == n {
			dst = append(dst, p[i:i+n]...)
		} else {
			dst = append(dst, replacement...)
		}
		i += j
	}
	return dst
}

// leadInfo returns the length of the sequence that lead byte c starts and the allowed range of
// its second byte, which is narrower than 80..BF after E0, ED, F0 and F4 so that overlong
// forms, surrogates and code points above U+10FFFF are cut off at the second byte, as CPython
// (and the Unicode standard) do. n is 0 when c cannot start a sequence.
func leadInfo(c byte) (n int, lo, hi byte) {
	switch {
	case c >= 0xC2 && c <= 0xDF:
		return 2, 0x80, 0xBF
	case c == 0xE0:
		return 3, 0xA0, 0xBF
	case c == 0xED:
		return 3, 0x80, 0x9F
	case c >= 0xE1 && c <= 0xEF:
		return 3, 0x80, 0xBF
	case c == 0xF0:
		return 4, 0x90, 0xBF
	case c >= 0xF1 && c <= 0xF3:
		return 4, 0x80, 0xBF
	case c == 0xF4:
		return 4, 0x80, 0x8F
	}
	return 0, 0, 0
}

// locationSafe marks the bytes RedirectResponse leaves unescaped: urllib.parse.quote's
// always-safe set (ASCII letters, digits, "_.-~") plus Starlette's
// safe=":/%#?=@[]!$&'()*+,;". Every other byte, including every byte at or above 0x80, is
// written as %XX with uppercase hex.
var locationSafe = func() (t [256]bool) {
	const safe = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~" +
		":/%#?=@[]!$&'()*+,;"
	for i := 0; i < len(safe); i++ {
		t[safe[i]] = true
	}
	return t
}()

const upperHex = "0123456789ABCDEF"

// RedirectLocation returns the Location header of the 307 that Starlette's Router sends when
// redirect_slashes finds the route under the other spelling of the path, and whether Starlette
// gets that far at all.
//
// Starlette builds URL(scope=redirect_scope), i.e. f"{scheme}://{host}{path}" plus
// "?" + query_string.decode() when the query is non-empty, and RedirectResponse then stores
// quote(str(url), safe=":/%#?=@[]!$&'()*+,;"). The arguments are:
//
//   - scheme: scope["scheme"], "http" or "https".
//   - host: the raw Host header value; Starlette decodes it as latin-1, so a byte at or above
//     0x80 ends up as two %XX escapes of its UTF-8 form.
//   - decodedPath: the full redirect path as a Python str holds it (root_path plus the already
//     percent-decoded path, slash already added or stripped), in UTF-8. Bytes that are not
//     valid UTF-8 are taken as U+FFFD, since a decoded Python path cannot contain them.
//   - rawQuery: the raw query bytes, "" when there is none (a bare trailing "?" counts as none).
//
// ok is false when rawQuery is not valid UTF-8: query_string.decode() is strict, so Starlette
// raises UnicodeDecodeError and the client gets the 500 "Internal Server Error" of
// ServerErrorMiddleware instead of a redirect.
func RedirectLocation(scheme, host, decodedPath, rawQuery string) (location string, ok bool) {
	if !utf8.ValidString(rawQuery) {
		return "", false
	}
	b := make([]byte, 0, len(scheme)+3+len(host)+len(decodedPath)+1+len(rawQuery)+16)
	b = appendQuoted(b, scheme)
	b = append(b, "://"...)
	for i := 0; i < len(host); i++ {
		c := host[i]
		if c < utf8.RuneSelf {
			b = appendQuotedByte(b, c)
		} else {
			b = appendQuotedByte(b, 0xC0|c>>6)
			b = appendQuotedByte(b, 0x80|c&0x3F)
		}
	}
	b = appendQuoted(b, decodedPath)
	if rawQuery != "" {
		b = append(b, '?')
		b = appendQuoted(b, rawQuery)
	}
	return string(b), true
}

// appendQuoted appends quote(s) for a UTF-8 string, substituting U+FFFD for invalid bytes.
func appendQuoted(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			b = appendQuotedByte(b, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		seq := s[i : i+size]
		if r == utf8.RuneError && size == 1 {
			seq = replacement
		}
		for k := 0; k < len(seq); k++ {
			b = appendQuotedByte(b, seq[k])
		}
		i += size
	}
	return b
}

func appendQuotedByte(b []byte, c byte) []byte {
	if locationSafe[c] {
		return append(b, c)
	}
	return append(b, '%', upperHex[c>>4], upperHex[c&0xf])
}
