package clock

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeWall is a wall clock the test moves by hand.
type fakeWall struct{ t time.Time }

func (w *fakeWall) now() time.Time { return w.t }

var asOf = time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC).UnixMicro()

func TestFrozenByDefaultAtEachTenantsAsOf(t *testing.T) {
	c, err := New(Config{Wall: func() time.Time { panic("a frozen clock reads no wall clock") }})
	require.NoError(t, err)
	assert.Equal(t, asOf, c.Now(asOf))
	assert.Equal(t, asOf+5, c.Now(asOf+5))
	assert.Equal(t, Reading{Mode: "frozen", AtAsOf: true}, c.Read())
}

func TestFrozenAtAnInstant(t *testing.T) {
	at := time.Date(2025, 10, 8, 12, 0, 0, 0, time.UTC)
	c, err := New(Config{At: at})
	require.NoError(t, err)
	assert.Equal(t, at.UnixMicro(), c.Now(asOf))
	assert.Equal(t, at.UnixMicro(), c.Now(0), "the same instant for every tenant")
}

func TestLiveRunsAtItsSpeedFromItsStart(t *testing.T) {
	w := &fakeWall{t: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)}
	start := w.t.Add(-10 * time.Second)
	c, err := New(Config{Live: true, Start: start, Speed: 86400, Wall: w.now})
	require.NoError(t, err)
	assert.Equal(t, asOf+10*86400*1e6, c.Now(asOf), "ten wall seconds are ten days")
	w.t = w.t.Add(time.Second)
	assert.Equal(t, asOf+11*86400*1e6, c.Now(asOf))

	// Two replicas given the same start and speed agree.
	other, err := New(Config{Live: true, Start: start, Speed: 86400, Wall: w.now})
	require.NoError(t, err)
	assert.Equal(t, c.Now(asOf), other.Now(asOf))
}

func TestControls(t *testing.T) {
	w := &fakeWall{t: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)}
	c, err := New(Config{Wall: w.now})
	require.NoError(t, err)
	c.Advance(36 * time.Hour)
	assert.Equal(t, asOf+36*3600*1e6, c.Now(asOf))
	require.NoError(t, c.Run(2))
	w.t = w.t.Add(time.Hour)
	assert.Equal(t, asOf+38*3600*1e6, c.Now(asOf), "running at 2x from where it was")
	c.Freeze()
	w.t = w.t.Add(time.Hour)
	assert.Equal(t, asOf+38*3600*1e6, c.Now(asOf), "frozen where it was")
	set := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	c.Set(set)
	assert.Equal(t, set.UnixMicro(), c.Now(asOf))
	assert.Error(t, c.Run(0))
	assert.Error(t, c.Run(MaxSpeed*2))
}

func TestBadSpeedIsRefused(t *testing.T) {
	_, err := New(Config{Live: true, Speed: -1})
	assert.ErrorContains(t, err, "want more than 0")
}
