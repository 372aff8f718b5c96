package lax

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// ParseDatetime parses s as pydantic v2 lax mode parses a str into a datetime: speedate DateTime (RFC3339-ish with T/t/space/_ separator,
// HH:MM[:SS[.frac]] with extra fraction digits truncated/handled as speedate does, Z/z/±HH:MM/±HHMM offsets, unix timestamps in s or ms when abs>2e10,
// fractional timestamps), and on failure pydantic's datetime_from_date fallback (a date parse; its error becomes datetime_from_date_parsing with speedate's DATE message).
// The result is converted to UTC; a value without offset is taken as UTC. Return microsecond precision.
//
// It follows pydantic-core 2.27 src/validators/datetime.rs: DateTimeValidator::validate calls
// bytes_as_datetime (speedate DateTime::parse_bytes_with_config, fraction overflow truncated,
// unix timestamps at offset 0), and on any failure in lax mode calls datetime_from_date, which
// parses the same string with speedate Date::parse_bytes and, if that fails too, reports the
// date error as datetime_from_date_parsing. The datetime's own error is never shown, so a bad
// hour, minute, second, fraction or offset after a valid date always reads "unexpected extra
// characters at the end of the input".
//
// speedate accepts year 0, Python does not. pydantic-core #1583 answers it with datetime_parsing
// "year 0 is out of range", and that is what this returns. The fix was labelled for backport to
// 2.27 and pydantic 2.10.4 ships pydantic-core 2.27.2, but no source here shows that 2.27.2
// contains it; under 2.27.0/2.27.1 (pydantic 2.10.0-2.10.3) the same input raises a bare
// ValueError, which FastAPI answers with a 500. No str input gets any other error type:
// speedate's timestamp range errors reach the caller only through the date fallback, as
// datetime_from_date_parsing.
func ParseDatetime(s string) (time.Time, *Error) {
	if dt, err := parseDateTime(s); err == sdOK {
		if dt.yearZero {
			return time.Time{}, errYearZero()
		}
		return time.Unix(dt.unix, int64(dt.micro)*1000).UTC(), nil
	}
	d, err := parseDate(s)
	if err != sdOK {
		return time.Time{}, errDatetimeFromDate(err)
	}
	if d.year == 0 {
		return time.Time{}, errYearZero()
	}
	return time.Date(int(d.year), time.Month(d.month), int(d.day), 0, 0, 0, 0, time.UTC), nil
}

// sdErr is speedate's ParseError. Only the date errors ever reach a caller, but the time and
// offset ones are kept so the port can be checked against speedate case by case.
type sdErr uint8

const (
	sdOK sdErr = iota
	sdTooShort
	sdExtraCharacters
	sdInvalidCharDateTimeSep
	sdInvalidCharDateSep
	sdDateNotExact
	sdInvalidCharYear
	sdInvalidCharMonth
	sdInvalidCharDay
	sdInvalidCharTimeSep
	sdInvalidCharHour
	sdInvalidCharMinute
	sdInvalidCharSecond
	sdInvalidCharTzSign
	sdInvalidCharTzHour
	sdInvalidCharTzMinute
	sdOutOfRangeTzMinute
	sdOutOfRangeTz
	sdOutOfRangeMonth
	sdOutOfRangeDay
	sdOutOfRangeHour
	sdOutOfRangeMinute
	sdOutOfRangeSecond
	sdSecondFractionMissing
	sdDateTooSmall
	sdDateTooLarge
	sdTimeTooLarge
)

// sdDocs are the doc comments of speedate 0.15 src/lib.rs ParseError, which pydantic-core reads
// with strum's get_documentation() and puts in msg and ctx.error. DateTooSmall says 0000 since
// speedate #77 (released in 0.15) extended timestamps back to year 0.
var sdDocs = [...]string{
	sdOK:                     "",
	sdTooShort:               "input is too short",
	sdExtraCharacters:        "unexpected extra characters at the end of the input",
	sdInvalidCharDateTimeSep: "invalid datetime separator, expected `T`, `t`, `_` or space",
	sdInvalidCharDateSep:     "invalid date separator, expected `-`",
	sdDateNotExact:           "Timestamp is not an exact date",
	sdInvalidCharYear:        "invalid character in year",
	sdInvalidCharMonth:       "invalid character in month",
	sdInvalidCharDay:         "invalid character in day",
	sdInvalidCharTimeSep:     "invalid time separator, expected `:`",
	sdInvalidCharHour:        "invalid character in hour",
	sdInvalidCharMinute:      "invalid character in minute",
	sdInvalidCharSecond:      "invalid character in second",
	sdInvalidCharTzSign:      "invalid timezone sign",
	sdInvalidCharTzHour:      "invalid timezone hour",
	sdInvalidCharTzMinute:    "invalid timezone minute",
	sdOutOfRangeTzMinute:     "timezone minute value is outside expected range of 0-59",
	sdOutOfRangeTz:           "timezone offset must be less than 24 hours",
	sdOutOfRangeMonth:        "month value is outside expected range of 1-12",
	sdOutOfRangeDay:          "day value is outside expected range",
	sdOutOfRangeHour:         "hour value is outside expected range of 0-23",
	sdOutOfRangeMinute:       "minute value is outside expected range of 0-59",
	sdOutOfRangeSecond:       "second value is outside expected range of 0-59",
	sdSecondFractionMissing:  "second fraction digits missing after `.`",
	sdDateTooSmall:           "dates before 0000 are not supported as unix timestamps",
	sdDateTooLarge:           "dates after 9999 are not supported as unix timestamps",
	sdTimeTooLarge:           "numeric times may not exceed 86,399 seconds",
}

func (e sdErr) doc() string {
	return sdDocs[e]
}

// Timestamp bounds and the seconds/milliseconds watershed, from speedate 0.15 src/date.rs.
const (
	msWatershed = 20_000_000_000  // |timestamp| above this is in milliseconds
	unix0000    = -62_167_219_200 // 0000-01-01T00:00:00Z, the smallest timestamp allowed
	unix0001    = -62_135_596_800 // 0001-01-01T00:00:00Z, the first instant Python can hold
	unix9999    = 253_402_300_799 // 9999-12-31T23:59:59Z, the largest timestamp allowed
	secondsADay = 86_400
	microsASec  = 1_000_000
)

type sdDate struct {
	year  uint16
	month uint8
	day   uint8
}

// sdDateTime is a parsed speedate DateTime, reduced to what the validator needs: the instant, and
// whether the local (pre-offset) date is in year 0, which pydantic refuses.
type sdDateTime struct {
	unix     int64  // seconds since the epoch, offset already applied
	micro    uint32 // 0..999999
	yearZero bool
}

// parseDateTime is speedate DateTime::parse_bytes_with_config: RFC 3339 first, and when that
// fails, a unix timestamp; when both fail the RFC 3339 error stands.
func parseDateTime(s string) (sdDateTime, sdErr) {
	dt, err := parseDateTimeRFC3339(s)
	if err == sdOK {
		return dt, sdOK
	}
	switch kind, i, f := floatParseBytes(s); kind {
	case numInt:
		return dateTimeFromTimestamp(i, 0)
	case numFloat:
		return dateTimeFromFloat(f)
	}
	return sdDateTime{}, err
}

// parseDateTimeRFC3339 is speedate DateTime::parse_bytes_rfc3339_with_config followed by
// Time::parse_bytes_offset from byte 11.
func parseDateTimeRFC3339(s string) (sdDateTime, sdErr) {
	d, err := parseDatePartial(s)
	if err != sdOK {
		return sdDateTime{}, err
	}
	if len(s) < 11 {
		return sdDateTime{}, sdInvalidCharDateTimeSep
	}
	switch s[10] {
	case 'T', 't', ' ', '_':
	default:
		return sdDateTime{}, sdInvalidCharDateTimeSep
	}
	t, err := parseTime(s, 11)
	if err != sdOK {
		return sdDateTime{}, err
	}
	wall := time.Date(int(d.year), time.Month(d.month), int(d.day),
		int(t.hour), int(t.minute), int(t.second), 0, time.UTC).Unix()
	return sdDateTime{
		unix:     wall - int64(t.offset),
		micro:    t.micro,
		yearZero: d.year == 0,
	}, sdOK
}

// parseDatePartial is speedate Date::parse_bytes_partial: YYYY-MM-DD in the first ten bytes,
// checked in this order, with nothing said about what follows. Every year 0000-9999 passes.
func parseDatePartial(s string) (sdDate, sdErr) {
	if len(s) < 10 {
		return sdDate{}, sdTooShort
	}
	var year uint16
	for i := 0; i < 4; i++ {
		if !isDigit(s[i]) {
			return sdDate{}, sdInvalidCharYear
		}
		year = year*10 + uint16(s[i]-'0')
	}
	if s[4] != '-' {
		return sdDate{}, sdInvalidCharDateSep
	}
	if !isDigit(s[5]) || !isDigit(s[6]) {
		return sdDate{}, sdInvalidCharMonth
	}
	month := (s[5]-'0')*10 + s[6] - '0'
	if s[7] != '-' {
		return sdDate{}, sdInvalidCharDateSep
	}
	if !isDigit(s[8]) || !isDigit(s[9]) {
		return sdDate{}, sdInvalidCharDay
	}
	day := (s[8]-'0')*10 + s[9] - '0'

	var maxDays uint8
	switch month {
	case 1, 3, 5, 7, 8, 10, 12:
		maxDays = 31
	case 4, 6, 9, 11:
		maxDays = 30
	case 2:
		maxDays = 28
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			maxDays = 29
		}
	default:
		return sdDate{}, sdOutOfRangeMonth
	}
	if day < 1 || day > maxDays {
		return sdDate{}, sdOutOfRangeDay
	}
	return sdDate{year: year, month: month, day: day}, sdOK
}

type sdTime struct {
	hour, minute, second uint8
	micro                uint32
	offset               int32 // seconds east of UTC, 0 when the value has none
}

// parseTime is speedate PureTime::parse plus the offset part of Time::parse_bytes_offset, with
// pydantic's default microseconds_precision "truncate": digits past the sixth are read and
// dropped, never rounded.
func parseTime(s string, off int) (sdTime, sdErr) {
	if len(s)-off < 5 {
		return sdTime{}, sdTooShort
	}
	if !isDigit(s[off]) || !isDigit(s[off+1]) {
		return sdTime{}, sdInvalidCharHour
	}
	hour := (s[off]-'0')*10 + s[off+1] - '0'
	if s[off+2] != ':' {
		return sdTime{}, sdInvalidCharTimeSep
	}
	if !isDigit(s[off+3]) || !isDigit(s[off+4]) {
		return sdTime{}, sdInvalidCharMinute
	}
	minute := (s[off+3]-'0')*10 + s[off+4] - '0'
	if hour > 23 {
		return sdTime{}, sdOutOfRangeHour
	}
	if minute > 59 {
		return sdTime{}, sdOutOfRangeMinute
	}
	t := sdTime{hour: hour, minute: minute}
	pos := off + 5

	if pos < len(s) && s[pos] == ':' {
		if !digitAt(s, off+6) || !digitAt(s, off+7) {
			return sdTime{}, sdInvalidCharSecond
		}
		t.second = (s[off+6]-'0')*10 + s[off+7] - '0'
		if t.second > 59 {
			return sdTime{}, sdOutOfRangeSecond
		}
		pos = off + 8
		if pos < len(s) && (s[pos] == '.' || s[pos] == ',') {
			pos++
			n := 0
			for pos+n < len(s) && isDigit(s[pos+n]) {
				if n < 6 {
					t.micro = t.micro*10 + uint32(s[pos+n]-'0')
				}
				n++
			}
			if n == 0 {
				return sdTime{}, sdSecondFractionMissing
			}
			for i := n; i < 6; i++ {
				t.micro *= 10
			}
			pos += n
		}
	}

	if pos < len(s) {
		c := s[pos]
		pos++
		if c == 'Z' || c == 'z' {
			t.offset = 0
		} else {
			var sign int32
			switch c {
			case '+':
				sign = 1
			case '-':
				sign = -1
			case 0xE2:
				// ISO 8601 allows U+2212 MINUS SIGN (E2 88 92) for negative offsets.
				if pos+1 >= len(s) || s[pos] != 0x88 || s[pos+1] != 0x92 {
					return sdTime{}, sdInvalidCharTzSign
				}
				pos += 2
				sign = -1
			default:
				return sdTime{}, sdInvalidCharTzSign
			}
			if !digitAt(s, pos) || !digitAt(s, pos+1) {
				return sdTime{}, sdInvalidCharTzHour
			}
			h := int32(s[pos]-'0')*10 + int32(s[pos+1]-'0')
			var m1 int32
			switch {
			case pos+2 < len(s) && s[pos+2] == ':':
				pos += 3
				if !digitAt(s, pos) {
					return sdTime{}, sdInvalidCharTzMinute
				}
				m1 = int32(s[pos] - '0')
			case digitAt(s, pos+2):
				pos += 2
				m1 = int32(s[pos] - '0')
			default:
				return sdTime{}, sdInvalidCharTzMinute
			}
			if !digitAt(s, pos+1) {
				return sdTime{}, sdInvalidCharTzMinute
			}
			minuteSeconds := m1*600 + int32(s[pos+1]-'0')*60
			if minuteSeconds >= 3600 {
				return sdTime{}, sdOutOfRangeTzMinute
			}
			// Python's timezone needs |offset| < 24h, and speedate checks it for that reason.
			t.offset = sign * (h*3600 + minuteSeconds)
			if t.offset >= secondsADay || t.offset <= -secondsADay {
				return sdTime{}, sdOutOfRangeTz
			}
			pos += 2
		}
	}

	if len(s) > pos {
		return sdTime{}, sdExtraCharacters
	}
	return t, sdOK
}

func digitAt(s string, i int) bool {
	return i < len(s) && isDigit(s[i])
}

type numKind uint8

const (
	numErr numKind = iota
	numInt
	numFloat
)

// floatParseBytes is speedate 0.15 src/numbers.rs float_parse_bytes: any '.' sends the string to
// lexical's STANDARD float grammar; otherwise it must be an optionally signed run of digits that
// fits an int64.
func floatParseBytes(s string) (numKind, int64, float64) {
	if strings.IndexByte(s, '.') >= 0 {
		f, ok := lexicalFloat(s)
		if !ok {
			return numErr, 0, 0
		}
		return numFloat, 0, f
	}
	i, ok := intParseBytes(s)
	if !ok {
		return numErr, 0, 0
	}
	return numInt, i, 0
}

// intParseBytes is speedate int_parse_bytes: optional '+' or '-', at least one digit, no
// overflow. "+" and "-" alone are not numbers.
func intParseBytes(s string) (int64, bool) {
	neg := false
	digits := s
	if len(s) >= 2 && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		digits = s[1:]
	}
	if digits == "" {
		return 0, false
	}
	var v int64
	for i := 0; i < len(digits); i++ {
		c := digits[i]
		if !isDigit(c) || v > (math.MaxInt64-int64(c-'0'))/10 {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	if neg {
		v = -v
	}
	return v, true
}

// lexicalFloat accepts exactly lexical-parse-float's STANDARD format (Rust's float string
// syntax): [+-] digits [. digits] [(e|E) [+-] digits], at least one mantissa digit, exponent
// digits required, no '_', no hex, no inf/nan. Go's ParseFloat accepts more than that, so the
// syntax is checked here and ParseFloat only does the (equally correctly rounded) conversion.
func lexicalFloat(s string) (float64, bool) {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	mantissa := 0
	for i < len(s) && isDigit(s[i]) {
		i++
		mantissa++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isDigit(s[i]) {
			i++
			mantissa++
		}
	}
	if mantissa == 0 {
		return 0, false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		exp := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		if i == exp {
			return 0, false
		}
	}
	if i != len(s) {
		return 0, false
	}
	// Overflow gives ±Inf with ErrRange, as lexical does; the timestamp path then fails on range.
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

// dateTimeFromFloat is the IntFloat::Float arm of speedate DateTime::parse_bytes_with_config:
// scale milliseconds to seconds, floor, round the remainder to microseconds, then hand both to
// from_timestamp_with_config, which applies the watershed a second time. A float that is still
// above 2e10 after the first scaling is thus scaled again: "30000000000000.5" is 1970-12-14.
func dateTimeFromFloat(f float64) (sdDateTime, sdErr) {
	norm := f
	if math.Abs(f) > msWatershed {
		norm = f / 1000
	}
	seconds := saturatingInt64(math.Floor(norm))
	micro := saturatingUint32(math.Round((norm - float64(seconds)) * microsASec))
	return dateTimeFromTimestamp(seconds, micro)
}

// dateTimeFromTimestamp is speedate DateTime::from_timestamp_with_config.
func dateTimeFromTimestamp(timestamp int64, micro uint32) (sdDateTime, sdErr) {
	second, extra, err := timestampWatershed(timestamp)
	if err != sdOK {
		return sdDateTime{}, err
	}
	total := uint64(micro) + uint64(extra)
	if total > math.MaxUint32 {
		return sdDateTime{}, sdTimeTooLarge
	}
	if total >= microsASec {
		second += int64(total / microsASec)
		total %= microsASec
	}
	if err := checkTimestampRange(second); err != sdOK {
		return sdDateTime{}, err
	}
	return sdDateTime{unix: second, micro: uint32(total), yearZero: second < unix0001}, sdOK
}

// timestampWatershed is speedate Date::timestamp_watershed: above 2e10 in absolute value the
// number is milliseconds, split into whole seconds (floored) and microseconds.
func timestampWatershed(timestamp int64) (int64, uint32, sdErr) {
	if timestamp == math.MinInt64 {
		return 0, 0, sdDateTooSmall // checked_abs overflows
	}
	abs := timestamp
	if abs < 0 {
		abs = -abs
	}
	if abs <= msWatershed {
		return timestamp, 0, sdOK
	}
	seconds, micro := timestamp/1000, timestamp%1000*1000
	if micro < 0 {
		seconds--
		micro += microsASec
	}
	return seconds, uint32(micro), sdOK
}

// checkTimestampRange is the range check of speedate Date::from_timestamp_calc.
func checkTimestampRange(second int64) sdErr {
	if second < unix0000 {
		return sdDateTooSmall
	}
	if second > unix9999 {
		return sdDateTooLarge
	}
	return sdOK
}

// parseDate is speedate Date::parse_bytes, the parse pydantic's datetime_from_date falls back to:
// exactly YYYY-MM-DD, else an integer timestamp that must fall on a midnight.
func parseDate(s string) (sdDate, sdErr) {
	d, err := parseDatePartial(s)
	if err == sdOK && len(s) > 10 {
		err = sdExtraCharacters
	}
	if err == sdOK {
		return d, sdOK
	}
	if ts, ok := intParseBytes(s); ok {
		return dateFromTimestamp(ts, true)
	}
	return sdDate{}, err
}

// dateFromTimestamp is speedate Date::from_timestamp. On ParseDatetime's path it only ever sees
// integers that DateTime already failed on, and both fail the same range check first, so the
// exactness error cannot reach a caller; it is kept for fidelity.
func dateFromTimestamp(timestamp int64, requireExact bool) (sdDate, sdErr) {
	second, micro, err := timestampWatershed(timestamp)
	if err != sdOK {
		return sdDate{}, err
	}
	if err := checkTimestampRange(second); err != sdOK {
		return sdDate{}, err
	}
	if requireExact && (floorMod(second, secondsADay) != 0 || micro != 0) {
		return sdDate{}, sdDateNotExact
	}
	y, m, d := time.Unix(second, 0).UTC().Date()
	return sdDate{year: uint16(y), month: uint8(m), day: uint8(d)}, sdOK
}

func floorMod(a, b int64) int64 {
	m := a % b
	if m < 0 {
		m += b
	}
	return m
}

// saturatingInt64 is Rust's `f as i64`: NaN is 0 and out-of-range values clamp, where a Go
// conversion would be implementation-defined.
func saturatingInt64(f float64) int64 {
	switch {
	case math.IsNaN(f):
		return 0
	case f >= math.MaxInt64:
		return math.MaxInt64
	case f <= math.MinInt64:
		return math.MinInt64
	}
	return int64(f)
}

// saturatingUint32 is Rust's `f as u32`.
func saturatingUint32(f float64) uint32 {
	switch {
	case math.IsNaN(f) || f <= 0:
		return 0
	case f >= math.MaxUint32:
		return math.MaxUint32
	}
	return uint32(f)
}
