// Package pydantic models the validation errors FastAPI answers with 422: their fields, their
// order, and pydantic's exact wording. Rendering follows FastAPI's JSONResponse byte for byte.
package pydantic

import (
	"github.com/cryptofi/partner-mock/mock/internal/pyjson"
)

// Error is one entry of a 422 body's "detail" list.
type Error struct {
	Type string
	Loc  []string
	Msg  string
	// Input is the raw value as the request sent it.
	Input string
	// Ctx is pydantic's ctx object, in pydantic's key order; nil when pydantic gives none.
	Ctx []CtxEntry
}

// CtxEntry is one key of an error's ctx object, its value already rendered as JSON.
type CtxEntry struct {
	Key   string
	Value []byte
}

// CtxNumber is a ctx entry whose value is a number rendered as Python prints it ("1", "0.5").
func CtxNumber(key, number string) CtxEntry {
	return CtxEntry{Key: key, Value: []byte(number)}
}

// CtxString is a ctx entry whose value is a string.
func CtxString(key, s string) CtxEntry {
	return CtxEntry{Key: key, Value: pyjson.AppendString(nil, s)}
}

// CtxEmptyObject is a ctx entry whose value is {}: what FastAPI renders for a ValueError raised
// by a validator (the exception object is not JSON-serialisable and becomes an empty object).
func CtxEmptyObject(key string) CtxEntry {
	return CtxEntry{Key: key, Value: []byte("{}")}
}

// AppendBody appends the 422 body {"detail":[...]} for errs.
func AppendBody(b []byte, errs []Error) []byte {
	b = append(b, `{"detail":[`...)
	for i := range errs {
		if i > 0 {
			b = append(b, ',')
		}
		b = errs[i].append(b)
	}
	return append(b, "]}"...)
}

func (e *Error) append(b []byte) []byte {
	b = append(b, `{"type":`...)
	b = pyjson.AppendString(b, e.Type)
	b = append(b, `,"loc":[`...)
	for i, l := range e.Loc {
		if i > 0 {
			b = append(b, ',')
		}
		b = pyjson.AppendString(b, l)
	}
	b = append(b, `],"msg":`...)
	b = pyjson.AppendString(b, e.Msg)
	b = append(b, `,"input":`...)
	b = pyjson.AppendString(b, e.Input)
	if e.Ctx != nil {
		b = append(b, `,"ctx":{`...)
		for i, c := range e.Ctx {
			if i > 0 {
				b = append(b, ',')
			}
			b = pyjson.AppendString(b, c.Key)
			b = append(b, ':')
			b = append(b, c.Value...)
		}
		b = append(b, '}')
	}
	return append(b, '}')
}
