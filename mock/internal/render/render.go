// Package render writes what every list and error answer of the Partner API shares, exactly as
// the live FastAPI service does: compact JSON, the paging envelope, FastAPI's {"detail": ...}
// body, its date-times. Each resource renders its own items; Store keeps them rendered once.
package render

import (
	"math"
	"math/big"
	"strconv"
	"time"

	"github.com/cryptofi/partner-mock/mock/internal/pyjson"
)

// Envelope is the paging part of a list response.
type Envelope struct {
	Total int
	// LastRecordNumber is the request's cursor. It is a big integer because the live API echoes
	// any non-negative integer it was sent, however large. The response's last_record_number is
	// LastRecordNumber + Returned.
	LastRecordNumber *big.Int
	// Returned is the number of items on the page.
	Returned int
	PerPage  int
}

// AppendEnvelope closes the items array of a list answer and appends the paging fields and the
// closing brace: a list answer is {"items":[ then the items, comma-separated, then this.
func AppendEnvelope(b []byte, env Envelope) []byte {
	b = append(b, `],"total_records":`...)
	b = strconv.AppendInt(b, int64(env.Total), 10)
	b = append(b, `,"last_record_number":`...)
	if c := env.LastRecordNumber; c.IsInt64() && c.Int64() <= math.MaxInt64-int64(env.Returned) {
		// The common case, without big.Int arithmetic and its allocations.
		b = strconv.AppendInt(b, c.Int64()+int64(env.Returned), 10)
	} else {
		b = new(big.Int).Add(c, big.NewInt(int64(env.Returned))).Append(b, 10)
	}
	b = append(b, `,"per_page":`...)
	b = strconv.AppendInt(b, int64(env.PerPage), 10)
	return append(b, '}')
}

// AppendDetail appends FastAPI's HTTPException body {"detail":"..."}.
func AppendDetail(b []byte, detail string) []byte {
	b = append(b, `{"detail":`...)
	b = pyjson.AppendString(b, detail)
	return append(b, '}')
}

// DateTimeLayout is how the API renders every date-time: whole seconds, UTC, a Z.
const DateTimeLayout = "2006-01-02T15:04:05Z"

// AppendSeconds appends the Unix time sec (seconds) as the API renders date-times. Every page
// renders dozens, so years 0 to 9999 (all the API can hold) are written directly from the civil
// date; others go through package time.
func AppendSeconds(b []byte, sec int64) []byte {
	const (
		minSec = -62167219200 // 0000-01-01T00:00:00Z
		maxSec = 253402300799 // 9999-12-31T23:59:59Z
	)
	if sec < minSec || sec > maxSec {
		return time.Unix(sec, 0).UTC().AppendFormat(b, DateTimeLayout)
	}
	days, rem := floorDiv(sec, 86400), sec-floorDiv(sec, 86400)*86400
	y, m, d := civil(days)
	hh, mm, ss := rem/3600, rem/60%60, rem%60
	return append(b,
		byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+m/10), byte('0'+m%10), '-', byte('0'+d/10), byte('0'+d%10), 'T',
		byte('0'+hh/10), byte('0'+hh%10), ':', byte('0'+mm/10), byte('0'+mm%10), ':',
		byte('0'+ss/10), byte('0'+ss%10), 'Z')
}

// civil returns the proleptic Gregorian date of days since 1970-01-01 (Howard Hinnant's
// days-to-civil algorithm).
func civil(days int64) (y, m, d int64) {
	z := days + 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	m = mp + 3
	if mp >= 10 {
		m = mp - 9
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}

// AppendMicros appends the Unix time us (microseconds), truncated to the second, as the API
// renders date-times.
func AppendMicros(b []byte, us int64) []byte {
	return AppendSeconds(b, floorDiv(us, 1_000_000))
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}
