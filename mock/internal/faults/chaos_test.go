package faults

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseLatency(t *testing.T) {
	tests := []struct {
		in   string
		want Latency
		err  string
	}{
		{"", Latency{}, ""},
		{"50ms", Latency{50 * time.Millisecond, 50 * time.Millisecond}, ""},
		{"20ms-200ms", Latency{20 * time.Millisecond, 200 * time.Millisecond}, ""},
		{"0-1s", Latency{0, time.Second}, ""},
		{"30s", Latency{30 * time.Second, 30 * time.Second}, ""},
		{"50", Latency{}, `--latency "50": want a duration such as 50ms, or a range such as 20ms-200ms (at most 30s)`},
		{"fast", Latency{}, `want a duration such as 50ms`},
		{"20ms-", Latency{}, `want a duration such as 50ms`},
		{"-5ms", Latency{}, `want a duration such as 50ms`},
		{"200ms-20ms", Latency{}, `--latency "200ms-20ms": the range's low end is above its high end; write it as 20ms-200ms`},
		{"31s", Latency{}, `--latency "31s": at most 30s`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseLatency(tt.in)
			if tt.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			if tt.in != "" {
				again, err := ParseLatency(got.String())
				require.NoError(t, err)
				assert.Equal(t, got, again, "String round-trips")
			}
		})
	}
}

func TestParseErrorRate(t *testing.T) {
	for in, want := range map[string]float64{"": 0, "0": 0, "0.02": 0.02, "1": 1} {
		got, err := ParseErrorRate(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{"2%", "-0.1", "1.5", "NaN", "x"} {
		_, err := ParseErrorRate(in)
		require.Error(t, err, in)
		assert.Contains(t, err.Error(), `--error-rate "`+in+`": want a fraction from 0 to 1, such as 0.02 for 2% of requests`)
	}
}

func TestParseRate(t *testing.T) {
	for in, want := range map[string]Rate{"": {}, "10/s": {10, time.Second}, "300/m": {300, time.Minute}, "1/h": {1, time.Hour}} {
		got, err := ParseRate(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
		if in != "" {
			assert.Equal(t, in, got.String())
		}
	}
	for _, in := range []string{"10", "10/d", "0/s", "-1/s", "x/s", "10/sec", "2000000/s"} {
		_, err := ParseRate(in)
		require.Error(t, err, in)
		assert.Contains(t, err.Error(), `--rate-limit "`+in+`": want requests per key per unit, such as 10/s, 300/m or 1000/h`)
	}
}

func TestChaosDescribe(t *testing.T) {
	assert.False(t, Chaos{Seed: 9}.Active())
	assert.Empty(t, Chaos{Seed: 9}.Describe())
	c := Chaos{Latency: Latency{20 * time.Millisecond, 200 * time.Millisecond}, ErrorRate: 0.02, RateLimit: Rate{10, time.Second}, Seed: 7}
	assert.True(t, c.Active())
	assert.Equal(t, []string{
		"latency 20ms-200ms on every API request",
		"error rate 2% (503 from the load balancer)",
		"rate limit 10/s per API key (429 with Retry-After)",
		"chaos seed 7 (--chaos-seed replays the same decisions)",
	}, c.Describe())
	assert.Equal(t, []string{"rate limit 10/s per API key (429 with Retry-After)"}, Chaos{RateLimit: Rate{10, time.Second}}.Describe(),
		"no seed line when nothing is random")
}

func draws(c Chaos, n int) []Decision {
	d := NewDice(c)
	out := make([]Decision, n)
	for i := range out {
		out[i] = d.Decide()
	}
	return out
}

func TestDiceReplaysForTheSameSeed(t *testing.T) {
	c := Chaos{Latency: Latency{20 * time.Millisecond, 200 * time.Millisecond}, ErrorRate: 0.3, Seed: 42}
	a, b := draws(c, 500), draws(c, 500)
	assert.Equal(t, a, b)
	c.Seed = 43
	assert.NotEqual(t, a, draws(c, 500), "another seed, another run")

	fails := 0
	for _, d := range a {
		assert.GreaterOrEqual(t, d.Delay, 20*time.Millisecond)
		assert.LessOrEqual(t, d.Delay, 200*time.Millisecond)
		if d.Fail {
			fails++
		}
	}
	// 500 draws at p=0.3: mean 150, standard deviation about 10.
	assert.InDelta(t, 150, fails, 50)
}

func TestDiceFixedLatencyAndNoErrors(t *testing.T) {
	for _, d := range draws(Chaos{Latency: Latency{50 * time.Millisecond, 50 * time.Millisecond}}, 20) {
		assert.Equal(t, Decision{Delay: 50 * time.Millisecond}, d)
	}
	for _, d := range draws(Chaos{ErrorRate: 1}, 20) {
		assert.True(t, d.Fail)
	}
}

func TestDiceIsSafeForConcurrentRequests(t *testing.T) {
	c := Chaos{Latency: Latency{0, time.Second}, ErrorRate: 0.5, Seed: 5}
	want := map[Decision]int{}
	for _, d := range draws(c, 800) {
		want[d]++
	}
	dice := NewDice(c)
	got := make(chan Decision, 800)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				got <- dice.Decide()
			}
		}()
	}
	wg.Wait()
	close(got)
	counts := map[Decision]int{}
	for d := range got {
		counts[d]++
	}
	assert.Equal(t, want, counts, "concurrent requests share out the same sequence of decisions")
}
