package faults

import (
	"sync"
	"time"
)

// Limiter enforces a Rate per key with a token bucket: each key starts with N tokens, a request
// takes one, and tokens come back at N per Per. It is safe for concurrent use. Callers pass only
// keys that resolve to a tenant, so the number of buckets is bounded by the config.
type Limiter struct {
	rate    Rate
	now     func() time.Time
	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

// NewLimiter returns a limiter for r. now is the clock; nil means time.Now.
func NewLimiter(r Rate, now func() time.Time) *Limiter {
	if now == nil {
		now = time.Now
	}
	return &Limiter{rate: r, now: now, buckets: map[string]*bucket{}}
}

// Allow takes a token for key. When none is left it returns false and how long until one is:
// the Retry-After a client should honour.
func (l *Limiter) Allow(key string) (bool, time.Duration) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{tokens: float64(l.rate.N), last: now}
		l.buckets[key] = b
	}
	perToken := l.rate.Per.Seconds() / float64(l.rate.N)
	if elapsed := now.Sub(b.last).Seconds(); elapsed > 0 {
		b.tokens = min(float64(l.rate.N), b.tokens+elapsed/perToken)
		b.last = now
	}
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) * perToken * float64(time.Second))
}

// RetryAfter formats a wait as a Retry-After value: whole seconds, rounded up, at least 1.
func RetryAfter(wait time.Duration) int {
	s := int((wait + time.Second - 1) / time.Second)
	return max(s, 1)
}
