package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFaultFlagErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"latency without unit", []string{"--latency", "50"}, `--latency "50": want a duration such as 50ms, or a range such as 20ms-200ms (at most 30s)`},
		{"latency range reversed", []string{"--latency", "2s-1s"}, `--latency "2s-1s": the range's low end is above its high end; write it as 1s-2s`},
		{"latency too long", []string{"--latency", "1m"}, `--latency "1m": at most 30s`},
		{"error rate as percent", []string{"--error-rate", "2%"}, `--error-rate "2%": want a fraction from 0 to 1, such as 0.02 for 2% of requests`},
		{"error rate above one", []string{"--error-rate", "2"}, `--error-rate "2": want a fraction from 0 to 1`},
		{"rate limit without unit", []string{"--rate-limit", "10"}, `--rate-limit "10": want requests per key per unit, such as 10/s, 300/m or 1000/h`},
		{"strict with chaos", []string{"--strict", "--error-rate", "0.1"}, `--strict serves a pure replica of the live API: drop --strict, or drop --latency, --error-rate and --rate-limit`},
		{"seed not a number", []string{"--chaos-seed", "abc"}, `--chaos-seed`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), append([]string{"serve", "--addr", "127.0.0.1:0"}, tt.args...), &stdout, &stderr, nil)
			assert.Equal(t, 2, code)
			assert.Contains(t, stderr.String(), tt.want)
		})
	}
	t.Run("from the environment too", func(t *testing.T) {
		t.Setenv("PARTNER_MOCK_RATE_LIMIT", "fast")
		var stdout, stderr bytes.Buffer
		assert.Equal(t, 2, run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0"}, &stdout, &stderr, nil))
		assert.Contains(t, stderr.String(), `--rate-limit "fast": want requests per key per unit`)
	})
}

func fetchURL(t *testing.T, url string, headers ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	require.NoError(t, err)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(b)
}

func TestServeListsActiveChaosAndAppliesIt(t *testing.T) {
	base, stdout, _ := startServe(t, "--latency", "20ms-40ms", "--error-rate", "1", "--rate-limit", "5/m", "--chaos-seed", "9")
	out := stdout.String()
	assert.Contains(t, out, "Prefer controls on: code=N, delay=MS, fault=NAME (--strict turns them off)\n")
	assert.Contains(t, out, "chaos: latency 20ms-40ms on every API request\n")
	assert.Contains(t, out, "chaos: error rate 100% (503 from the load balancer)\n")
	assert.Contains(t, out, "chaos: rate limit 5/m per API key (429 with Retry-After)\n")
	assert.Contains(t, out, "chaos: chaos seed 9 (--chaos-seed replays the same decisions)\n")

	start := time.Now()
	resp, body := fetchURL(t, base+"/v1/users/", "x-api-key", "demo-key")
	assert.GreaterOrEqual(t, time.Since(start), 20*time.Millisecond)
	assert.Equal(t, 503, resp.StatusCode)
	assert.Contains(t, body, "<center><h1>503 Service Temporarily Unavailable</h1></center>")
	resp, _ = fetchURL(t, base+"/healthz")
	assert.Equal(t, 200, resp.StatusCode)
}

func TestServeWithoutChaosListsNone(t *testing.T) {
	_, stdout, _ := startServe(t)
	assert.Contains(t, stdout.String(), "Prefer controls on:")
	assert.NotContains(t, stdout.String(), "chaos:")
}

func TestServeStrictIgnoresPrefer(t *testing.T) {
	base, stdout, _ := startServe(t, "--strict")
	assert.Contains(t, stdout.String(), "strict: a pure replica; Prefer controls are ignored\n")
	resp, body := fetchURL(t, base+"/v1/users/?per_page=1", "x-api-key", "demo-key", "Prefer", "code=503, fault=connection_reset")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Contains(t, body, `"per_page":1`)
	assert.Empty(t, resp.Header.Get("Preference-Applied"))
	assert.Empty(t, resp.Header.Get("Warning"))
}

func TestServeRateLimit(t *testing.T) {
	base, _, _ := startServe(t, "--rate-limit", "1/m")
	resp, _ := fetchURL(t, base+"/v1/users/?per_page=1", "x-api-key", "demo-key")
	assert.Equal(t, 200, resp.StatusCode)
	resp, body := fetchURL(t, base+"/v1/users/?per_page=1", "x-api-key", "demo-key")
	assert.Equal(t, 429, resp.StatusCode)
	assert.Equal(t, `{"detail":"Too Many Requests"}`, body)
	assert.Contains(t, []string{"59", "60"}, resp.Header.Get("Retry-After"))
}
