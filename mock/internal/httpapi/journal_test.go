package httpapi_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/mock/app"
	"github.com/cryptofi/partner-mock/mock/internal/faults"
	"github.com/cryptofi/partner-mock/mock/internal/journal"
)

// mockNow is the mock clock the journal tests stamp entries with.
var mockNow = time.Date(2025, 10, 1, 9, 30, 0, 0, time.UTC)

func journalApp(t *testing.T, cfg app.Config, tenantsYAML string) (*app.App, *journal.Journal) {
	t.Helper()
	j := journal.New(func() time.Time { return mockNow }, journal.Config{Size: 100})
	cfg.Journal = j
	if tenantsYAML != "" {
		require.NoError(t, app.UseTenantsData(&cfg, "t.yaml", []byte(tenantsYAML), nil))
	}
	a, err := app.New(cfg)
	require.NoError(t, err)
	return a, j
}

// only returns the journal's single entry, failing when there is not exactly one.
func only(t *testing.T, j *journal.Journal) journal.Entry {
	t.Helper()
	es := j.List(0, "")
	require.Len(t, es, 1, "one entry: %+v", es)
	j.Clear()
	return es[0]
}

func TestJournalRecordsWhatWasAnswered(t *testing.T) {
	a, j := journalApp(t, app.Config{}, "")
	tests := []struct {
		name, method, path, key string
		status                  int
		fi                      string
	}{
		{"a list", "GET", "/v1/users/?per_page=2&sort_order=asc", "demo-key", 200, "demo-credit-union"},
		{"a user", "GET", "/v1/users/member-001/", "demo-key", 200, "demo-credit-union"},
		{"another FI", "GET", "/v1/users/?per_page=1", "demo-key-2", 200, "demo-savings-bank"},
		{"a user of another FI", "GET", "/v1/users/member-001/", "demo-key-2", 404, "demo-savings-bank"},
		{"a bad query", "GET", "/v1/users/?per_page=0", "demo-key", 422, "demo-credit-union"},
		{"no key", "GET", "/v1/users/", "", 401, ""},
		{"an unknown key", "GET", "/v1/users/", "not-a-key", 401, ""},
		{"an unknown path", "GET", "/v2/users/", "demo-key", 404, ""},
		{"a redirect", "GET", "/v1/users?per_page=1", "demo-key", 307, ""},
		{"another method", "POST", "/v1/users/", "demo-key", 405, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, tt.path, nil)
			if tt.key != "" {
				req.Header.Set("x-api-key", tt.key)
			}
			rec := httptest.NewRecorder()
			a.Handler.ServeHTTP(rec, req)
			require.Equal(t, tt.status, rec.Code)
			e := only(t, j)
			path, query, _ := strings.Cut(tt.path, "?")
			assert.Equal(t, mockNow, e.Time, "stamped by the injected clock")
			assert.Equal(t, tt.fi, e.FI)
			assert.Equal(t, tt.method, e.Method)
			assert.Equal(t, path, e.Path)
			assert.Equal(t, query, e.Query)
			assert.Equal(t, tt.status, e.Status)
			assert.Positive(t, e.Duration)
			assert.Equal(t, journal.Faults{}, e.Faults)
		})
	}
}

func TestJournalSkipsTheMocksOwnPages(t *testing.T) {
	a, j := journalApp(t, app.Config{}, "")
	for _, path := range []string{"/healthz", "/docs", "/openapi.json", "/__admin/requests", "/__admin/anything"} {
		a.Handler.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", path, nil))
	}
	assert.Empty(t, j.List(0, ""))
}

func TestJournalRecordsTheFaultsApplied(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		name   string
		cfg    app.Config
		key    string
		prefer string
		status int
		fi     string
		want   journal.Faults
	}{
		{"chaos latency", app.Config{Chaos: faults.Chaos{Latency: faults.Latency{Min: 5 * ms, Max: 5 * ms}}}, "plain-key", "", 200, "acme",
			journal.Faults{Latency: 5 * ms}},
		{"chaos error, answered before auth", app.Config{Chaos: faults.Chaos{ErrorRate: 1}}, "plain-key", "", 503, "acme",
			journal.Faults{Error: journal.Chaos}},
		{"chaos error with an unknown key", app.Config{Chaos: faults.Chaos{ErrorRate: 1}}, "nope", "", 503, "",
			journal.Faults{Error: journal.Chaos}},
		{"key error rate", app.Config{}, "failing-key", "", 503, "acme", journal.Faults{Error: journal.Key}},
		{"key status and latency", app.Config{}, "broken-key", "", 500, "acme", journal.Faults{KeyLatency: 30 * ms, Status: 500}},
		{"Prefer code", app.Config{}, "plain-key", "code=503", 503, "acme", journal.Faults{Prefer: "code=503"}},
		{"Prefer code wins over the key's status", app.Config{}, "down-key", "code=404", 404, "acme", journal.Faults{Prefer: "code=404"}},
		{"Prefer delay", app.Config{}, "plain-key", "delay=1", 200, "acme", journal.Faults{Prefer: "delay=1"}},
		{"Prefer body fault", app.Config{}, "plain-key", "fault=malformed_json", 200, "acme", journal.Faults{Prefer: "fault=malformed_json"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, j := journalApp(t, tt.cfg, keyFaultsConfig)
			var prefer []string
			if tt.prefer != "" {
				prefer = append(prefer, tt.prefer)
			}
			rec := get(a.Handler, "/v1/users/?per_page=1", tt.key, prefer...)
			require.Equal(t, tt.status, rec.Code)
			e := only(t, j)
			assert.Equal(t, tt.status, e.Status)
			assert.Equal(t, tt.fi, e.FI)
			assert.Equal(t, tt.want, e.Faults)
		})
	}
}

func TestJournalRecordsRateLimits(t *testing.T) {
	a, j := journalApp(t, app.Config{}, keyFaultsConfig)
	for range 3 {
		get(a.Handler, "/v1/users/?per_page=1", "limited-key")
	}
	es := j.List(0, "acme")
	require.Len(t, es, 3)
	assert.Equal(t, 429, es[0].Status)
	assert.Equal(t, journal.Key, es[0].Faults.RateLimit)
	assert.Equal(t, journal.NoSource, es[1].Faults.RateLimit)

	b, j := journalApp(t, app.Config{Chaos: faults.Chaos{RateLimit: faults.Rate{N: 1, Per: time.Hour}}}, "")
	get(b.Handler, "/v1/users/?per_page=1", "demo-key")
	get(b.Handler, "/v1/users/?per_page=1", "demo-key")
	es = j.List(1, "demo-credit-union")
	require.Len(t, es, 1)
	assert.Equal(t, 429, es[0].Status)
	assert.Equal(t, journal.Chaos, es[0].Faults.RateLimit)
}

func TestJournalRecordsCutConnections(t *testing.T) {
	a, j := journalApp(t, app.Config{}, "")
	srv := httptest.NewServer(a.Handler)
	t.Cleanup(srv.Close)
	x := fetch(t, srv.URL, "/v1/users/", "demo-key", "Prefer", "fault=connection_reset, delay=1")
	require.Error(t, x.err)
	assert.True(t, errors.Is(x.err, syscall.ECONNRESET), "got %v", x.err)
	// The client sees the reset before the handler returns and the entry is added.
	require.Eventually(t, func() bool { return j.Len() == 1 }, 5*time.Second, time.Millisecond)
	e := only(t, j)
	assert.Equal(t, 444, e.Status, "closed without a response")
	assert.Equal(t, "demo-credit-union", e.FI)
	assert.Equal(t, "delay=1, fault=connection_reset", e.Faults.Prefer)
}

func TestJournalRecordsBrokenBodies(t *testing.T) {
	a, j := journalApp(t, app.Config{}, "")
	srv := httptest.NewServer(a.Handler)
	t.Cleanup(srv.Close)
	real := fetch(t, srv.URL, "/v1/users/?per_page=5", "demo-key")
	require.NoError(t, real.err)
	x := fetch(t, srv.URL, "/v1/users/?per_page=5", "demo-key", "Prefer", "fault=truncated_body")
	require.NoError(t, x.err)
	assert.ErrorIs(t, x.bodyErr, io.ErrUnexpectedEOF, "the fault works with a journal in front")
	assert.Equal(t, real.body[:len(real.body)/2], x.body)
	require.Eventually(t, func() bool { return j.Len() == 2 }, 5*time.Second, time.Millisecond)
	e := j.List(1, "")[0]
	assert.Equal(t, 200, e.Status)
	assert.Equal(t, "demo-credit-union", e.FI)
	assert.Equal(t, "fault=truncated_body", e.Faults.Prefer)
}

func TestJournalNeverHoldsAKey(t *testing.T) {
	a, j := journalApp(t, app.Config{Chaos: faults.Chaos{ErrorRate: 0.5, Seed: 3}}, keyFaultsConfig)
	secret := "plain-key"
	odd := "odd key/&=" // a key with characters a URL escapes
	requests := []struct{ path, key string }{
		{"/v1/users/?api_key=" + secret, ""},
		{"/v1/users/?per_page=1&X-API-KEY=" + secret + "&sort_order=asc", secret},
		{"/v1/users/?token=" + secret, ""},
		{"/v1/users/?user_account_id=" + secret, secret},
		{"/v1/users/" + secret + "/", secret},
		{"/v1/users/?q=" + "odd+key%2F%26%3D", odd},
		{"/v1/users/odd%20key%2F&=/", odd},
		{"/v1/" + secret, secret},
		{"/v1/users/?key=down-key", "failing-key"},
	}
	for _, r := range requests {
		get(a.Handler, r.path, r.key)
	}
	req := httptest.NewRequest("GET", "/v1/users/", nil)
	req.Method = secret
	req.Header.Set("x-api-key", secret)
	a.Handler.ServeHTTP(httptest.NewRecorder(), req)
	es := j.List(0, "")
	require.Len(t, es, len(requests)+1)
	assert.Equal(t, "[REDACTED]", es[0].Method)
	rendered := string(journal.AppendJSON(nil, es))
	for _, k := range []string{secret, "down-key", "failing-key", "odd key", "odd+key", "odd%20key"} {
		assert.NotContains(t, rendered, k)
	}
	assert.Contains(t, rendered, `"query":"per_page=1&X-API-KEY=[REDACTED]&sort_order=asc"`, "other parameters are kept")
	assert.Contains(t, rendered, `"path":"/v1/users/[REDACTED]/"`)
	t.Log(rendered)
}

func TestJournalUnderConcurrentRequests(t *testing.T) {
	a, j := journalApp(t, app.Config{}, "")
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			key := "demo-key"
			if w%2 == 1 {
				key = "demo-key-2"
			}
			for range 50 {
				assert.Equal(t, 200, get(a.Handler, "/v1/users/?per_page=1", key).Code)
			}
		})
	}
	for range 20 {
		_ = j.List(10, "demo-savings-bank")
	}
	wg.Wait()
	assert.Len(t, j.List(0, ""), 100, "the ring holds its size")
	for _, e := range j.List(0, "demo-savings-bank") {
		assert.Equal(t, "demo-savings-bank", e.FI)
	}
}

// discardWriter is a ResponseWriter that keeps nothing, so a benchmark measures the handler.
type discardWriter struct{ h http.Header }

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *discardWriter) WriteHeader(int)             {}
