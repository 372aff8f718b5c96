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

// AppendSeconds appends the Unix time sec (seconds) as the API renders date-times.
func AppendSeconds(b []byte, sec int64) []byte {
	return time.Unix(sec, 0).UTC().AppendFormat(b, DateTimeLayout)
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
