package httpapi_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/mock/app"
	"github.com/cryptofi/partner-mock/mock/internal/faults"
)

// serveApp runs the mock built from cfg behind a real HTTP server.
func serveApp(t *testing.T, cfg app.Config) string {
	t.Helper()
	a, err := app.New(cfg)
	require.NoError(t, err)
	srv := httptest.NewServer(a.Handler)
	t.Cleanup(srv.Close)
	return srv.URL
}

// exchange is what a client observed.
type exchange struct {
	resp    *http.Response
	body    string
	err     error // transport error: no response at all
	bodyErr error // the response started but its body broke
	elapsed time.Duration
}

// fetch sends GET base+path on a fresh connection (no keep-alive, so no transparent retries)
// with the given headers, the key first.
func fetch(t *testing.T, base, path, key string, headers ...string) exchange {
	t.Helper()
	req, err := http.NewRequest("GET", base+path, nil)
	require.NoError(t, err)
	if key != "" {
		req.Header.Set("x-api-key", key)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Add(headers[i], headers[i+1])
	}
	client := &http.Client{
		Transport:     &http.Transport{DisableKeepAlives: true},
		Timeout:       20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return exchange{err: err, elapsed: time.Since(start)}
	}
	defer resp.Body.Close()
	b, bodyErr := io.ReadAll(resp.Body)
	return exchange{resp: resp, body: string(b), bodyErr: bodyErr, elapsed: time.Since(start)}
}

const nginx503 = "<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n" +
	"<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"

func TestPreferCode(t *testing.T) {
	base := serveApp(t, app.Config{})
	page := func(title string) string {
		return "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" + title +
			"</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
	}
	tests := []struct {
		name, path, key, prefer string
		status                  int
		contentType, body       string
		headers                 map[string]string
	}{
		{"401 with a key is the rejected-key answer", "/v1/users/", "demo-key", "code=401", 401, "application/json", `{"detail":"Invalid API key"}`, map[string]string{"www-authenticate": ""}},
		{"401 without a key is the missing-key answer", "/v1/users/", "", "code=401", 401, "application/json", `{"detail":"Not authenticated"}`, map[string]string{"www-authenticate": "APIKey"}},
		{"403", "/v1/users/", "demo-key", "code=403", 403, "application/json", `{"detail":"Forbidden"}`, nil},
		{"404 on the list", "/v1/users/", "demo-key", "code=404", 404, "application/json", `{"detail":"Not Found"}`, nil},
		{"404 on a user that exists", "/v1/users/member-001/", "demo-key", "code=404", 404, "application/json", `{"detail":"User not found"}`, nil},
		{"429 says when to retry", "/v1/users/", "demo-key", "code=429", 429, "application/json", `{"detail":"Too Many Requests"}`, map[string]string{"retry-after": "1"}},
		{"500 as Starlette sends it", "/v1/users/", "demo-key", "code=500", 500, "text/plain; charset=utf-8", "Internal Server Error", nil},
		{"502 from the load balancer", "/v1/users/", "demo-key", "code=502", 502, "text/html", page("502 Bad Gateway"), nil},
		{"503 from the load balancer", "/v1/users/", "demo-key", "code=503", 503, "text/html", nginx503, nil},
		{"504 from the load balancer", "/v1/users/member-001/", "demo-key", "code=504", 504, "text/html", page("504 Gateway Time-out"), nil},
		{"503 needs no key: the load balancer answers first", "/v1/users/", "", "code=503", 503, "text/html", nginx503, nil},
		{"503 with an unknown key", "/v1/users/", "nope", "code=503", 503, "text/html", nginx503, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := fetch(t, base, tt.path, tt.key, "Prefer", tt.prefer)
			require.NoError(t, x.err)
			assert.Equal(t, tt.status, x.resp.StatusCode)
			assert.Equal(t, tt.contentType, x.resp.Header.Get("content-type"))
			assert.Equal(t, tt.body, x.body)
			assert.Equal(t, tt.prefer, x.resp.Header.Get("Preference-Applied"))
			assert.Empty(t, x.resp.Header.Values("Warning"))
			for k, v := range tt.headers {
				assert.Equal(t, v, x.resp.Header.Get(k), k)
			}
		})
	}
}

func TestPreferDelay(t *testing.T) {
	base := serveApp(t, app.Config{})
	x := fetch(t, base, "/v1/users/?per_page=1", "demo-key", "Prefer", "delay=150")
	require.NoError(t, x.err)
	assert.Equal(t, 200, x.resp.StatusCode)
	assert.GreaterOrEqual(t, x.elapsed, 150*time.Millisecond)
	assert.Equal(t, "delay=150", x.resp.Header.Get("Preference-Applied"))
	assert.Contains(t, x.body, `"per_page":1`)

	x = fetch(t, base, "/v1/users/", "demo-key", "Prefer", "code=503", "Prefer", "delay=100")
	require.NoError(t, x.err)
	assert.Equal(t, 503, x.resp.StatusCode, "delay combines with code")
	assert.GreaterOrEqual(t, x.elapsed, 100*time.Millisecond)
	assert.Equal(t, "code=503, delay=100", x.resp.Header.Get("Preference-Applied"))
}

func TestPreferDelayIsCapped(t *testing.T) {
	a, err := app.New(app.Config{})
	require.NoError(t, err)
	req := httptest.NewRequest("GET", "/v1/users/?per_page=1", nil)
	req.Header.Set("x-api-key", "demo-key")
	req.Header.Set("Prefer", "delay=45000")
	// A client that has already gone away ends the wait at once; the answer still shows the cap.
	ctx, cancel := contextCancelled()
	defer cancel()
	rec := httptest.NewRecorder()
	a.Handler.ServeHTTP(rec, req.WithContext(ctx))
	assert.Equal(t, 200, rec.Code)
	assert.Equal(t, "delay=30000", rec.Header().Get("Preference-Applied"))
	assert.Equal(t, []string{`199 partner-mock "delay='45000' capped at 30000 ms"`}, rec.Header().Values("Warning"))
}

func TestPreferConnectionFaults(t *testing.T) {
	base := serveApp(t, app.Config{})
	x := fetch(t, base, "/v1/users/", "demo-key", "Prefer", "fault=connection_reset")
	require.Error(t, x.err)
	assert.True(t, errors.Is(x.err, syscall.ECONNRESET), "connection reset by peer, got %v", x.err)

	x = fetch(t, base, "/v1/users/", "demo-key", "Prefer", "fault=empty_response")
	require.Error(t, x.err)
	assert.True(t, errors.Is(x.err, io.EOF), "the connection closes before any byte, got %v", x.err)

	x = fetch(t, base, "/v1/users/", "", "Prefer", "fault=connection_reset")
	require.Error(t, x.err, "no key needed either")

	x = fetch(t, base, "/v1/users/?per_page=1", "demo-key")
	require.NoError(t, x.err, "the server keeps serving")
	assert.Equal(t, 200, x.resp.StatusCode)
}

func TestPreferBodyFaults(t *testing.T) {
	base := serveApp(t, app.Config{})
	real := fetch(t, base, "/v1/users/?per_page=5", "demo-key")
	require.NoError(t, real.err)
	require.True(t, json.Valid([]byte(real.body)))

	x := fetch(t, base, "/v1/users/?per_page=5", "demo-key", "Prefer", "fault=malformed_json")
	require.NoError(t, x.err)
	require.NoError(t, x.bodyErr, "the body is complete as announced")
	assert.Equal(t, 200, x.resp.StatusCode)
	assert.Equal(t, "application/json", x.resp.Header.Get("content-type"))
	assert.False(t, json.Valid([]byte(x.body)), "the body is not JSON")
	assert.Equal(t, real.body[:len(real.body)/2], x.body)
	assert.Equal(t, int64(len(x.body)), x.resp.ContentLength)
	assert.Equal(t, "fault=malformed_json", x.resp.Header.Get("Preference-Applied"))

	x = fetch(t, base, "/v1/users/?per_page=5", "demo-key", "Prefer", "fault=truncated_body")
	require.NoError(t, x.err)
	assert.Equal(t, 200, x.resp.StatusCode)
	assert.Equal(t, int64(len(real.body)), x.resp.ContentLength, "the full length is announced")
	assert.ErrorIs(t, x.bodyErr, io.ErrUnexpectedEOF)
	assert.Equal(t, real.body[:len(real.body)/2], x.body, "half of it arrives")
	assert.Equal(t, "fault=truncated_body", x.resp.Header.Get("Preference-Applied"))

	x = fetch(t, base, "/v1/users/", "", "Prefer", "fault=malformed_json, delay=10")
	require.NoError(t, x.err)
	assert.Equal(t, 401, x.resp.StatusCode, "faults break whatever the answer is")
	unauth := `{"detail":"Not authenticated"}`
	assert.Equal(t, unauth[:len(unauth)/2], x.body)
	assert.Equal(t, "delay=10, fault=malformed_json", x.resp.Header.Get("Preference-Applied"))
}

func TestPreferWarnings(t *testing.T) {
	base := serveApp(t, app.Config{})
	real := fetch(t, base, "/v1/users/?per_page=2", "demo-key")
	require.NoError(t, real.err)
	x := fetch(t, base, "/v1/users/?per_page=2", "demo-key", "Prefer", `return=minimal, code=418, fault=meltdown, =;`)
	require.NoError(t, x.err)
	assert.Equal(t, 200, x.resp.StatusCode)
	assert.Equal(t, real.body, x.body, "ignored preferences change nothing else")
	assert.Empty(t, x.resp.Header.Get("Preference-Applied"))
	assert.Equal(t, []string{
		`199 partner-mock "ignored unknown preference 'return'; this mock knows code, delay and fault"`,
		`199 partner-mock "ignored code='418': want one of 401, 403, 404, 429, 500, 502, 503, 504"`,
		`199 partner-mock "ignored fault='meltdown': want connection_reset, empty_response, malformed_json or truncated_body"`,
		`199 partner-mock "ignored malformed preference '=;'"`,
	}, x.resp.Header.Values("Warning"))
}

func TestPreferLeavesHealthzAndUnknownPathsAlone(t *testing.T) {
	base := serveApp(t, app.Config{})
	for _, path := range []string{"/healthz", "/nope", "/v1/users"} {
		x := fetch(t, base, path, "", "Prefer", "code=503")
		require.NoError(t, x.err)
		assert.NotEqual(t, 503, x.resp.StatusCode, path)
		assert.Contains(t, []int{200, 307, 404}, x.resp.StatusCode, path)
		assert.Empty(t, x.resp.Header.Get("Preference-Applied"), path)
	}
}

func TestStrictTurnsEveryControlOff(t *testing.T) {
	base := serveApp(t, app.Config{Strict: true})
	real := fetch(t, base, "/v1/users/?per_page=3", "demo-key")
	require.NoError(t, real.err)
	for _, prefer := range []string{"code=503", "code=401", "delay=2000", "fault=connection_reset", "fault=empty_response",
		"fault=malformed_json", "fault=truncated_body", "nonsense=1, =="} {
		t.Run(prefer, func(t *testing.T) {
			x := fetch(t, base, "/v1/users/?per_page=3", "demo-key", "Prefer", prefer)
			require.NoError(t, x.err)
			require.NoError(t, x.bodyErr)
			assert.Equal(t, 200, x.resp.StatusCode)
			assert.Equal(t, real.body, x.body)
			assert.Less(t, x.elapsed, 2*time.Second, "no delay")
			assert.Empty(t, x.resp.Header.Get("Preference-Applied"))
			assert.Empty(t, x.resp.Header.Values("Warning"))
		})
	}
	_, err := app.New(app.Config{Strict: true, Chaos: faults.Chaos{ErrorRate: 0.5}})
	assert.ErrorContains(t, err, "Strict serves a pure replica and cannot inject chaos")
}

func TestChaosLatency(t *testing.T) {
	base := serveApp(t, app.Config{Chaos: faults.Chaos{Latency: faults.Latency{Min: 80 * time.Millisecond, Max: 80 * time.Millisecond}}})
	x := fetch(t, base, "/v1/users/?per_page=1", "demo-key")
	require.NoError(t, x.err)
	assert.Equal(t, 200, x.resp.StatusCode)
	assert.GreaterOrEqual(t, x.elapsed, 80*time.Millisecond)
	assert.Empty(t, x.resp.Header.Get("Preference-Applied"), "chaos is not a preference")
}

func TestChaosErrorRate(t *testing.T) {
	base := serveApp(t, app.Config{Chaos: faults.Chaos{ErrorRate: 1}})
	x := fetch(t, base, "/v1/users/", "demo-key")
	require.NoError(t, x.err)
	assert.Equal(t, 503, x.resp.StatusCode)
	assert.Equal(t, "text/html", x.resp.Header.Get("content-type"))
	assert.Equal(t, nginx503, x.body)

	x = fetch(t, base, "/healthz", "")
	require.NoError(t, x.err)
	assert.Equal(t, 200, x.resp.StatusCode, "health checks never fail from chaos")

	x = fetch(t, base, "/v1/users/", "demo-key", "Prefer", "code=404")
	require.NoError(t, x.err)
	assert.Equal(t, 404, x.resp.StatusCode, "an explicit preference wins over chaos")
}

// statuses runs n sequential requests against a fresh server built from cfg.
func statuses(t *testing.T, cfg app.Config, n int) []int {
	base := serveApp(t, cfg)
	out := make([]int, n)
	for i := range out {
		x := fetch(t, base, "/v1/users/?per_page=1", "demo-key")
		require.NoError(t, x.err)
		out[i] = x.resp.StatusCode
	}
	return out
}

func TestChaosReplaysWithTheSameSeed(t *testing.T) {
	cfg := app.Config{Chaos: faults.Chaos{ErrorRate: 0.5, Seed: 11}}
	first := statuses(t, cfg, 40)
	assert.Equal(t, first, statuses(t, cfg, 40), "same seed, same run")
	assert.Contains(t, first, 200)
	assert.Contains(t, first, 503)
	cfg.Chaos.Seed = 12
	assert.NotEqual(t, first, statuses(t, cfg, 40), "another seed, another run")
}

func TestChaosRateLimit(t *testing.T) {
	base := serveApp(t, app.Config{Chaos: faults.Chaos{RateLimit: faults.Rate{N: 2, Per: time.Minute}}})
	for i := range 2 {
		x := fetch(t, base, "/v1/users/?per_page=1", "demo-key")
		require.NoError(t, x.err)
		assert.Equal(t, 200, x.resp.StatusCode, "request %d is within the budget", i)
	}
	x := fetch(t, base, "/v1/users/?per_page=1", "demo-key")
	require.NoError(t, x.err)
	assert.Equal(t, 429, x.resp.StatusCode)
	assert.Equal(t, `{"detail":"Too Many Requests"}`, x.body)
	assert.Equal(t, "application/json", x.resp.Header.Get("content-type"))
	// One token comes back every 30 s.
	assert.Contains(t, []string{"29", "30"}, x.resp.Header.Get("retry-after"))

	x = fetch(t, base, "/v1/users/member-001/", "demo-key")
	require.NoError(t, x.err)
	assert.Equal(t, 429, x.resp.StatusCode, "the budget is per key, across routes")

	x = fetch(t, base, "/v1/users/?per_page=1", "demo-key-2")
	require.NoError(t, x.err)
	assert.Equal(t, 200, x.resp.StatusCode, "another key has its own budget")

	x = fetch(t, base, "/v1/users/", "unknown-key")
	require.NoError(t, x.err)
	assert.Equal(t, 401, x.resp.StatusCode, "unknown keys are auth's business")
}
