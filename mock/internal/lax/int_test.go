package lax

import (
	"math/big"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every expectation follows pydantic-core 2.27 src/input/shared.rs (str_as_int, clean_int_str,
// strip_leading_zeros, strip_underscores) and jiter's NumberInt::from_bytes; cases marked
// "capture" are answers of the real FastAPI service in shared/fastapi/captures.json.
func TestParseInt(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string // decimal value; "" when an error is expected
		err  string // pydantic error type
	}{
		// Plain JSON integers pass the first, strict attempt.
		{name: "zero", in: "0", want: "0"},
		{name: "small", in: "25", want: "25"},
		{name: "negative (capture: per_page=-5 parses, then fails ge=1)", in: "-5", want: "-5"},
		{name: "minus zero", in: "-0", want: "0"},
		{name: "int64 max", in: "9223372036854775807", want: "9223372036854775807"},
		{name: "just past int64 max stays exact", in: "9223372036854775808", want: "9223372036854775808"},
		{name: "just past int64 min stays exact", in: "-9223372036854775809", want: "-9223372036854775809"},
		{name: "30 digits parse as a big int", in: "123456789012345678901234567890", want: "123456789012345678901234567890"},
		{name: "18 digits take the int64 fast path", in: "999999999999999999", want: "999999999999999999"},
		{name: "19 digits take the big.Int path", in: "1000000000000000000", want: "1000000000000000000"},

		// clean_int_str: whitespace, '+', leading zeros, ".0+", underscores.
		{name: "leading plus", in: "+5", want: "5"},
		{name: "plus zero", in: "+0", want: "0"},
		{name: "surrounding spaces", in: " 7 ", want: "7"},
		{name: "tab and newline are trimmed", in: "\t8\n", want: "8"},
		{name: "Unicode White_Space is trimmed like Rust's str::trim", in: "\u00a07\u3000", want: "7"},
		{name: "line separator is trimmed", in: "\u20289", want: "9"},
		{name: "trailing space only", in: "0 ", want: "0"},
		{name: "single underscore", in: "1_0", want: "10"},
		{name: "several single underscores", in: "1_000_000", want: "1000000"},
		{name: "negative with underscore", in: "-1_0", want: "-10"},
		{name: "plus with underscore", in: "+1_0", want: "10"},
		{name: "fraction of one zero", in: "10.0", want: "10"},
		{name: "fraction of two zeros", in: "10.00", want: "10"},
		{name: "zero with zero fraction", in: "0.0", want: "0"},
		{name: "minus zero with zero fraction", in: "-0.0", want: "0"},
		{name: "plus zero with zero fraction", in: "+0.0", want: "0"},
		{name: "underscores then zero fraction", in: "1_000.000", want: "1000"},
		{name: "underscore before a zero fraction (fraction is cut first)", in: "1_0.0", want: "10"},
		{name: "leading zeros", in: "007", want: "7"},
		{name: "negative leading zero", in: "-01", want: "-1"},
		{name: "double zero", in: "00", want: "0"},
		{name: "underscore among leading zeros", in: "0_1", want: "1"},
		{name: "zeros and underscore", in: "00_1", want: "1"},
		{name: "double underscore among leading zeros is allowed", in: "0__1", want: "1"},
		{name: "zero underscore zero", in: "0_0", want: "0"},
		{name: "double underscore between zeros", in: "0__0", want: "0"},
		{name: "negative zero underscore zero", in: "-0_0", want: "0"},
		{name: "zero then minus is read as a negative number (strip_leading_zeros quirk)", in: "0-1", want: "-1"},
		{name: "big int with leading zeros", in: "000123456789012345678901234567890", want: "123456789012345678901234567890"},

		// int_parsing: every other shape (captures: abc, 2.5, "", 1e2, 0x10, x).
		{name: "empty (capture)", in: "", err: typeIntParsing},
		{name: "letters (capture)", in: "abc", err: typeIntParsing},
		{name: "single letter (capture)", in: "x", err: typeIntParsing},
		{name: "fraction (capture)", in: "2.5", err: typeIntParsing},
		{name: "exponent (capture)", in: "1e2", err: typeIntParsing},
		{name: "hex (capture)", in: "0x10", err: typeIntParsing},
		{name: "only spaces", in: " ", err: typeIntParsing},
		{name: "plus alone", in: "+", err: typeIntParsing},
		{name: "minus alone", in: "-", err: typeIntParsing},
		{name: "double underscore", in: "1__0", err: typeIntParsing},
		{name: "leading underscore", in: "_1", err: typeIntParsing},
		{name: "trailing underscore", in: "1_", err: typeIntParsing},
		{name: "zero then trailing underscore", in: "0_", err: typeIntParsing},
		{name: "minus underscore", in: "-_1", err: typeIntParsing},
		{name: "underscore then double underscore later", in: "1_0__0", err: typeIntParsing},
		{name: "dot without fraction digits", in: "10.", err: typeIntParsing},
		{name: "zero dot", in: "0.", err: typeIntParsing},
		{name: "double zero dot", in: "00.", err: typeIntParsing},
		{name: "fraction without integer part", in: ".0", err: typeIntParsing},
		{name: "underscore before the dot among zeros", in: "0_.0", err: typeIntParsing},
		{name: "underscore inside the zero fraction", in: "10.000_0", err: typeIntParsing},
		{name: "fraction that is not all zeros", in: "10.01", err: typeIntParsing},
		{name: "two dots", in: "1.0.0", err: typeIntParsing},
		{name: "plus minus", in: "+-1", err: typeIntParsing},
		{name: "minus plus", in: "-+1", err: typeIntParsing},
		{name: "double minus", in: "--1", err: typeIntParsing},
		{name: "double plus", in: "++1", err: typeIntParsing},
		{name: "minus zero minus one", in: "-0-1", err: typeIntParsing},
		{name: "inner space", in: "1 0", err: typeIntParsing},
		{name: "space after the sign", in: "- 1", err: typeIntParsing},
		{name: "non-ASCII digit", in: "٣", err: typeIntParsing},
		{name: "full-width digit", in: "７", err: typeIntParsing},
		{name: "NaN", in: "NaN", err: typeIntParsing},
		{name: "Infinity", in: "Infinity", err: typeIntParsing},
		{name: "invalid UTF-8", in: "\xff1", err: typeIntParsing},

		// jiter's 4300-digit bound counts the sign and digits of the raw string.
		{name: "4300 digits", in: strings.Repeat("1", 4300), want: strings.Repeat("1", 4300)},
		{name: "4301 digits", in: strings.Repeat("1", 4301), err: typeIntParsingSize},
		{name: "minus and 4299 digits", in: "-" + strings.Repeat("1", 4299), want: "-" + strings.Repeat("1", 4299)},
		{name: "minus and 4300 digits (the sign counts)", in: "-" + strings.Repeat("1", 4300), err: typeIntParsingSize},
		{name: "4301 digits then garbage is still too big", in: strings.Repeat("1", 4301) + "x", err: typeIntParsingSize},
		{name: "4301 digits then a zero fraction is still too big", in: strings.Repeat("1", 4301) + ".0", err: typeIntParsingSize},
		{name: "4300 digits then a zero fraction", in: strings.Repeat("1", 4300) + ".0", want: strings.Repeat("1", 4300)},
		{name: "4301 digits after a space fail only the cleaned attempt", in: " " + strings.Repeat("1", 4301), err: typeIntParsing},
		{name: "4301 digits after a plus fail only the cleaned attempt", in: "+" + strings.Repeat("1", 4301), err: typeIntParsing},
		{name: "leading zero hides the size from the first attempt", in: "0" + strings.Repeat("1", 4301), err: typeIntParsing},
		{name: "5000 zeros are zero", in: strings.Repeat("0", 5000), want: "0"},
		{name: "long underscored number is not counted by raw length", in: strings.Repeat("1_", 2200) + "1", want: strings.Repeat("1", 2201)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseInt(tc.in)
			if tc.err != "" {
				require.NotNil(t, err, "want %s, got value %v", tc.err, got)
				assert.Nil(t, got)
				assert.Equal(t, tc.err, err.Type)
				assert.Empty(t, err.CtxError, "pydantic gives int errors no ctx")
				return
			}
			require.Nil(t, err, "unexpected error %v", err)
			require.NotNil(t, got)
			assert.Equal(t, tc.want, got.String())
		})
	}
}

func TestParseIntErrorMessages(t *testing.T) {
	// Messages from pydantic-core src/errors/types.rs, as in the captures' "msg" fields.
	tests := []struct {
		name    string
		in      string
		wantErr Error
	}{
		{
			name: "int_parsing",
			in:   "abc",
			wantErr: Error{
				Type: "int_parsing",
				Msg:  "Input should be a valid integer, unable to parse string as an integer",
			},
		},
		{
			name: "int_parsing_size",
			in:   strings.Repeat("9", 4301),
			wantErr: Error{
				Type: "int_parsing_size",
				Msg:  "Unable to parse input string as an integer, exceeded maximum size",
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseInt(tc.in)
			require.NotNil(t, err)
			assert.Equal(t, tc.wantErr, *err)
			assert.Equal(t, tc.wantErr.Msg+" [type="+tc.wantErr.Type+"]", err.Error())
		})
	}
}

func TestParseIntReturnsIndependentValues(t *testing.T) {
	// Callers may mutate the result (e.g. to clamp it), so no two calls may share a *big.Int.
	a, err := ParseInt("0")
	require.Nil(t, err)
	b, err := ParseInt("0")
	require.Nil(t, err)
	a.SetInt64(5)
	assert.Equal(t, int64(0), b.Int64())
}

func TestParseIntBigValuesCompare(t *testing.T) {
	// BEHAVIOUR.md: a number too big for 64 bits still parses, then fails its bound.
	got, err := ParseInt("100000000000000000000000")
	require.Nil(t, err)
	assert.Positive(t, got.Cmp(big.NewInt(100)))
	assert.False(t, got.IsInt64())
}

func FuzzParseInt(f *testing.F) {
	for _, s := range []string{"0", "-5", "+5", " 7 ", "1_0", "10.0", "007", "0-1", "1e2", "", "0x10", "0__0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseInt(s)
		if err != nil {
			require.Nil(t, got)
			require.Contains(t, []string{typeIntParsing, typeIntParsingSize}, err.Type)
			return
		}
		require.NotNil(t, got)
		// A successful parse is stable: its canonical form parses to itself.
		again, err := ParseInt(got.String())
		require.Nil(t, err)
		require.Zero(t, got.Cmp(again))
	})
}

func BenchmarkParseInt(b *testing.B) {
	for _, in := range []string{"25", "1_000", strings.Repeat("7", 40)} {
		b.Run(in, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ParseInt(in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
