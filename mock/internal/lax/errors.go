package lax

// Error is a pydantic validation failure for one value.
type Error struct {
	Type string // pydantic error type, e.g. "int_parsing", "int_parsing_size", "datetime_from_date_parsing"
	Msg  string // pydantic's message, e.g. "Input should be a valid integer, unable to parse string as an integer"
	// CtxError is the value of ctx.error when pydantic gives one (datetime errors: speedate's message), else "".
	CtxError string
}

// Error returns the message in pydantic's own "msg [type=...]" layout, so a log line reads like
// pydantic's ValidationError.
func (e *Error) Error() string {
	return e.Msg + " [type=" + e.Type + "]"
}

// Error types and messages, from pydantic-core 2.27 src/errors/types.rs.
const (
	typeIntParsing     = "int_parsing"
	typeIntParsingSize = "int_parsing_size"
	msgIntParsing      = "Input should be a valid integer, unable to parse string as an integer"
	msgIntParsingSize  = "Unable to parse input string as an integer, exceeded maximum size"

	typeDatetimeParsing         = "datetime_parsing"
	typeDatetimeFromDateParsing = "datetime_from_date_parsing"
	msgDatetimeParsingPrefix    = "Input should be a valid datetime, "
	msgDatetimeFromDatePrefix   = "Input should be a valid datetime or date, "

	// msgYearZero is the text pydantic-core uses when speedate accepts year 0 but Python's
	// datetime cannot hold it (pydantic-core #1583, EitherDateTime::try_into_py).
	msgYearZero = "year 0 is out of range"
)

// Each constructor returns a fresh value: callers own their *Error and may annotate it.

func errIntParsing() *Error {
	return &Error{Type: typeIntParsing, Msg: msgIntParsing}
}

func errIntParsingSize() *Error {
	return &Error{Type: typeIntParsingSize, Msg: msgIntParsingSize}
}

func errDatetimeFromDate(e sdErr) *Error {
	return &Error{
		Type:     typeDatetimeFromDateParsing,
		Msg:      fromDateMsgs[e],
		CtxError: e.doc(),
	}
}

// fromDateMsgs holds each full message once, so a rejected value costs one allocation.
var fromDateMsgs = func() (msgs [len(sdDocs)]string) {
	for i, doc := range sdDocs {
		msgs[i] = msgDatetimeFromDatePrefix + doc
	}
	return msgs
}()

func errYearZero() *Error {
	return &Error{
		Type:     typeDatetimeParsing,
		Msg:      msgDatetimeParsingPrefix + msgYearZero,
		CtxError: msgYearZero,
	}
}
