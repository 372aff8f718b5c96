package lax

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// speedate 0.15 src/lib.rs ParseError docs: the text pydantic puts after "Input should be a valid
// datetime or date, " and in ctx.error.
const (
	tooShort       = "input is too short"
	extraChars     = "unexpected extra characters at the end of the input"
	badDateSep     = "invalid date separator, expected `-`"
	badYear        = "invalid character in year"
	badMonth       = "invalid character in month"
	badDay         = "invalid character in day"
	monthRange     = "month value is outside expected range of 1-12"
	dayRange       = "day value is outside expected range"
	beforeYearZero = "dates before 0000 are not supported as unix timestamps"
	afterYear9999  = "dates after 9999 are not supported as unix timestamps"
)

// Successful parses. Sources: speedate 0.15 src/datetime.rs (DateTime::parse_bytes_with_config,
// from_timestamp_with_config), src/time.rs (PureTime::parse, Time::parse_bytes_offset), src/date.rs
// (parse_bytes_partial, timestamp_watershed); pydantic-core 2.27 src/validators/datetime.rs
// (datetime_from_date gives a bare date midnight and no offset, taken here as UTC).
func TestParseDatetime(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string // RFC 3339 in UTC
	}{
		// A date alone fails DateTime (no separator) and succeeds in the date fallback.
		{name: "date only", in: "2025-01-01", want: "2025-01-01T00:00:00Z"},
		{name: "date only, leap day", in: "2024-02-29", want: "2024-02-29T00:00:00Z"},
		{name: "date only, leap day of a 400th year", in: "2000-02-29", want: "2000-02-29T00:00:00Z"},
		{name: "date only, year 1 (first year Python holds)", in: "0001-01-01", want: "0001-01-01T00:00:00Z"},
		{name: "date only, year before 1600 (speedate 0.15 allows any year)", in: "0500-01-01", want: "0500-01-01T00:00:00Z"},

		// RFC 3339-ish: the four separators, optional seconds and fraction.
		{name: "T separator", in: "2025-01-01T10:20:30", want: "2025-01-01T10:20:30Z"},
		{name: "lowercase t separator", in: "2025-01-01t10:20:30", want: "2025-01-01T10:20:30Z"},
		{name: "space separator", in: "2025-01-01 10:20:30", want: "2025-01-01T10:20:30Z"},
		{name: "underscore separator", in: "2025-01-01_10:20:30", want: "2025-01-01T10:20:30Z"},
		{name: "no seconds", in: "2025-01-01T10:20", want: "2025-01-01T10:20:00Z"},
		{name: "midnight", in: "2025-01-01T00:00:00", want: "2025-01-01T00:00:00Z"},
		{name: "last second of a day", in: "2025-12-31T23:59:59", want: "2025-12-31T23:59:59Z"},
		{name: "half a second", in: "2025-01-01T10:20:30.5", want: "2025-01-01T10:20:30.5Z"},
		{name: "microseconds", in: "2025-01-01T10:20:30.123456", want: "2025-01-01T10:20:30.123456Z"},
		{name: "seventh fraction digit is truncated, not rounded", in: "2025-01-01T10:20:30.1234567", want: "2025-01-01T10:20:30.123456Z"},
		{name: "many fraction digits are all read and dropped", in: "2025-01-01T10:20:30.9999999999999", want: "2025-01-01T10:20:30.999999Z"},
		{name: "comma as fraction separator", in: "2025-01-01T10:20:30,5", want: "2025-01-01T10:20:30.5Z"},
		{name: "zero fraction", in: "2025-01-01T10:20:30.000000", want: "2025-01-01T10:20:30Z"},
		{name: "largest datetime", in: "9999-12-31T23:59:59.999999", want: "9999-12-31T23:59:59.999999Z"},

		// Offsets: Z/z, ±HH:MM, ±HHMM, U+2212; converted to UTC.
		{name: "Z", in: "2025-01-01T10:20:30Z", want: "2025-01-01T10:20:30Z"},
		{name: "lowercase z", in: "2025-01-01T10:20:30z", want: "2025-01-01T10:20:30Z"},
		{name: "plus 05:30", in: "2025-01-01T10:20:30+05:30", want: "2025-01-01T04:50:30Z"},
		{name: "plus 0530 without colon", in: "2025-01-01T10:20:30+0530", want: "2025-01-01T04:50:30Z"},
		{name: "minus 0800 without colon", in: "2025-01-01T10:20:30-0800", want: "2025-01-01T18:20:30Z"},
		{name: "minus 08:00 crosses midnight", in: "2025-01-01T20:00:00-08:00", want: "2025-01-02T04:00:00Z"},
		{name: "U+2212 minus sign", in: "2025-01-01T10:20:30\u221205:00", want: "2025-01-01T15:20:30Z"},
		{name: "offset straight after minutes", in: "2025-01-01T10:20+01:00", want: "2025-01-01T09:20:00Z"},
		{name: "Z straight after minutes", in: "2025-01-01T10:20Z", want: "2025-01-01T10:20:00Z"},
		{name: "fraction then offset", in: "2025-01-01T10:20:30.123456789+01:00", want: "2025-01-01T09:20:30.123456Z"},
		{name: "largest offset", in: "2025-01-01T10:20:30+23:59", want: "2024-12-31T10:21:30Z"},
		{name: "zero offset", in: "2025-01-01T10:20:30+00:00", want: "2025-01-01T10:20:30Z"},
		{name: "year 1 with a positive offset lands in year 0 UTC", in: "0001-01-01T00:00:00+01:00", want: "0000-12-31T23:00:00Z"},
		{name: "year 9999 with a negative offset lands in year 10000 UTC", in: "9999-12-31T23:59:59-01:00", want: "10000-01-01T00:59:59Z"},

		// Unix timestamps: seconds, or milliseconds above 2e10 in absolute value.
		{name: "unix seconds", in: "1700000000", want: "2023-11-14T22:13:20Z"},
		{name: "unix milliseconds", in: "1700000000000", want: "2023-11-14T22:13:20Z"},
		{name: "unix zero", in: "0", want: "1970-01-01T00:00:00Z"},
		{name: "plus sign", in: "+5", want: "1970-01-01T00:00:05Z"},
		{name: "minus zero", in: "-0", want: "1970-01-01T00:00:00Z"},
		{name: "negative seconds", in: "-1", want: "1969-12-31T23:59:59Z"},
		{name: "negative seconds, far", in: "-1700000000", want: "1916-02-18T01:46:40Z"},
		{name: "digits that look like a date are seconds", in: "20250101", want: "1970-08-23T09:01:41Z"},
		{name: "ten digits that look like a date are seconds", in: "2025010100", want: "2034-03-03T14:48:20Z"},
		{name: "watershed itself is seconds", in: "20000000000", want: "2603-10-11T11:33:20Z"},
		{name: "just above the watershed is milliseconds", in: "20000000001", want: "1970-08-20T11:33:20.001Z"},
		{name: "just below minus the watershed is milliseconds", in: "-20000000001", want: "1969-05-14T12:26:39.999Z"},
		{name: "minus the watershed is seconds", in: "-20000000000", want: "1336-03-23T12:26:40Z"},
		{name: "largest milliseconds", in: "253402300799999", want: "9999-12-31T23:59:59.999Z"},
		{name: "smallest milliseconds of year 1", in: "-62135596800000", want: "0001-01-01T00:00:00Z"},

		// Fractional timestamps: lexical float syntax, floor, microseconds rounded half away from zero.
		{name: "fractional seconds", in: "1700000000.5", want: "2023-11-14T22:13:20.5Z"},
		{name: "fraction rounded to microseconds", in: "1700000000.123456789", want: "2023-11-14T22:13:20.123457Z"},
		{name: "negative fraction floors", in: "-1.5", want: "1969-12-31T23:59:58.5Z"},
		{name: "negative fraction under one second", in: "-0.5", want: "1969-12-31T23:59:59.5Z"},
		{name: "rounding up carries into the second", in: "0.9999999", want: "1970-01-01T00:00:01Z"},
		{name: "tiny negative rounds to zero", in: "-0.0000001", want: "1970-01-01T00:00:00Z"},
		{name: "fractional milliseconds", in: "1700000000000.5", want: "2023-11-14T22:13:20.0005Z"},
		{name: "fractional milliseconds, issue speedate#61", in: "1711445175471.865", want: "2024-03-26T09:26:15.471865Z"},
		{name: "fractional watershed in milliseconds", in: "20000000000.5", want: "1970-08-20T11:33:20.0005Z"},
		{name: "fraction without integer part", in: ".5", want: "1970-01-01T00:00:00.5Z"},
		{name: "integer with a bare dot", in: "5.", want: "1970-01-01T00:00:05Z"},
		{name: "signed fraction", in: "+.5", want: "1970-01-01T00:00:00.5Z"},
		{name: "negative bare fraction", in: "-.5", want: "1969-12-31T23:59:59.5Z"},
		{name: "leading zeros in a float", in: "0001.5", want: "1970-01-01T00:00:01.5Z"},
		{name: "exponent with a dot", in: "1.5e3", want: "1970-01-01T00:25:00Z"},
		{name: "upper-case exponent", in: "1.5E+03", want: "1970-01-01T00:25:00Z"},
		{name: "negative exponent", in: "1.5e-3", want: "1970-01-01T00:00:00.0015Z"},
		{name: "dot then exponent", in: "1.e5", want: "1970-01-02T03:46:40Z"},
		{name: "underflow is zero", in: "1.0e-400", want: "1970-01-01T00:00:00Z"},
		// from_timestamp_with_config applies the watershed again to the already scaled seconds.
		{name: "float microseconds are scaled twice", in: "1700000000000000.0", want: "2023-11-14T22:13:20Z"},
		{name: "float scaled twice keeps its fraction as microseconds", in: "30000000000000.5", want: "1970-12-14T05:20:00.0005Z"},
		{name: "int is scaled once", in: "30000000000000", want: "2920-08-30T05:20:00Z"},
		{name: "float of 1e17 ends up as seconds of year 5138", in: "99999999999999999.5", want: "5138-11-16T09:46:40Z"},
		{name: "float seconds just above 9999 read as milliseconds", in: "253402300799.5", want: "1978-01-11T21:31:40.7995Z"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want, perr := time.Parse(time.RFC3339Nano, tc.want)
			if strings.HasPrefix(tc.want, "10000-") {
				// time.Parse reads four-digit years only.
				want, perr = time.Parse(time.RFC3339Nano, "9999"+tc.want[5:])
				want = want.AddDate(1, 0, 0)
			}
			require.NoError(t, perr, "bad test expectation")

			got, err := ParseDatetime(tc.in)
			require.Nil(t, err, "unexpected error %v", err)
			assert.Equal(t, time.UTC, got.Location())
			assert.True(t, want.Equal(got), "want %s, got %s", want.Format(time.RFC3339Nano), got.Format(time.RFC3339Nano))
			assert.Zero(t, got.Nanosecond()%1000, "precision is microseconds")
		})
	}
}

// Failures. Any DateTime failure falls back to speedate Date::parse_bytes, and its error is the
// one reported (pydantic-core datetime_from_date), so a valid date followed by anything wrong is
// always "unexpected extra characters at the end of the input".
func TestParseDatetimeErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string // speedate's date message, reported as datetime_from_date_parsing
	}{
		// captures.json
		{name: "not a date (capture)", in: "notadate", want: tooShort},
		{name: "month 13 (capture)", in: "2025-13-01", want: monthRange},
		{name: "slashes (capture)", in: "2025/01/01", want: badDateSep},
		{name: "hour 25 (capture)", in: "2025-01-01T25:00:00", want: extraChars},
		{name: "empty (capture)", in: "", want: tooShort},
		{name: "three letters (capture)", in: "abc", want: tooShort},
		{name: "two letters (capture)", in: "zz", want: tooShort},

		// Date part: checked by position, in speedate's order.
		{name: "one-digit month is too short", in: "2025-1-01", want: tooShort},
		{name: "one-digit day is too short", in: "2025-01-1", want: tooShort},
		{name: "letter in year", in: "202a-01-01", want: badYear},
		{name: "leading space", in: " 2025-01-01", want: badYear},
		{name: "full-width digits", in: "２０２５-01-01", want: badYear},
		{name: "negative year", in: "-2025-01-01", want: badYear},
		{name: "underscore date separators", in: "2025_01_01", want: badDateSep},
		{name: "second separator wrong", in: "2025-01/01", want: badDateSep},
		{name: "letter in month", in: "2025-0a-01", want: badMonth},
		{name: "letter in day", in: "2025-01-0a", want: badDay},
		{name: "month zero", in: "2025-00-10", want: monthRange},
		{name: "day zero", in: "2025-01-00", want: dayRange},
		{name: "April 31", in: "2025-04-31", want: dayRange},
		{name: "Feb 29 in a non-leap year", in: "2025-02-29", want: dayRange},
		{name: "Feb 29 in a century non-leap year", in: "1900-02-29", want: dayRange},
		{name: "Feb 30 in a leap year", in: "2024-02-30", want: dayRange},
		{name: "bad date wins over a bad time", in: "2025-13-01T25:00:00", want: monthRange},

		// Valid date, anything wrong after it.
		{name: "trailing space", in: "2025-01-01 ", want: extraChars},
		{name: "separator only", in: "2025-01-01T", want: extraChars},
		{name: "unknown separator", in: "2025-01-01X10:20:30", want: extraChars},
		{name: "hour 24", in: "2025-01-01T24:00:00", want: extraChars},
		{name: "minute 60", in: "2025-01-01T10:60:00", want: extraChars},
		{name: "second 60 (no leap seconds)", in: "2025-01-01T23:59:60", want: extraChars},
		{name: "one-digit hour", in: "2025-01-01T1:20:30", want: extraChars},
		{name: "one-digit minute", in: "2025-01-01T10:2", want: extraChars},
		{name: "one-digit second", in: "2025-01-01T10:20:3", want: extraChars},
		{name: "colon without seconds", in: "2025-01-01T10:20:", want: extraChars},
		{name: "dash as time separator", in: "2025-01-01T10-20", want: extraChars},
		{name: "dot without fraction digits", in: "2025-01-01T10:20:30.Z", want: extraChars},
		{name: "fraction without seconds", in: "2025-01-01T10:20.5", want: extraChars},
		{name: "offset of 24 hours", in: "2025-01-01T10:20:30+24:00", want: extraChars},
		{name: "offset minute 60", in: "2025-01-01T10:20:30+05:60", want: extraChars},
		{name: "offset hours only", in: "2025-01-01T10:20:30+05", want: extraChars},
		{name: "one-digit offset hour", in: "2025-01-01T10:20:30+5:30", want: extraChars},
		{name: "unknown zone letter", in: "2025-01-01T10:20:30A", want: extraChars},
		{name: "zone name", in: "2025-01-01T10:20:30 UTC", want: extraChars},
		{name: "characters after Z", in: "2025-01-01T10:20:30Zx", want: extraChars},
		{name: "characters after an offset", in: "2025-01-01T10:20:30+05:30x", want: extraChars},
		{name: "broken U+2212", in: "2025-01-01T10:20:30\u221005:00", want: extraChars},

		// Numbers that are not speedate numbers fall to the date parse and its message.
		{name: "exponent without a dot is not a number", in: "1e3", want: tooShort},
		{name: "underscored number", in: "1_000", want: tooShort},
		{name: "minus alone", in: "-", want: tooShort},
		{name: "plus alone", in: "+", want: tooShort},
		{name: "dot alone", in: ".", want: tooShort},
		{name: "two dots", in: "1..5", want: tooShort},
		{name: "exponent without digits", in: "1.5e", want: tooShort},
		{name: "exponent sign without digits", in: "1.5e+", want: tooShort},
		{name: "double sign", in: "+-1.5", want: tooShort},
		{name: "dot then exponent without mantissa", in: ".e5", want: tooShort},
		{name: "hex float", in: "0x1.5", want: tooShort},
		{name: "nan", in: "nan", want: tooShort},
		{name: "inf with a dot", in: "inf.0", want: tooShort},
		{name: "space before a number", in: "  1.5", want: tooShort},
		{name: "space before a long number", in: " 1700000000", want: badYear},
		{name: "space after a long number", in: "1700000000 ", want: badDateSep},
		{name: "20 digits overflow int64, then read as a date", in: "99999999999999999999", want: badDateSep},
		{name: "int64 min overflows speedate's positive accumulation", in: "-9223372036854775808", want: badYear},
		{name: "float out of range, then read as a date", in: "1.7976931348623157e308", want: badYear},
		{name: "float out of range even after two scalings", in: "999999999999999999.5", want: badDateSep},

		// Integers out of speedate's range: the date fallback parses the same integer and fails
		// the same range check.
		{name: "milliseconds after 9999", in: "253402300800000", want: afterYear9999},
		{name: "far future", in: "99999999999999999", want: afterYear9999},
		{name: "int64 max", in: "9223372036854775807", want: afterYear9999},
		{name: "milliseconds before year 0", in: "-62167219200001", want: beforeYearZero},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseDatetime(tc.in)
			require.NotNil(t, err, "want an error, got %s", got)
			assert.Equal(t, Error{
				Type:     "datetime_from_date_parsing",
				Msg:      "Input should be a valid datetime or date, " + tc.want,
				CtxError: tc.want,
			}, *err)
			assert.True(t, got.IsZero())
		})
	}
}

// speedate 0.15 accepts year 0 (speedate #77) but Python's datetime does not; pydantic-core
// 2.27.2 (#1583) reports it from EitherDateTime::try_into_py, after the date fallback, as
// datetime_parsing.
func TestParseDatetimeYearZero(t *testing.T) {
	tests := []struct {
		name string
		in   string
	}{
		{name: "date only", in: "0000-01-01"},
		{name: "leap day of year 0", in: "0000-02-29"},
		{name: "datetime", in: "0000-01-01T00:00:00Z"},
		{name: "local year 0 even though UTC is year 1", in: "0000-12-31T23:00:00-01:00"},
		{name: "milliseconds at 0000-01-01", in: "-62167219200000"},
		{name: "last millisecond of year 0", in: "-62135596800001"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseDatetime(tc.in)
			require.NotNil(t, err)
			assert.Equal(t, Error{
				Type:     "datetime_parsing",
				Msg:      "Input should be a valid datetime, year 0 is out of range",
				CtxError: "year 0 is out of range",
			}, *err)
		})
	}
}

// The time and offset errors never reach a caller (the date fallback replaces them), so they are
// checked on the port itself, against speedate's PureTime::parse and Time::parse_bytes_offset.
func TestParseDateTimeRFC3339SpeedateErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want sdErr
	}{
		{name: "valid", in: "2025-01-01T10:20:30Z", want: sdOK},
		{name: "date too short", in: "2025-01", want: sdTooShort},
		{name: "date only has no separator", in: "2025-01-01", want: sdInvalidCharDateTimeSep},
		{name: "wrong separator", in: "2025-01-01X10:20", want: sdInvalidCharDateTimeSep},
		{name: "time too short", in: "2025-01-01T10:2", want: sdTooShort},
		{name: "letter in hour", in: "2025-01-01Ta0:20", want: sdInvalidCharHour},
		{name: "wrong time separator", in: "2025-01-01T10-20", want: sdInvalidCharTimeSep},
		{name: "letter in minute", in: "2025-01-01T10:2a", want: sdInvalidCharMinute},
		{name: "hour 24", in: "2025-01-01T24:00", want: sdOutOfRangeHour},
		{name: "hour 25 with bad minute reports the minute first", in: "2025-01-01T25:0a", want: sdInvalidCharMinute},
		{name: "minute 60", in: "2025-01-01T10:60", want: sdOutOfRangeMinute},
		{name: "one-digit second", in: "2025-01-01T10:20:3", want: sdInvalidCharSecond},
		{name: "second 60", in: "2025-01-01T10:20:60", want: sdOutOfRangeSecond},
		{name: "fraction missing", in: "2025-01-01T10:20:30.", want: sdSecondFractionMissing},
		{name: "bad zone sign", in: "2025-01-01T10:20:30A", want: sdInvalidCharTzSign},
		{name: "broken U+2212", in: "2025-01-01T10:20:30\xe2\x88", want: sdInvalidCharTzSign},
		{name: "letter in zone hour", in: "2025-01-01T10:20:30+a5:00", want: sdInvalidCharTzHour},
		{name: "zone hours only", in: "2025-01-01T10:20:30+05", want: sdInvalidCharTzMinute},
		{name: "zone colon without minutes", in: "2025-01-01T10:20:30+05:", want: sdInvalidCharTzMinute},
		{name: "one zone minute digit", in: "2025-01-01T10:20:30+05:3", want: sdInvalidCharTzMinute},
		{name: "zone minute 60", in: "2025-01-01T10:20:30+05:60", want: sdOutOfRangeTzMinute},
		{name: "zone of 24 hours", in: "2025-01-01T10:20:30-24:00", want: sdOutOfRangeTz},
		{name: "trailing garbage", in: "2025-01-01T10:20:30Zx", want: sdExtraCharacters},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseDateTimeRFC3339(tc.in)
			assert.Equal(t, tc.want.doc(), err.doc())
		})
	}
}

// speedate's own doc examples (src/date.rs, src/datetime.rs) and range constants.
func TestSpeedateTimestampExamples(t *testing.T) {
	t.Run("Date::from_timestamp exact midnight", func(t *testing.T) {
		d, err := dateFromTimestamp(1_654_560_000, true)
		require.Equal(t, sdOK, err)
		assert.Equal(t, sdDate{year: 2022, month: 6, day: 7}, d)
	})
	t.Run("Date::from_timestamp not at midnight", func(t *testing.T) {
		_, err := dateFromTimestamp(1_654_560_001, true)
		assert.Equal(t, sdDateNotExact, err)
	})
	t.Run("Date::from_timestamp milliseconds not on a second", func(t *testing.T) {
		_, err := dateFromTimestamp(1_654_560_000_001, true)
		assert.Equal(t, sdDateNotExact, err)
	})
	t.Run("DateTime::from_timestamp milliseconds plus microseconds", func(t *testing.T) {
		dt, err := dateTimeFromTimestamp(1_654_619_320_123, 123_000)
		require.Equal(t, sdOK, err)
		assert.Equal(t, "2022-06-07T16:28:40.246Z", time.Unix(dt.unix, int64(dt.micro)*1000).UTC().Format(time.RFC3339Nano))
	})
	t.Run("range constants are the instants speedate names", func(t *testing.T) {
		assert.Equal(t, int64(unix0000), time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC).Unix())
		assert.Equal(t, int64(unix0001), time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC).Unix())
		assert.Equal(t, int64(unix9999), time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC).Unix())
	})
	t.Run("microsecond overflow is TimeTooLarge", func(t *testing.T) {
		_, err := dateTimeFromTimestamp(1<<62, 1<<32-1)
		assert.Equal(t, sdTimeTooLarge, err)
	})
}

func TestSaturatingConversions(t *testing.T) {
	// Rust's float-to-int `as` casts, which speedate's float path relies on.
	assert.Equal(t, int64(0), saturatingInt64(nan()))
	assert.Equal(t, int64(9223372036854775807), saturatingInt64(1e300))
	assert.Equal(t, int64(-9223372036854775808), saturatingInt64(-1e300))
	assert.Equal(t, int64(-3), saturatingInt64(-3))
	assert.Equal(t, uint32(0), saturatingUint32(nan()))
	assert.Equal(t, uint32(0), saturatingUint32(-5))
	assert.Equal(t, uint32(4294967295), saturatingUint32(1e12))
	assert.Equal(t, uint32(7), saturatingUint32(7))
}

func nan() float64 {
	zero := 0.0
	return zero / zero
}

func FuzzParseDatetime(f *testing.F) {
	for _, s := range []string{"2025-01-01", "2025-01-01T10:20:30.5+05:30", "1700000000.5", "-1.5", "notadate",
		"30000000000000.5", "1.5e3", "0000-01-01", "2025-01-01T10:20:30\u221205:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseDatetime(s)
		if err != nil {
			require.Contains(t, []string{typeDatetimeFromDateParsing, typeDatetimeParsing}, err.Type)
			require.NotEmpty(t, err.CtxError)
			require.Equal(t, strings.HasPrefix(err.Msg, msgDatetimeFromDatePrefix), err.Type == typeDatetimeFromDateParsing)
			require.True(t, strings.HasSuffix(err.Msg, err.CtxError))
			return
		}
		require.Equal(t, time.UTC, got.Location())
		require.Zero(t, got.Nanosecond()%1000)
		// A parsed instant formatted back as RFC 3339 parses to the same instant.
		again, err := ParseDatetime(got.Format("2006-01-02T15:04:05.000000Z07:00"))
		if got.Year() >= 1 && got.Year() <= 9999 {
			require.Nil(t, err)
			require.True(t, got.Equal(again))
		}
	})
}

func BenchmarkParseDatetime(b *testing.B) {
	for _, in := range []string{"2025-01-01", "2025-01-01T10:20:30.123456+05:30", "1700000000", "1700000000.5", "notadate"} {
		b.Run(in, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_, _ = ParseDatetime(in)
			}
		})
	}
}
