// Package journal keeps a bounded record of the API requests the mock served, newest first, so a
// developer can see what their service under test actually sent and what it got back (the
// admin API serves it). It records no headers, so no API key: callers redact keys from paths
// and queries before they Add. Its memory is fixed by its size: each entry's text lives in a
// per-slot buffer, capped per field, that a new entry overwrites.
package journal

import (
	"sync"
	"time"
)

// DefaultSize is the number of entries a journal keeps when Config.Size is 0.
const DefaultSize = 1000

// MaxSize bounds Config.Size: with every field at its cap an entry holds about 3.5 KiB, so a
// full journal of MaxSize entries holds at most about 350 MiB.
const MaxSize = 100_000

// The caps on an entry's text fields, in bytes. Longer values are cut (Entry.Truncated says so),
// so a client sending huge URLs cannot make the journal grow.
const (
	MaxMethodBytes = 16
	MaxFIBytes     = 256
	MaxPathBytes   = 1024
	MaxQueryBytes  = 2048
	MaxPreferBytes = 128
)

// Source says which settings injected a fault.
type Source uint8

// The sources of a fault.
const (
	// NoSource: no such fault was injected.
	NoSource Source = iota
	// Chaos is the global chaos (--latency, --error-rate, --rate-limit).
	Chaos
	// Key is the fault profile of the request's API key (the tenants config).
	Key
)

// String is the source's name in JSON: "", "chaos" or "key".
func (s Source) String() string {
	switch s {
	case Chaos:
		return "chaos"
	case Key:
		return "key"
	}
	return ""
}

// Faults are the faults applied to one request. The zero value is none.
type Faults struct {
	// Latency is the pause the global chaos added (--latency).
	Latency time.Duration
	// KeyLatency is the pause the key's fault profile added.
	KeyLatency time.Duration
	// Error says whose error rate answered the request with the load balancer's 503.
	Error Source
	// RateLimit says whose rate limit answered the request with 429.
	RateLimit Source
	// Status is the key profile's fixed status when it answered the request; 0 otherwise.
	Status int
	// Prefer is the Prefer controls honoured, as Preference-Applied lists them
	// ("code=503, delay=100", "fault=connection_reset"); empty when none.
	Prefer string
}

// Entry is one request as the journal records it.
type Entry struct {
	// Seq numbers the entries of a journal from 1 in the order they were added; Add sets it.
	// Numbers are never reused, not even after Clear, so a reader can tell new entries apart.
	Seq uint64
	// Time is when the request arrived, on the mock's clock.
	Time time.Time
	// FI is the name of the tenant the request's key resolved to; empty when none did (a
	// missing or unknown key, an unknown path).
	FI string
	// Method, Path (decoded) and Query (raw, as sent) describe the request, never its
	// headers.
	Method, Path, Query string
	// Status is the status answered; 444 when the connection was cut without an answer.
	Status int
	// Duration is how long the mock took to answer, deliberate delays included.
	Duration time.Duration
	// Faults are the faults applied.
	Faults Faults
	// Truncated says a text field was longer than its cap and was cut.
	Truncated bool
}

// Config holds a journal's optional settings. The zero value is valid.
type Config struct {
	// Size is how many entries the journal keeps, at most MaxSize (more is MaxSize); 0 means
	// DefaultSize.
	Size int
}

// Journal is a fixed-size ring of entries, safe for concurrent use. Add takes a mutex for the
// time it takes to copy one entry, and allocates nothing once a slot's buffer has grown to fit
// its entries; List and Clear are for the occasional reader.
type Journal struct {
	now func() time.Time

	mu    sync.Mutex
	slots []slot
	seq   uint64 // entries ever added; the newest is in slots[(seq-1)%len(slots)]
	n     int    // entries listed: added since the last Clear, at most len(slots)
}

// slot holds one entry: its fixed-size fields in e, and its text in buf (method, FI, path,
// query, Prefer, one after the other, their ends in ends).
type slot struct {
	e    Entry
	buf  []byte
	ends [5]int
}

// New returns an empty journal. now is the mock's clock, which callers stamp entries with
// (Now); the journal itself never reads the time.
func New(now func() time.Time, cfg Config) *Journal {
	size := cfg.Size
	switch {
	case size <= 0:
		size = DefaultSize
	case size > MaxSize:
		size = MaxSize
	}
	return &Journal{now: now, slots: make([]slot, size)}
}

// Now reads the journal's clock: the time to stamp a request's entry with.
func (j *Journal) Now() time.Time {
	return j.now()
}

// Size returns how many entries the journal keeps.
func (j *Journal) Size() int {
	return len(j.slots)
}

// Add records e as the newest entry, overwriting the oldest when the journal is full. It sets
// e.Seq, and cuts text fields to their caps.
func (j *Journal) Add(e Entry) {
	j.mu.Lock()
	j.seq++
	s := &j.slots[(j.seq-1)%uint64(len(j.slots))]
	fields := [5]string{e.Method, e.FI, e.Path, e.Query, e.Faults.Prefer}
	s.e = e
	s.e.Seq = j.seq
	s.e.Method, s.e.FI, s.e.Path, s.e.Query, s.e.Faults.Prefer = "", "", "", "", ""
	s.buf = s.buf[:0]
	for i, f := range fields {
		if len(f) > caps[i] {
			f = f[:caps[i]]
			s.e.Truncated = true
		}
		s.buf = append(s.buf, f...)
		s.ends[i] = len(s.buf)
	}
	if j.n < len(j.slots) {
		j.n++
	}
	j.mu.Unlock()
}

// caps are the caps of the text fields, in slot order.
var caps = [5]int{MaxMethodBytes, MaxFIBytes, MaxPathBytes, MaxQueryBytes, MaxPreferBytes}

// List returns up to limit entries, newest first, of the tenant named fi; limit <= 0 means
// every entry kept, and fi == "" means every tenant's (and the requests of none).
func (j *Journal) List(limit int, fi string) []Entry {
	// Copy the matching slots' text into one arena under the lock, then make the strings
	// outside it: a reader holds up writers for a few copies, not for an allocation per field.
	room := j.Len() // allocated before the copying lock; more entries may come meanwhile
	if limit > 0 {
		room = min(room, limit)
	}
	arena := make([]byte, 0, room*96)
	out := make([]Entry, 0, room)
	ends := make([][5]int, 0, room)
	j.mu.Lock()
	for i := 0; i < j.n && (limit <= 0 || len(out) < limit); i++ {
		s := &j.slots[(j.seq-1-uint64(i))%uint64(len(j.slots))]
		if fi != "" && string(s.buf[s.ends[0]:s.ends[1]]) != fi {
			continue
		}
		base := len(arena)
		arena = append(arena, s.buf...)
		var e [5]int
		for k := range e {
			e[k] = base + s.ends[k]
		}
		out = append(out, s.e)
		ends = append(ends, e)
	}
	j.mu.Unlock()
	text := string(arena)
	start := 0 // where the current entry's text starts: where the previous one's ends
	for i := range out {
		e := &ends[i]
		out[i].Method = text[start:e[0]]
		out[i].FI = text[e[0]:e[1]]
		out[i].Path = text[e[1]:e[2]]
		out[i].Query = text[e[2]:e[3]]
		out[i].Faults.Prefer = text[e[3]:e[4]]
		start = e[4]
	}
	return out
}

// Len returns how many entries List would return with no limit and no filter.
func (j *Journal) Len() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.n
}

// Clear forgets every entry. Sequence numbers go on from where they were.
func (j *Journal) Clear() {
	j.mu.Lock()
	j.n = 0
	j.mu.Unlock()
}
