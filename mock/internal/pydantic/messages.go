package pydantic

import (
	"strings"
)

// EnumError is pydantic's error for a value outside an enum's members.
func EnumError(loc []string, input string, members []string) Error {
	expected := Expected(members)
	return Error{
		Type:  "enum",
		Loc:   loc,
		Msg:   "Input should be " + expected,
		Input: input,
		Ctx:   []CtxEntry{CtxString("expected", expected)},
	}
}

// Expected joins enum members as pydantic does: "'a'", "'a' or 'b'", "'a', 'b' or 'c'".
func Expected(members []string) string {
	quoted := make([]string, len(members))
	for i, m := range members {
		quoted[i] = Repr(m)
	}
	if len(quoted) <= 1 {
		return strings.Join(quoted, "")
	}
	return strings.Join(quoted[:len(quoted)-1], ", ") + " or " + quoted[len(quoted)-1]
}

// BoundError is pydantic's error for a number outside a ge/gt/le/lt constraint. bound is the
// limit rendered as Python prints it.
func BoundError(loc []string, input, constraint, bound string) Error {
	var kind, words string
	switch constraint {
	case "ge":
		kind, words = "greater_than_equal", "greater than or equal to"
	case "gt":
		kind, words = "greater_than", "greater than"
	case "le":
		kind, words = "less_than_equal", "less than or equal to"
	default:
		kind, words = "less_than", "less than"
	}
	return Error{
		Type:  kind,
		Loc:   loc,
		Msg:   "Input should be " + words + " " + bound,
		Input: input,
		Ctx:   []CtxEntry{CtxNumber(constraint, bound)},
	}
}

// ValueError is the error a field validator produces by raising ValueError(message).
func ValueError(loc []string, input, message string) Error {
	return Error{
		Type:  "value_error",
		Loc:   loc,
		Msg:   "Value error, " + message,
		Input: input,
		Ctx:   []CtxEntry{CtxEmptyObject("error")},
	}
}

// Repr renders s as Python's repr() of a str: single quotes unless s contains a single quote
// and no double quote.
func Repr(s string) string {
	quote := byte('\'')
	if strings.ContainsRune(s, '\'') && !strings.ContainsRune(s, '"') {
		quote = '"'
	}
	var b strings.Builder
	b.WriteByte(quote)
	for _, r := range s {
		switch {
		case r == rune(quote) || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			b.WriteString(`\x`)
			const hex = "0123456789abcdef"
			b.WriteByte(hex[r>>4])
			b.WriteByte(hex[r&0xf])
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte(quote)
	return b.String()
}
