package contract

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// scripted answers each request with the next status of the script (then 200s) and records
// the key it got.
func scripted(t *testing.T, statuses []int, header map[string]string) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		w.Header().Set("content-type", "application/json")
		if i < len(statuses) {
			for k, v := range header {
				w.Header().Set(k, v)
			}
			w.WriteHeader(statuses[i])
			_, _ = w.Write([]byte(`{"detail":"slow down"}`))
			return
		}
		_, _ = w.Write([]byte(`{"items":[],"total_records":0,"last_record_number":0,"per_page":25}`))
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func testClient(t *testing.T, cfg Config) (*client, *[]time.Duration) {
	t.Helper()
	cfg, err := cfg.normalized()
	require.NoError(t, err)
	c, err := newClient(cfg)
	require.NoError(t, err)
	var slept []time.Duration
	c.sleep = func(_ context.Context, d time.Duration) error {
		slept = append(slept, d)
		return nil
	}
	return c, &slept
}

func TestClientRetries(t *testing.T) {
	// dateIn3s stands for an HTTP date 3 s after the request, written when the subtest runs:
	// written when the table is built, a slow machine could spend part of the wait first.
	const dateIn3s = "<date in 3 s>"
	tests := []struct {
		name       string
		statuses   []int
		header     map[string]string
		retries    int
		wantStatus int
		wantSent   int
		// wantSleeps are lower bounds of each wait.
		wantSleeps []time.Duration
	}{
		{"429 honours Retry-After seconds", []int{429, 429}, map[string]string{"Retry-After": "2"}, 0, 200, 3, []time.Duration{2 * time.Second, 2 * time.Second}},
		{"503 honours an HTTP-date Retry-After", []int{503}, map[string]string{"Retry-After": dateIn3s}, 0, 200, 2, []time.Duration{3 * time.Second}},
		{"no Retry-After backs off", []int{503, 503}, nil, 0, 200, 3, []time.Duration{time.Second, 2 * time.Second}},
		{"gives up after the retries", []int{429, 429, 429, 429, 429}, map[string]string{"Retry-After": "1"}, 2, 429, 3, []time.Duration{time.Second, time.Second}},
		{"a Retry-After beyond the cap is not waited for", []int{429}, map[string]string{"Retry-After": "3600"}, 0, 429, 1, nil},
		{"other errors are not retried", []int{500}, nil, 0, 500, 1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			header := map[string]string{}
			for k, v := range tt.header {
				if v == dateIn3s {
					// HTTP dates are whole seconds: round up, so the wait is 3 s to 4 s less
					// what the request itself takes, not as little as 2 s.
					v = time.Now().Add(3 * time.Second).Truncate(time.Second).Add(time.Second).UTC().Format(http.TimeFormat)
				}
				header[k] = v
			}
			srv, n := scripted(t, tt.statuses, header)
			c, slept := testClient(t, Config{BaseURL: srv.URL + "/v1", APIKey: "k", Retries: tt.retries})
			ex, err := c.Do(context.Background(), Request{Path: "/users/"})
			require.NoError(t, err)
			assert.Equal(t, tt.wantStatus, ex.Status)
			assert.Equal(t, tt.wantSent, c.Sent(), "retries count against the budget")
			assert.Equal(t, int32(tt.wantSent), n.Load())
			require.Len(t, *slept, len(tt.wantSleeps))
			for i, d := range tt.wantSleeps {
				assert.GreaterOrEqual(t, (*slept)[i], d-time.Second, "wait %d", i)
				assert.LessOrEqual(t, (*slept)[i], d+time.Second, "wait %d", i)
			}
		})
	}
}

func TestClientBudget(t *testing.T) {
	srv, n := scripted(t, nil, nil)
	c, _ := testClient(t, Config{BaseURL: srv.URL + "/v1", APIKey: "k", MaxRequests: 2})
	for range 2 {
		_, err := c.Do(context.Background(), Request{Path: "/users/"})
		require.NoError(t, err)
	}
	_, err := c.Do(context.Background(), Request{Path: "/users/"})
	assert.ErrorIs(t, err, ErrBudget)
	assert.Equal(t, int32(2), n.Load(), "nothing is sent beyond the budget")
}

func TestClientRateLimit(t *testing.T) {
	srv, _ := scripted(t, nil, nil)
	c, _ := testClient(t, Config{BaseURL: srv.URL + "/v1", APIKey: "k", Rate: 10})
	// The sleeps are recorded, not slept; each is recorded with when it was asked for, so the
	// instant the request was let go is known however slow the machine is.
	start := time.Now()
	var slots []time.Duration
	c.sleep = func(_ context.Context, d time.Duration) error {
		slots = append(slots, time.Since(start)+d)
		return nil
	}
	for range 5 {
		_, err := c.Do(context.Background(), Request{Path: "/users/"})
		require.NoError(t, err)
	}
	// Five requests at 10/s: the k-th goes k*100ms after the first.
	require.Len(t, slots, 4, "the first request does not wait")
	for i, at := range slots {
		assert.InDelta(t, 0.1*float64(i+1), at.Seconds(), 0.05, "request %d", i+2)
	}
}

func TestDefaultRate(t *testing.T) {
	for _, tt := range []struct {
		url  string
		want float64
	}{
		{"http://127.0.0.1:8000/v1", -1},
		{"http://localhost:8000/v1", -1},
		{"http://[::1]:8000/v1", -1},
		{"https://staging.example.com/v1", DefaultRate},
	} {
		cfg, err := Config{BaseURL: tt.url, APIKey: "k"}.normalized()
		require.NoError(t, err)
		assert.Equal(t, tt.want, cfg.Rate, tt.url)
	}
	cfg, err := Config{BaseURL: "http://127.0.0.1:8000/v1", APIKey: "k", Rate: 3}.normalized()
	require.NoError(t, err)
	assert.Equal(t, 3.0, cfg.Rate, "an explicit rate applies on loopback too")
}

func TestClientTimeoutAndUnreachable(t *testing.T) {
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(2 * time.Second):
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(slow.Close)
	c, _ := testClient(t, Config{BaseURL: slow.URL + "/v1", APIKey: "k", Timeout: 50 * time.Millisecond})
	_, err := c.Do(context.Background(), Request{Path: "/users/"})
	assert.ErrorIs(t, err, ErrUnreachable, "a request that times out")

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	_, err = Run(context.Background(), Config{BaseURL: "http://" + addr + "/v1", APIKey: "secret-key"})
	assert.ErrorIs(t, err, ErrUnreachable, "nothing listens")
	assert.NotContains(t, err.Error(), "secret-key")
}

func TestClientSendsKeysAsAsked(t *testing.T) {
	var got []string
	var present []bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, ok := r.Header["X-Api-Key"]
		present = append(present, ok)
		got = append(got, r.Header.Get("x-api-key"))
		_ = v
		w.WriteHeader(http.StatusNotFound)
	}))
	t.Cleanup(srv.Close)
	c, _ := testClient(t, Config{BaseURL: srv.URL + "/v1", APIKey: "one", APIKey2: "two"})
	for _, cr := range []Cred{CredPrimary, CredSecond, CredNone, CredEmpty, CredUnknown} {
		_, err := c.Do(context.Background(), Request{Path: "/users/", Cred: cr})
		require.NoError(t, err)
	}
	assert.Equal(t, []string{"one", "two", "", "", unknownKey}, got)
	assert.Equal(t, []bool{true, true, false, true, true}, present)
}

func TestConfigErrors(t *testing.T) {
	for _, tt := range []struct {
		name string
		cfg  Config
		want string
	}{
		{"no base URL", Config{APIKey: "k"}, "base URL is required"},
		{"not a URL", Config{BaseURL: "127.0.0.1:8000", APIKey: "k"}, "want http(s)://host"},
		{"a query", Config{BaseURL: "http://h/v1?x=1", APIKey: "k"}, "must not have a query"},
		{"no key", Config{BaseURL: "http://h/v1"}, "API key is required"},
		{"same key twice", Config{BaseURL: "http://h/v1", APIKey: "k", APIKey2: "k"}, "another FI"},
		{"negative budget", Config{BaseURL: "http://h/v1", APIKey: "k", MaxRequests: -1}, "max requests"},
		{"unknown check", Config{BaseURL: "http://h/v1", APIKey: "k", Only: []string{"paging", "nope"}}, `only "nope": no such check or family`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Run(context.Background(), tt.cfg)
			var cerr *ConfigError
			require.True(t, errors.As(err, &cerr), "%v", err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestCurlLineNeverHoldsTheKey(t *testing.T) {
	for _, tt := range []struct {
		cred Cred
		want string
	}{
		{CredPrimary, `curl -sS -i -H "x-api-key: $PARTNER_API_KEY" 'http://h/v1/users/?a=it'\''s'`},
		{CredSecond, `curl -sS -i -H "x-api-key: $PARTNER_API_KEY_2" 'http://h/v1/users/?a=it'\''s'`},
		{CredNone, `curl -sS -i 'http://h/v1/users/?a=it'\''s'`},
		{CredEmpty, `curl -sS -i -H 'x-api-key;' 'http://h/v1/users/?a=it'\''s'`},
	} {
		assert.Equal(t, tt.want, curlLine(&Exchange{Request: Request{Cred: tt.cred}, URL: "http://h/v1/users/?a=it's"}))
	}
}

func TestRedactorRemovesLongerKeysFirst(t *testing.T) {
	r := newRedactor("demo-key", "demo-key-2", "")
	assert.Equal(t, "a [REDACTED] b [REDACTED] c", r.String("a demo-key-2 b demo-key c"))
}

func TestClientValidatesRequestsAndResponses(t *testing.T) {
	srv, _ := scripted(t, nil, nil)
	c, _ := testClient(t, Config{BaseURL: srv.URL + "/v1", APIKey: "k"})
	tests := []struct {
		name string
		req  Request
		want string
	}{
		{"a request outside the document", Request{Path: "/users/", Query: "per_page=0"}, "request: "},
		{"the same, marked as deliberately off spec", Request{Path: "/users/", Query: "per_page=0", OffSpec: true}, ""},
		{"a request inside the document", Request{Path: "/users/", Query: "per_page=5&sort_order=asc"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex, err := c.Do(context.Background(), tt.req)
			require.NoError(t, err)
			if tt.want == "" {
				assert.NoError(t, ex.SchemaErr)
			} else {
				require.Error(t, ex.SchemaErr)
				assert.Contains(t, ex.SchemaErr.Error(), tt.want)
			}
		})
	}
	// A 401 or 404 must be FastAPI's {"detail": "..."}: the document does not declare them.
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("content-type", "text/plain")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte("no"))
	}))
	t.Cleanup(bad.Close)
	c2, _ := testClient(t, Config{BaseURL: bad.URL + "/v1", APIKey: "k"})
	ex, err := c2.Do(context.Background(), Request{Path: "/users/"})
	require.NoError(t, err)
	require.Error(t, ex.SchemaErr)
	assert.Contains(t, ex.SchemaErr.Error(), "content-type")
}

func TestTargetLostMidRun(t *testing.T) {
	// Answers the preflight, then drops every connection: the run stops and says so.
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) > 3 {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
			return
		}
		w.Header().Set("content-type", "application/json")
		_, _ = w.Write([]byte(`{"items":[],"total_records":0,"last_record_number":0,"per_page":1}`))
	}))
	t.Cleanup(srv.Close)
	rep, err := Run(context.Background(), Config{BaseURL: srv.URL + "/v1", APIKey: "secret-key"})
	require.ErrorIs(t, err, ErrUnreachable)
	require.NotNil(t, rep, "the report so far comes back with the error")
	require.NotEmpty(t, rep.Checks)
	last := rep.Checks[len(rep.Checks)-1]
	assert.Equal(t, Fail, last.Status)
	assert.Contains(t, last.Reason, "target unreachable")
	assert.Less(t, len(rep.Checks), len(Checks()), "the run stops at the first check that lost the target")
	assert.NotContains(t, err.Error(), "secret-key")
}
