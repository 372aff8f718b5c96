package journal

import (
	"strconv"
	"time"

	"github.com/cryptofi/partner-mock/mock/internal/pyjson"
)

// AppendJSON appends entries as a compact JSON array, in the order given (List's: newest
// first). Each entry is an object with these keys, always, in this order:
//
//	seq          the entry's number (Entry.Seq)
//	time         RFC 3339 in UTC with milliseconds, "2025-10-01T00:00:00.000Z"
//	fi           the tenant's name, or "" when no key resolved
//	method       "GET"
//	path         the decoded path, "/v1/users/member-001/"
//	query        the raw query as sent, without "?"; "" when none
//	status       the status answered; 444 for a connection cut without an answer
//	duration_ms  the time taken, in milliseconds with three decimals
//	truncated    whether a text field was cut at its cap
//	faults       the faults applied: an object holding only those that were, in this order:
//	               latency_ms      (--latency's pause, ms with three decimals)
//	               key_latency_ms  (the key profile's pause)
//	               error           ("chaos" or "key": whose error rate answered 503)
//	               rate_limit      ("chaos" or "key": whose rate limit answered 429)
//	               status          (the key profile's fixed status)
//	               prefer          (the Prefer controls honoured, as Preference-Applied says them)
//	             and {} when none was.
func AppendJSON(dst []byte, entries []Entry) []byte {
	dst = append(dst, '[')
	for i := range entries {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = entries[i].AppendJSON(dst)
	}
	return append(dst, ']')
}

// AppendJSON appends e as one JSON object, as AppendJSON describes.
func (e *Entry) AppendJSON(dst []byte) []byte {
	dst = append(dst, `{"seq":`...)
	dst = strconv.AppendUint(dst, e.Seq, 10)
	dst = append(dst, `,"time":"`...)
	dst = e.Time.UTC().AppendFormat(dst, "2006-01-02T15:04:05.000Z07:00")
	dst = append(dst, `","fi":`...)
	dst = pyjson.AppendString(dst, e.FI)
	dst = append(dst, `,"method":`...)
	dst = pyjson.AppendString(dst, e.Method)
	dst = append(dst, `,"path":`...)
	dst = pyjson.AppendString(dst, e.Path)
	dst = append(dst, `,"query":`...)
	dst = pyjson.AppendString(dst, e.Query)
	dst = append(dst, `,"status":`...)
	dst = strconv.AppendInt(dst, int64(e.Status), 10)
	dst = append(dst, `,"duration_ms":`...)
	dst = appendMillis(dst, e.Duration)
	dst = append(dst, `,"truncated":`...)
	dst = strconv.AppendBool(dst, e.Truncated)
	dst = append(dst, `,"faults":{`...)
	f := &e.Faults
	sep := false
	key := func(name string) {
		if sep {
			dst = append(dst, ',')
		}
		sep = true
		dst = append(dst, '"')
		dst = append(dst, name...)
		dst = append(dst, `":`...)
	}
	if f.Latency != 0 {
		key("latency_ms")
		dst = appendMillis(dst, f.Latency)
	}
	if f.KeyLatency != 0 {
		key("key_latency_ms")
		dst = appendMillis(dst, f.KeyLatency)
	}
	if f.Error != NoSource {
		key("error")
		dst = pyjson.AppendString(dst, f.Error.String())
	}
	if f.RateLimit != NoSource {
		key("rate_limit")
		dst = pyjson.AppendString(dst, f.RateLimit.String())
	}
	if f.Status != 0 {
		key("status")
		dst = strconv.AppendInt(dst, int64(f.Status), 10)
	}
	if f.Prefer != "" {
		key("prefer")
		dst = pyjson.AppendString(dst, f.Prefer)
	}
	return append(dst, "}}"...)
}

// appendMillis appends d in milliseconds with three decimals (microsecond precision).
func appendMillis(dst []byte, d time.Duration) []byte {
	return strconv.AppendFloat(dst, float64(d.Round(time.Microsecond))/float64(time.Millisecond), 'f', 3, 64)
}
