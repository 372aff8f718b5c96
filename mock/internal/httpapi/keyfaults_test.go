package httpapi_test

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/mock/app"
	"github.com/cryptofi/partner-mock/mock/internal/faults"
)

// keyFaultsConfig gives one FI a plain key and one key per kind of profile.
const keyFaultsConfig = `tenants:
  - name: acme
    fi_name: Acme Credit Union
    seed: 7
    users: 50
    as_of: 2025-10-01T00:00:00Z
    api_keys:
      - plain-key
      - key: down-key
        faults: {status: 503}
      - key: broken-key
        faults: {status: 500, latency: 30ms}
      - key: busy-key
        faults: {status: 429}
      - key: limited-key
        faults: {rate_limit: 2/m}
      - key: failing-key
        faults: {error_rate: 1}
      - key: gone-key
        faults: {status: 404}
`

func keyFaultsApp(t *testing.T, cfg app.Config) *app.App {
	t.Helper()
	require.NoError(t, app.UseTenantsData(&cfg, "t.yaml", []byte(keyFaultsConfig), nil))
	a, err := app.New(cfg)
	require.NoError(t, err)
	return a
}

// get serves GET path with key (and Prefer, when given) in-process.
func get(h http.Handler, path, key string, prefer ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("GET", path, nil)
	req.Header.Set("x-api-key", key)
	for _, p := range prefer {
		req.Header.Add("Prefer", p)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestKeyProfilesAnswerWithTheFaultMachinerysResponses(t *testing.T) {
	a := keyFaultsApp(t, app.Config{})
	tests := []struct {
		name, key, path   string
		status            int
		contentType, body string
		headers           map[string]string
	}{
		{"a plain key is untouched", "plain-key", "/v1/users/?per_page=1", 200, "application/json", "", nil},
		{"status 503 is the load balancer's page", "down-key", "/v1/users/", 503, "text/html", nginx503, nil},
		{"status 500 is Starlette's", "broken-key", "/v1/users/", 500, "text/plain; charset=utf-8", "Internal Server Error", nil},
		{"status 429 says when to retry", "busy-key", "/v1/users/", 429, "application/json", `{"detail":"Too Many Requests"}`, map[string]string{"retry-after": "1"}},
		{"status 404 on a user", "gone-key", "/v1/users/whoever/", 404, "application/json", `{"detail":"User not found"}`, nil},
		{"error rate 1 fails every request", "failing-key", "/v1/users/", 503, "text/html", nginx503, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := get(a.Handler, tt.path, tt.key)
			assert.Equal(t, tt.status, rec.Code)
			assert.Equal(t, tt.contentType, rec.Header().Get("content-type"))
			if tt.body != "" {
				assert.Equal(t, tt.body, rec.Body.String())
			}
			for k, v := range tt.headers {
				assert.Equal(t, v, rec.Header().Get(k), k)
			}
			assert.Empty(t, rec.Header().Get("Preference-Applied"), "a profile is not a preference")
		})
	}
}

func TestKeyProfileLatencyAppliesToFailuresToo(t *testing.T) {
	a := keyFaultsApp(t, app.Config{})
	start := time.Now()
	rec := get(a.Handler, "/v1/users/", "broken-key")
	elapsed := time.Since(start)
	assert.Equal(t, 500, rec.Code)
	assert.GreaterOrEqual(t, elapsed, 30*time.Millisecond)
}

func TestKeyProfileRateLimit(t *testing.T) {
	a := keyFaultsApp(t, app.Config{})
	for i := range 2 {
		assert.Equal(t, 200, get(a.Handler, "/v1/users/?per_page=1", "limited-key").Code, "request %d is within the budget", i)
	}
	rec := get(a.Handler, "/v1/users/member-1/", "limited-key")
	assert.Equal(t, 429, rec.Code, "the budget is the key's, across routes")
	assert.Equal(t, `{"detail":"Too Many Requests"}`, rec.Body.String())
	// One token comes back every 30 s.
	assert.Contains(t, []string{"29", "30"}, rec.Header().Get("retry-after"))
	assert.Equal(t, 200, get(a.Handler, "/v1/users/?per_page=1", "plain-key").Code, "another key of the same FI is not limited")
}

func TestPreferWinsOverAKeyProfile(t *testing.T) {
	a := keyFaultsApp(t, app.Config{})
	rec := get(a.Handler, "/v1/users/", "down-key", "code=404")
	assert.Equal(t, 404, rec.Code, "an explicit preference wins")
	assert.Equal(t, "code=404", rec.Header().Get("Preference-Applied"))
}

func TestStrictTurnsKeyProfilesOff(t *testing.T) {
	a := keyFaultsApp(t, app.Config{Strict: true})
	for _, key := range []string{"down-key", "broken-key", "busy-key", "failing-key", "gone-key"} {
		rec := get(a.Handler, "/v1/users/?per_page=1", key)
		assert.Equal(t, 200, rec.Code, key)
	}
	for range 5 {
		assert.Equal(t, 200, get(a.Handler, "/v1/users/?per_page=1", "limited-key").Code, "no rate limit either")
	}
	b, err := app.New(app.Config{Strict: true})
	require.NoError(t, err)
	for range 30 {
		require.Equal(t, 200, get(b.Handler, "/v1/users/?per_page=1", "demo-key-flaky").Code, "the built-in flaky key is reliable under Strict")
	}
}

// flakyRun sends n sequential requests with the built-in demo-key-flaky under seed and returns
// their statuses.
func flakyRun(t *testing.T, seed uint64, n int) []int {
	t.Helper()
	a, err := app.New(app.Config{Chaos: faults.Chaos{Seed: seed}})
	require.NoError(t, err)
	out := make([]int, n)
	for i := range out {
		rec := get(a.Handler, "/v1/users/?per_page=1", "demo-key-flaky")
		out[i] = rec.Code
		if rec.Code == 503 {
			require.Equal(t, nginx503, rec.Body.String())
		}
	}
	return out
}

// TestBuiltInFlakyKeyFailsThirtyPercent measures the documented profile of demo-key-flaky: 30%
// of its requests answered 503, replayed exactly for a given --chaos-seed.
func TestBuiltInFlakyKeyFailsThirtyPercent(t *testing.T) {
	const n = 1000
	for _, seed := range []uint64{1, 2, 3} {
		run := flakyRun(t, seed, n)
		fails, other := 0, 0
		for _, s := range run {
			switch s {
			case 503:
				fails++
			case 200:
			default:
				other++
			}
		}
		share := float64(fails) / n
		t.Logf("seed %d: %d of %d requests answered 503 (%.1f%%; documented 30%%)", seed, fails, n, share*100)
		assert.Zero(t, other, "only 200s and 503s")
		// Binomial(1000, 0.3): standard deviation 14.5 requests, 1.45 points; 5 deviations.
		assert.InDelta(t, 0.30, share, 0.0725, "seed %d", seed)
		if seed == 1 {
			assert.Equal(t, run, flakyRun(t, seed, n), "the same seed replays the same run")
		}
	}
	assert.NotEqual(t, flakyRun(t, 1, 100), flakyRun(t, 2, 100), "another seed, another run")

	a, err := app.New(app.Config{})
	require.NoError(t, err)
	for range 100 {
		require.Equal(t, 200, get(a.Handler, "/v1/users/?per_page=1", "demo-key").Code, "the FI's plain key is reliable")
	}
}

// TestBuiltInSlowKeyWaits measures the documented profile of demo-key-slow: every answer after
// 800 ms to 1.5 s. The lower bound is exact (a timer never fires early); the upper bound is
// generous, since a busy CI machine can add its own delay.
func TestBuiltInSlowKeyWaits(t *testing.T) {
	a, err := app.New(app.Config{})
	require.NoError(t, err)
	srv := httptest.NewServer(a.Handler)
	t.Cleanup(srv.Close)

	const n = 12
	elapsed := make([]time.Duration, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			x := fetch(t, srv.URL, "/v1/users/?per_page=1", "demo-key-slow")
			if assert.NoError(t, x.err) {
				assert.Equal(t, 200, x.resp.StatusCode)
			}
			elapsed[i] = x.elapsed
		})
	}
	wg.Wait()
	slices.Sort(elapsed)
	var sum time.Duration
	for _, e := range elapsed {
		sum += e
	}
	mean := sum / n
	t.Logf("demo-key-slow, %d concurrent requests: min %s, median %s, mean %s, max %s (documented 800ms-1.5s)",
		n, elapsed[0].Round(time.Millisecond), elapsed[n/2].Round(time.Millisecond), mean.Round(time.Millisecond), elapsed[n-1].Round(time.Millisecond))
	assert.GreaterOrEqual(t, elapsed[0], 800*time.Millisecond, "no answer before the minimum latency")
	assert.Less(t, mean, 1500*time.Millisecond+3*time.Second, "the mean stays near the range (generous bound for busy machines)")

	start := time.Now()
	x := fetch(t, srv.URL, "/v1/users/?per_page=1", "demo-key")
	require.NoError(t, x.err)
	assert.Less(t, time.Since(start), 800*time.Millisecond, "the FI's plain key is not slowed")
}
