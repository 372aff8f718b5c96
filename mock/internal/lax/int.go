package lax

import (
	"math/big"
	"strings"
	"unicode/utf8"
)

// maxIntDigits is jiter's bound on the sign and digits of an integer, taken from CPython's
// int_max_str_digits (4300) so that pydantic never builds an int Python itself would refuse.
const maxIntDigits = 4300

// ParseInt parses s as pydantic v2 lax mode parses a str into an int (trim Unicode whitespace as Rust's str::trim, optional sign, digits,
// single underscores between digits, trailing ".000" fraction of zeros only, big ints allowed, >4300 chars -> int_parsing_size).
//
// It follows pydantic-core 2.27 src/input/shared.rs str_as_int: the raw string is first tried as
// a strict JSON integer (jiter NumberInt), and only that attempt can report int_parsing_size;
// otherwise clean_int_str tidies the string (whitespace, '+', leading zeros, ".0+", underscores)
// and a second JSON-integer attempt decides, every failure there being int_parsing. So a
// 4301-digit number is int_parsing_size, but the same number with a leading space or '+' is
// int_parsing, as in pydantic.
func ParseInt(s string) (*big.Int, *Error) {
	n, st := jsonInt(s)
	switch st {
	case jsonIntOK:
		return n, nil
	case jsonIntOutOfRange:
		return nil, errIntParsingSize()
	}
	cleaned, ok := cleanIntStr(s)
	if !ok {
		return nil, errIntParsing()
	}
	if n, st = jsonInt(cleaned); st != jsonIntOK {
		return nil, errIntParsing()
	}
	return n, nil
}

type jsonIntStatus uint8

const (
	jsonIntOK jsonIntStatus = iota
	jsonIntInvalid
	jsonIntOutOfRange
)

// jsonInt is jiter's NumberInt::from_bytes: the whole of s must be a JSON integer, that is an
// optional '-', then "0" or a digit 1-9 followed by digits. jiter counts the sign and digit run
// against maxIntDigits before it looks at what follows the run, so "1…1.5" with 4301 ones is
// out of range rather than invalid.
func jsonInt(s string) (*big.Int, jsonIntStatus) {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	if i == len(s) {
		return nil, jsonIntInvalid
	}
	first := i
	switch c := s[i]; {
	case c == '0':
		// JSON forbids leading zeros, so "0" must be the whole number.
		if i+1 != len(s) {
			return nil, jsonIntInvalid
		}
		return new(big.Int), jsonIntOK
	case c < '1' || c > '9':
		return nil, jsonIntInvalid
	}
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	if i > maxIntDigits {
		return nil, jsonIntOutOfRange
	}
	if i != len(s) {
		return nil, jsonIntInvalid
	}
	neg := first == 1
	digits := s[first:]
	if len(digits) <= 18 {
		// 18 digits always fit an int64; skipping big.Int's string parser keeps the common
		// query value ("25", "100") to the one allocation of the result.
		var v int64
		for j := 0; j < len(digits); j++ {
			v = v*10 + int64(digits[j]-'0')
		}
		if neg {
			v = -v
		}
		return big.NewInt(v), jsonIntOK
	}
	n, ok := new(big.Int).SetString(digits, 10)
	if !ok {
		return nil, jsonIntInvalid
	}
	if neg {
		n.Neg(n)
	}
	return n, jsonIntOK
}

// cleanIntStr is pydantic-core's clean_int_str. It reports false when it changed nothing, since
// the string already failed as a JSON integer and would fail again.
func cleanIntStr(orig string) (string, bool) {
	// strings.TrimSpace trims unicode.IsSpace, the Unicode White_Space property, which is what
	// Rust's str::trim uses.
	s := strings.TrimSpace(orig)

	if rest, ok := strings.CutPrefix(s, "+"); ok {
		if strings.HasPrefix(rest, "-") {
			return "", false
		}
		s = rest
	}

	// The '-' is set aside so that leading zeros are stripped the same way for both signs.
	neg := false
	if rest, ok := strings.CutPrefix(s, "-"); ok {
		if strings.HasPrefix(rest, "-") || strings.HasPrefix(rest, "+") {
			return "", false
		}
		neg = true
		s = rest
	}

	s, ok := stripLeadingZeros(s)
	if !ok {
		return "", false
	}

	// A fraction of zeros only is an exact int; it is cut by hand rather than parsed as a float
	// so that big values keep every digit.
	if i := strings.IndexByte(s, '.'); i >= 0 {
		if frac := s[i+1:]; frac != "" && strings.Trim(frac, "0") == "" {
			s = s[:i]
		}
	}

	if stripped, ok := stripUnderscores(s); ok {
		return withSign(neg, stripped), true
	}
	if len(orig) == len(s) {
		return "", false
	}
	return withSign(neg, s), true
}

func withSign(neg bool, s string) string {
	if neg {
		return "-" + s
	}
	return s
}

// stripLeadingZeros is pydantic-core's strip_leading_zeros. It keeps one zero before a '.' so
// "00.0" becomes "0.0", lets '_' sit among the leading zeros ("0__1" is 1), and hands back the
// rest of the string at the first '-' it meets: pydantic therefore reads "0-1" as -1, and so
// does the mock.
func stripLeadingZeros(s string) (string, bool) {
	r, size := utf8.DecodeRuneInString(s)
	switch {
	case r == '0':
	case r >= '1' && r <= '9' || r == '-':
		return s, true
	default:
		return "", false
	}
	for i := size; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '0' || r == '_':
		case r >= '1' && r <= '9' || r == '-':
			return s[i:], true
		case r == '.':
			// The character before the '.' is an ASCII '0' or '_', so i-1 is a rune boundary.
			return s[i-1:], true
		default:
			return "", false
		}
		i += size
	}
	// All zeros and underscores: keep the last character, which is '_' for "0_" and fails later.
	return s[len(s)-1:], true
}

// stripUnderscores is pydantic-core's strip_underscores: Python's rule that '_' may only stand
// alone between two characters, and nothing to do when there is no '_'.
func stripUnderscores(s string) (string, bool) {
	if !strings.Contains(s, "_") || strings.HasPrefix(s, "_") || strings.HasSuffix(s, "_") ||
		strings.Contains(s, "__") {
		return "", false
	}
	return strings.ReplaceAll(s, "_", ""), true
}

func isDigit(c byte) bool {
	return c >= '0' && c <= '9'
}
