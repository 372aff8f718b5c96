package httpapi_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/mock/app"
)

func newApp(t *testing.T, logs *bytes.Buffer) *app.App {
	t.Helper()
	cfg := app.Config{}
	if logs != nil {
		cfg.Logger = slog.New(slog.NewTextHandler(logs, nil))
	}
	a, err := app.New(cfg)
	require.NoError(t, err)
	return a
}

func TestRouting(t *testing.T) {
	a := newApp(t, nil)
	tests := []struct {
		name, method, target, key string
		status                    int
		headers                   map[string]string
		body                      string
	}{
		{"healthz needs no key", "GET", "/healthz", "", 200, map[string]string{"content-type": "application/json"}, `{"status":"ok","clock":{"mode":"frozen","fis":[{"fi":"demo-credit-union","now":"2025-10-01T00:00:00Z"},{"fi":"demo-savings-bank","now":"2025-10-01T00:00:00Z"}]}}`},
		{"HEAD is not allowed and has no body", "HEAD", "/v1/users/", "demo-key", 405, map[string]string{"allow": "GET", "content-length": "31"}, ``},
		{"PUT on detail", "PUT", "/v1/users/member-001/", "", 405, map[string]string{"allow": "GET"}, `{"detail":"Method Not Allowed"}`},
		{"detail without slash redirects before auth", "GET", "/v1/users/member-001?x=1", "", 307, map[string]string{"location": "http://example.com/v1/users/member-001/?x=1"}, ``},
		{"POST without slash redirects too", "POST", "/v1/users", "", 307, map[string]string{"location": "http://example.com/v1/users/"}, ``},
		{"encoded id keeps its escapes in the redirect", "GET", "/v1/users/a%20b", "", 307, map[string]string{"location": "http://example.com/v1/users/a%20b/"}, ``},
		{"double slash is not found", "GET", "/v1/users//", "demo-key", 404, nil, `{"detail":"Not Found"}`},
		{"empty id is not found, before auth", "GET", "/v1/users//", "", 404, nil, `{"detail":"Not Found"}`},
		{"nested path is not found", "GET", "/v1/users/a/b", "demo-key", 404, nil, `{"detail":"Not Found"}`},
		{"root is not found", "GET", "/", "", 404, nil, `{"detail":"Not Found"}`},
		{"without base path is not found", "GET", "/users/", "demo-key", 404, nil, `{"detail":"Not Found"}`},
		{"escaped id resolves", "GET", "/v1/users/member%2D001/", "demo-key", 200, nil, ""},
		{"key of another FI", "GET", "/v1/users/member-001/", "demo-key-2", 404, nil, `{"detail":"User not found"}`},
		{"auth before 404 user", "GET", "/v1/users/nobody/", "", 401, map[string]string{"www-authenticate": "APIKey"}, `{"detail":"Not authenticated"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, tt.target, nil)
			if tt.key != "" {
				req.Header.Set("x-api-key", tt.key)
			}
			srv := httptest.NewServer(a.Handler)
			defer srv.Close()
			req.URL.Scheme, req.URL.Host, req.RequestURI = "http", strings.TrimPrefix(srv.URL, "http://"), ""
			req.Host = "example.com"
			client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			resp, err := client.Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			var body bytes.Buffer
			_, err = body.ReadFrom(resp.Body)
			require.NoError(t, err)
			assert.Equal(t, tt.status, resp.StatusCode)
			for k, v := range tt.headers {
				assert.Equal(t, v, resp.Header.Get(k), k)
			}
			if tt.body != "" || tt.status != 200 {
				assert.Equal(t, tt.body, body.String())
			}
		})
	}
}

func TestRequestLogNeverHasTheKey(t *testing.T) {
	var logs bytes.Buffer
	a := newApp(t, &logs)
	for _, key := range []string{"demo-key", "secret-unknown-key"} {
		req := httptest.NewRequest("GET", "/v1/users/?per_page=2", nil)
		req.Header.Set("x-api-key", key)
		a.Handler.ServeHTTP(httptest.NewRecorder(), req)
	}
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	require.Len(t, lines, 2, "one line per request")
	assert.Contains(t, lines[0], "method=GET path=/v1/users/ status=200 duration=")
	assert.Contains(t, lines[1], "status=401")
	assert.NotContains(t, logs.String(), "demo-key")
	assert.NotContains(t, logs.String(), "secret-unknown-key")
}

func TestServesAfterBadInput(t *testing.T) {
	a := newApp(t, nil)
	for _, target := range []string{
		"/v1/users/?per_page=%ff%fe", "/v1/users/?created_at_start=%00", "/v1/users/?" + strings.Repeat("a=1&", 5000),
		"/v1/users/?last_record_number=" + strings.Repeat("9", 5000), "/v1/users/?sort_key=%E2%82",
	} {
		req := httptest.NewRequest("GET", target, nil)
		req.Header.Set("x-api-key", "demo-key")
		rec := httptest.NewRecorder()
		a.Handler.ServeHTTP(rec, req)
		assert.Contains(t, []int{200, 422}, rec.Code, target)
		assert.Equal(t, "application/json", rec.Header().Get("content-type"))
	}
	req := httptest.NewRequest("GET", "/v1/users/", nil)
	req.Header.Set("x-api-key", "demo-key")
	rec := httptest.NewRecorder()
	a.Handler.ServeHTTP(rec, req)
	assert.Equal(t, 200, rec.Code)
}
