// Package pyjson appends JSON values exactly as FastAPI's JSONResponse renders them, that is
// json.dumps(content, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":"))
// encoded as UTF-8 by CPython. Callers write the punctuation of objects and arrays themselves;
// with those separators there is no whitespace anywhere, so the only value renderings that can
// differ from Go's encoding/json are the ones provided here.
package pyjson

import (
	"errors"
	"math/big"
	"strconv"
	"unicode/utf8"
)

// MaxIntDigits is CPython's default limit on the number of decimal digits (sign excluded) that
// int-to-str conversion will produce (sys.int_info.default_max_str_digits, Python 3.11+ and the
// 3.10.7 backport). json.dumps renders ints through that conversion, so a longer integer makes
// the real service raise ValueError instead of writing it.
const MaxIntDigits = 4300

// ErrIntTooLarge reports an integer that CPython refuses to convert to decimal because it has
// more than MaxIntDigits digits; FastAPI then answers 500 Internal Server Error.
var ErrIntTooLarge = errors.New("pyjson: integer has more than 4300 decimal digits; CPython raises ValueError")

// hex is lowercase because CPython's encoder writes \u00XX with Py_hexdigits
// ("0123456789abcdef"), and the pure-Python fallback uses '\\u{0:04x}' too.
const hex = "0123456789abcdef"

// shortEscape maps the bytes that CPython's encoder escapes with a two-character sequence to the
// letter after the backslash. Other control characters below 0x20 get \u00xx.
var shortEscape = [0x60]byte{
	'"':  '"',
	'\\': '\\',
	'\b': 'b',
	'\f': 'f',
	'\n': 'n',
	'\r': 'r',
	'\t': 't',
}

// AppendString appends s as a JSON string literal the way CPython's C encoder writes it with
// ensure_ascii=False: '"' and '\\' and the control characters \b \f \n \r \t get their short
// escapes, any other character below U+0020 becomes \u00xx with lowercase hex, and everything
// else, including U+007F, U+2028, U+2029 and '<', '>', '&', is written as raw UTF-8.
//
// s is expected to be valid UTF-8. A Python str cannot hold undecodable bytes, so each byte
// that does not begin a valid UTF-8 sequence is written as U+FFFD, the way ranging over a Go
// string decodes it; the real service could never have produced such bytes itself.
func AppendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0 // beginning of the pending run that needs no escaping
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			if e := shortEscape[c]; e != 0 {
				b = append(b, '\\', e)
			} else {
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, "\uFFFD"...)
			i++
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// AppendInt appends v in decimal as Python's int.__repr__ writes it: an optional '-' and the
// digits, no '+', no leading zeros, and "0" for zero.
func AppendInt(b []byte, v int64) []byte {
	return strconv.AppendInt(b, v, 10)
}

// AppendUint appends v in decimal; Python ints are unbounded, so values above MaxInt64 are
// written in full rather than wrapping.
func AppendUint(b []byte, v uint64) []byte {
	return strconv.AppendUint(b, v, 10)
}

// maxSafeBits bounds the integers that certainly have at most MaxIntDigits digits: a value of
// at most 14284 bits is below 2^14284 < 10^4300, so it fits and needs no digit count.
const maxSafeBits = 14284

// minUnsafeBits bounds the integers that certainly exceed MaxIntDigits digits: a value of at
// least 14286 bits is at least 2^14285 > 10^4300. Rejecting those before conversion keeps a
// hostile huge number from costing a quadratic decimal conversion.
const minUnsafeBits = 14286

// AppendBigInt appends v in decimal as json.dumps writes a Python int of any size. A nil v is
// written as null, the rendering of None. When v has more than MaxIntDigits digits, CPython
// raises ValueError instead, so AppendBigInt returns b unchanged and ErrIntTooLarge.
func AppendBigInt(b []byte, v *big.Int) ([]byte, error) {
	if v == nil {
		return append(b, "null"...), nil
	}
	bits := v.BitLen()
	if bits >= minUnsafeBits {
		return b, ErrIntTooLarge
	}
	n := len(b)
	b = v.Append(b, 10)
	if bits > maxSafeBits {
		digits := len(b) - n
		if v.Sign() < 0 {
			digits-- // CPython counts digits without the sign
		}
		if digits > MaxIntDigits {
			return b[:n], ErrIntTooLarge
		}
	}
	return b, nil
}
