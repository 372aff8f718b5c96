package faults

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func TestLimiterBurstThenRefill(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	l := NewLimiter(Rate{N: 10, Per: time.Second}, clock.now)
	for i := range 10 {
		ok, _ := l.Allow("k1")
		assert.True(t, ok, "request %d of the burst", i)
	}
	ok, wait := l.Allow("k1")
	assert.False(t, ok, "the 11th request in the same instant")
	assert.Equal(t, 100*time.Millisecond, wait.Round(time.Millisecond), "one token comes back every 100ms")
	assert.Equal(t, 1, RetryAfter(wait))

	ok, _ = l.Allow("k2")
	assert.True(t, ok, "keys have their own budgets")

	clock.advance(100 * time.Millisecond)
	ok, _ = l.Allow("k1")
	assert.True(t, ok, "a token came back")
	ok, _ = l.Allow("k1")
	assert.False(t, ok)

	clock.advance(time.Hour)
	for range 10 {
		ok, _ = l.Allow("k1")
		assert.True(t, ok)
	}
	ok, _ = l.Allow("k1")
	assert.False(t, ok, "refill stops at the burst size")
}

func TestLimiterSlowRateRetryAfter(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	l := NewLimiter(Rate{N: 1, Per: time.Minute}, clock.now)
	ok, _ := l.Allow("k")
	assert.True(t, ok)
	clock.advance(15 * time.Second)
	ok, wait := l.Allow("k")
	assert.False(t, ok)
	assert.Equal(t, 45, RetryAfter(wait))
}

func TestRetryAfterRoundsUp(t *testing.T) {
	assert.Equal(t, 1, RetryAfter(0))
	assert.Equal(t, 1, RetryAfter(time.Millisecond))
	assert.Equal(t, 1, RetryAfter(time.Second))
	assert.Equal(t, 2, RetryAfter(time.Second+time.Nanosecond))
	assert.Equal(t, 60, RetryAfter(time.Minute-time.Microsecond))
}
