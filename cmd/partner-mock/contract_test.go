package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/mock/app"
)

// mockURL serves the mock (wrapped by wrap, when given) and returns its base URL.
func mockURL(t *testing.T, wrap func(http.Handler) http.Handler) string {
	t.Helper()
	a, err := app.New(app.Config{})
	require.NoError(t, err)
	var h http.Handler = a.Handler
	if wrap != nil {
		h = wrap(h)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL + "/v1"
}

// noChallenge plants a bug: 401s lose their www-authenticate header.
func noChallenge(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		for k, v := range rec.Header() {
			if !strings.EqualFold(k, "www-authenticate") {
				w.Header()[k] = v
			}
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	})
}

// dropsAfter plants an outage: after n requests every connection is closed unanswered.
func dropsAfter(n int32) func(http.Handler) http.Handler {
	return func(h http.Handler) http.Handler {
		var count atomic.Int32
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if count.Add(1) > n {
				if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
					conn.Close()
				}
				return
			}
			h.ServeHTTP(w, r)
		})
	}
}

func runContract(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), append([]string{"contract"}, args...), &stdout, &stderr, nil)
	return code, stdout.String(), stderr.String()
}

func TestContractPassesAgainstTheMockAndWritesReports(t *testing.T) {
	base := mockURL(t, nil)
	dir := t.TempDir()
	junit, js := filepath.Join(dir, "contract.xml"), filepath.Join(dir, "contract.json")
	code, out, errOut := runContract(t, "--base-url", base, "--api-key", "demo-key", "--api-key-2", "demo-key-2", "--junit", junit, "--json", js)
	require.Equal(t, 0, code, "stdout:\n%s\nstderr:\n%s", out, errOut)
	assert.Regexp(t, `\d+ passed, 0 failed, 0 skipped; \d+ requests \(budget 1000\)`, out)
	assert.NotContains(t, out+errOut, "demo-key", "keys never reach the output")

	data, err := os.ReadFile(junit)
	require.NoError(t, err)
	var doc struct {
		XMLName  xml.Name `xml:"testsuites"`
		Tests    int      `xml:"tests,attr"`
		Failures int      `xml:"failures,attr"`
	}
	require.NoError(t, xml.Unmarshal(data, &doc))
	assert.Greater(t, doc.Tests, 30)
	assert.Equal(t, 0, doc.Failures)

	data, err = os.ReadFile(js)
	require.NoError(t, err)
	var rep struct {
		Passed   int `json:"passed"`
		Failed   int `json:"failed"`
		Requests int `json:"requests"`
	}
	require.NoError(t, json.Unmarshal(data, &rep))
	assert.Equal(t, doc.Tests, rep.Passed)
	assert.Less(t, rep.Requests, 1000)
	assert.NotContains(t, string(data), "demo-key")
}

func TestContractExitStatuses(t *testing.T) {
	good := mockURL(t, nil)
	broken := mockURL(t, noChallenge)
	down := "http://" + closedPort(t) + "/v1"
	tests := []struct {
		name string
		args []string
		env  map[string]string
		code int
		// out is expected in stdout, errOut in stderr.
		out, errOut string
	}{
		{"all checks pass", []string{"--base-url", good, "--api-key", "demo-key", "--only", "auth"}, nil, 0, "0 failed", ""},
		{"settings from the environment", []string{"--only", "auth,tenants"},
			map[string]string{"PARTNER_API_BASE_URL": good, "PARTNER_API_KEY": "demo-key", "PARTNER_API_KEY_2": "demo-key-2"}, 0, "PASS tenants/isolation", ""},
		{"a check fails", []string{"--base-url", broken, "--api-key", "demo-key", "--only", "auth"}, nil, 1,
			`reproduce: curl -sS -i`, "checks failed"},
		{"no base URL", []string{"--api-key", "demo-key"}, nil, 2, "", "--base-url (or PARTNER_API_BASE_URL) is required"},
		{"no key", []string{"--base-url", good}, nil, 2, "", "--api-key (or PARTNER_API_KEY) is required"},
		{"base URL without scheme", []string{"--base-url", "127.0.0.1:8000/v1", "--api-key", "demo-key"}, nil, 2, "", "want http(s)://host"},
		{"a key the target rejects", []string{"--base-url", good, "--api-key", "wrong-key"}, nil, 2, "", "rejected the API key"},
		{"unknown check", []string{"--base-url", good, "--api-key", "demo-key", "--only", "nope"}, nil, 2, "", `only "nope": no such check or family`},
		{"zero budget", []string{"--base-url", good, "--api-key", "demo-key", "--max-requests", "0"}, nil, 2, "", "--max-requests 0"},
		{"no rate limit", []string{"--base-url", good, "--api-key", "demo-key", "--only", "auth", "--rate", "0"}, nil, 0, "0 failed", ""},
		{"a rate limit", []string{"--base-url", good, "--api-key", "demo-key", "--only", "auth/missing-key", "--rate", "50"}, nil, 0, "0 failed", ""},
		{"negative rate", []string{"--base-url", good, "--api-key", "demo-key", "--rate=-2"}, nil, 2, "", "--rate -2: want requests per second"},
		{"bad timeout", []string{"--base-url", good, "--api-key", "demo-key", "--timeout", "soon"}, nil, 2, "", "--timeout"},
		{"compare key without target", []string{"--base-url", good, "--api-key", "demo-key", "--compare-key", "k"}, nil, 2, "", "--compare-key needs --compare-with"},
		{"target lost during the run", []string{"--base-url", mockURL(t, dropsAfter(20)), "--api-key", "demo-key"}, nil, 3, "FAIL ", "target unreachable"},
		{"target unreachable", []string{"--base-url", down, "--api-key", "demo-key"}, nil, 3, "", "target unreachable"},
		{"compare target unreachable", []string{"--base-url", good, "--api-key", "demo-key", "--compare-with", down}, nil, 3, "", "target unreachable"},
		{"no drift", []string{"--base-url", good, "--api-key", "demo-key", "--compare-with", mockURL(t, nil), "--compare-key", "demo-key-2"}, nil, 0, "0 difference(s)", ""},
		{"drift", []string{"--base-url", good, "--api-key", "demo-key", "--compare-with", broken}, nil, 1,
			"DIFF auth: missing key: header www-authenticate", "the targets differ"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, k := range []string{"PARTNER_API_BASE_URL", "PARTNER_API_KEY", "PARTNER_API_KEY_2", "PARTNER_API_COMPARE_KEY"} {
				t.Setenv(k, tt.env[k])
			}
			code, out, errOut := runContract(t, tt.args...)
			assert.Equal(t, tt.code, code, "stdout:\n%s\nstderr:\n%s", out, errOut)
			assert.Contains(t, out, tt.out)
			assert.Contains(t, errOut, tt.errOut)
			assert.NotContains(t, out+errOut, "demo-key", "keys never reach the output")
			assert.NotContains(t, out+errOut, "wrong-key")
		})
	}
}
