// Package clock is the mock's time: the instant every answer describes. Like the seed, it is
// an input: by default it is frozen at each tenant's as_of, so answers never change and no wall
// clock is read. Frozen at another instant, it shows the data's past or future; live, it runs
// from an instant at a chosen speed, and it is the only thing in the mock that reads the wall
// clock. Two replicas given the same live start and speed answer alike.
package clock

import (
	"fmt"
	"math"
	"strconv"
	"sync/atomic"
	"time"
)

// Clock tells the mock's time. It is safe for concurrent use; the admin API moves it while
// requests read it.
type Clock struct {
	state atomic.Pointer[state]
	wall  func() time.Time
}

// state is one setting of the clock. The time it tells a tenant is
//
//	base + offset + (live ? (wall - start) * speed : 0)
//
// where base is at when absolute, else the tenant's as_of.
type state struct {
	absolute bool
	at       int64 // Unix microseconds
	offset   int64 // microseconds
	live     bool
	start    time.Time
	speed    float64
}

// Config sets a clock up. The zero value is frozen at each tenant's as_of.
type Config struct {
	// Live makes the clock run; false freezes it.
	Live bool
	// At is the instant the clock is frozen at, or starts from when live. Zero means each
	// tenant's as_of.
	At time.Time
	// Start is the wall time a live clock starts running at (it tells At then); zero means
	// when New is called. Replicas given the same Start and Speed agree.
	Start time.Time
	// Speed is how many seconds of mock time pass per wall second when live; zero means 1.
	Speed float64
	// Wall reads the wall clock; nil means time.Now. Only a live clock calls it.
	Wall func() time.Time
}

// MaxSpeed bounds Speed: a million mock seconds per second covers eleven days a second.
const MaxSpeed = 1e6

// New returns the clock cfg describes.
func New(cfg Config) (*Clock, error) {
	c := &Clock{wall: cfg.Wall}
	if c.wall == nil {
		c.wall = time.Now
	}
	s := &state{live: cfg.Live, speed: cfg.Speed}
	if !cfg.At.IsZero() {
		s.absolute, s.at = true, cfg.At.UnixMicro()
	}
	if s.speed == 0 {
		s.speed = 1
	}
	if err := checkSpeed(s.speed); err != nil {
		return nil, err
	}
	if cfg.Live {
		s.start = cfg.Start
		if s.start.IsZero() {
			s.start = c.wall()
		}
	}
	c.state.Store(s)
	return c, nil
}

func checkSpeed(speed float64) error {
	if !(speed > 0 && speed <= MaxSpeed) {
		return fmt.Errorf("speed %v: want more than 0 and at most %v (86400 makes a day pass each second)", speed, MaxSpeed)
	}
	return nil
}

// Now returns the mock time, in Unix microseconds, of a tenant whose data ends at asOf (Unix
// microseconds).
func (c *Clock) Now(asOf int64) int64 {
	s := c.state.Load()
	return s.now(asOf, c.wall)
}

func (s *state) now(asOf int64, wall func() time.Time) int64 {
	t := asOf
	if s.absolute {
		t = s.at
	}
	t = addSat(t, s.offset)
	if s.live {
		elapsed := float64(wall().Sub(s.start).Microseconds()) * s.speed
		t = addSat(t, int64(max(min(elapsed, math.MaxInt64/2), math.MinInt64/2)))
	}
	return t
}

// addSat adds without wrapping around.
func addSat(a, b int64) int64 {
	s := a + b
	if (b > 0 && s < a) || (b < 0 && s > a) {
		if b > 0 {
			return math.MaxInt64
		}
		return math.MinInt64
	}
	return s
}

// Advance moves the clock d forward (backward when negative) for every tenant; a live clock
// keeps running.
func (c *Clock) Advance(d time.Duration) {
	c.update(func(s *state) { s.offset = addSat(s.offset, d.Microseconds()) })
}

// Set moves the clock to t for every tenant; a live clock keeps running from t.
func (c *Clock) Set(t time.Time) {
	now := c.wall
	c.update(func(s *state) {
		s.absolute, s.at, s.offset = true, t.UnixMicro(), 0
		if s.live {
			s.start = now()
		}
	})
}

// Freeze stops the clock where it is.
func (c *Clock) Freeze() {
	now := c.wall
	c.update(func(s *state) {
		if s.live {
			elapsed := float64(now().Sub(s.start).Microseconds()) * s.speed
			s.offset = addSat(s.offset, int64(elapsed))
			s.live = false
		}
	})
}

// Run makes the clock run at speed from where it is.
func (c *Clock) Run(speed float64) error {
	if err := checkSpeed(speed); err != nil {
		return err
	}
	c.Freeze()
	now := c.wall
	c.update(func(s *state) { s.live, s.speed, s.start = true, speed, now() })
	return nil
}

func (c *Clock) update(change func(*state)) {
	for {
		old := c.state.Load()
		s := *old
		change(&s)
		if c.state.CompareAndSwap(old, &s) {
			return
		}
	}
}

// Reading describes the clock for the banner, /healthz and the admin API.
type Reading struct {
	// Mode is "frozen" or "live".
	Mode string
	// Speed is the live clock's speed (0 when frozen).
	Speed float64
	// AtAsOf is true when the clock tells each tenant its own as_of (plus an offset).
	AtAsOf bool
}

// Read describes the clock's setting.
func (c *Clock) Read() Reading {
	s := c.state.Load()
	r := Reading{Mode: "frozen", AtAsOf: !s.absolute}
	if s.live {
		r.Mode, r.Speed = "live", s.speed
	}
	return r
}

// FormatSpeed renders a speed for messages: 86400, 0.5.
func FormatSpeed(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
