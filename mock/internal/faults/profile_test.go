package faults

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestValueParsersDoNotNameTheFlag(t *testing.T) {
	_, err := ParseLatencyValue("fast")
	require.Error(t, err)
	assert.Equal(t, "want a duration such as 50ms, or a range such as 20ms-200ms (at most 30s)", err.Error())
	_, err = ParseErrorRateValue("30%")
	require.Error(t, err)
	assert.Equal(t, "want a fraction from 0 to 1, such as 0.02 for 2% of requests", err.Error())
	_, err = ParseRateValue("5/day")
	require.Error(t, err)
	assert.Equal(t, "want requests per key per unit, such as 10/s, 300/m or 1000/h", err.Error())

	l, err := ParseLatencyValue("800ms-1500ms")
	require.NoError(t, err)
	assert.Equal(t, Latency{800 * time.Millisecond, 1500 * time.Millisecond}, l)
	assert.Equal(t, "800ms-1.5s", l.String())
}

func TestProfileProblems(t *testing.T) {
	tests := []struct {
		name string
		p    Profile
		want []ProfileProblem
	}{
		{"zero", Profile{}, nil},
		{"good", Profile{Latency: Latency{time.Second, 2 * time.Second}, ErrorRate: 0.5, RateLimit: Rate{3, time.Minute}}, nil},
		{"status with latency", Profile{Status: 503, Latency: Latency{time.Second, time.Second}}, nil},
		{"latency reversed", Profile{Latency: Latency{2 * time.Second, time.Second}},
			[]ProfileProblem{{"latency", "the range's low end is above its high end; write it as 1s-2s"}}},
		{"latency too long", Profile{Latency: Latency{0, time.Minute}},
			[]ProfileProblem{{"latency", "at most 30s; use Prefer: delay=MS on single requests to rehearse longer waits"}}},
		{"error rate NaN-free range", Profile{ErrorRate: 1.01},
			[]ProfileProblem{{"error_rate", "want a fraction from 0 to 1, such as 0.02 for 2% of requests"}}},
		{"rate per day", Profile{RateLimit: Rate{5, 24 * time.Hour}},
			[]ProfileProblem{{"rate_limit", "want requests per key per unit, such as 10/s, 300/m or 1000/h"}}},
		{"status not offered", Profile{Status: 200},
			[]ProfileProblem{{"status", "want one of 401, 403, 404, 429, 500, 502, 503 or 504 (the statuses Prefer: code=N can ask for), got 200"}}},
		{"status with error rate and rate limit", Profile{Status: 500, ErrorRate: 0.1, RateLimit: Rate{1, time.Second}},
			[]ProfileProblem{{"", "status answers every request, so error_rate and rate_limit would never apply; keep status (with latency, if you like) or drop it"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.p.Problems())
		})
	}
}

func TestProfileDescribe(t *testing.T) {
	assert.False(t, Profile{}.Active())
	assert.Empty(t, Profile{}.Describe())
	slow := Profile{Latency: Latency{800 * time.Millisecond, 1500 * time.Millisecond}}
	assert.True(t, slow.Active())
	assert.True(t, slow.Random())
	assert.Equal(t, "latency 800ms-1.5s on every request", slow.Describe())
	assert.Equal(t, "error rate 30% (503 from the load balancer)", Profile{ErrorRate: 0.3}.Describe())
	assert.Equal(t, "latency 1s on every request; status 500 on every request",
		Profile{Latency: Latency{time.Second, time.Second}, Status: 500}.Describe())
	assert.Equal(t, "rate limit 2/m (429 with Retry-After)", Profile{RateLimit: Rate{2, time.Minute}}.Describe())
	assert.False(t, Profile{Status: 503}.Random(), "a fixed status draws nothing")
}

func keyDraws(p Profile, seed uint64, label string, n int) []Decision {
	d := NewKeyDice(p, seed, label)
	out := make([]Decision, n)
	for i := range out {
		out[i] = d.Decide()
	}
	return out
}

func TestKeyDiceReplayPerSeedAndKey(t *testing.T) {
	p := Profile{Latency: Latency{800 * time.Millisecond, 1500 * time.Millisecond}, ErrorRate: 0.3}
	a := keyDraws(p, 1, "demo-credit-union/api_keys[2]", 300)
	assert.Equal(t, a, keyDraws(p, 1, "demo-credit-union/api_keys[2]", 300), "same seed and key: same run")
	assert.NotEqual(t, a, keyDraws(p, 2, "demo-credit-union/api_keys[2]", 300), "another seed: another run")
	assert.NotEqual(t, a, keyDraws(p, 1, "demo-credit-union/api_keys[1]", 300), "another key: its own run")
	fails := 0
	for _, d := range a {
		assert.GreaterOrEqual(t, d.Delay, 800*time.Millisecond)
		assert.LessOrEqual(t, d.Delay, 1500*time.Millisecond)
		if d.Fail {
			fails++
		}
	}
	// 300 draws at p=0.3: mean 90, standard deviation about 8.
	assert.InDelta(t, 90, fails, 32)
}
