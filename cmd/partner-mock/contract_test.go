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
	"regexp"
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
		Skipped  int `json:"skipped"`
		Requests int `json:"requests"`
	}
	require.NoError(t, json.Unmarshal(data, &rep))
	assert.Equal(t, doc.Tests, rep.Passed)
	assert.Zero(t, rep.Skipped)
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
			map[string]string{"PARTNER_API_BASE_URL": good, "PARTNER_API_KEY": "demo-key", "PARTNER_API_KEY_2": "demo-key-2"}, 0, "0 failed", "PASS tenants/isolation"},
		{"skipped checks", []string{"--base-url", good, "--api-key", "demo-key", "--only", "auth", "--skip", "auth/empty-key", "--skip", "auth/unknown-key"}, nil, 0,
			"SKIP auth/empty-key: skipped by --skip", "SKIP auth/unknown-key"},
		{"unknown skipped check", []string{"--base-url", good, "--api-key", "demo-key", "--skip", "nope"}, nil, 2, "", `skip "nope": no such check or family`},
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

// TestContractPrintsEachCheckOnce: the progress lines (stderr) name every check once as it
// finishes; the report that follows (stdout) does not list them again, only what they did not
// say.
func TestContractPrintsEachCheckOnce(t *testing.T) {
	base := mockURL(t, noChallenge)
	code, out, errOut := runContract(t, "--base-url", base, "--api-key", "demo-key", "--only", "auth,envelope", "--skip", "envelope/defaults")
	require.Equal(t, 1, code, "stdout:\n%s\nstderr:\n%s", out, errOut)
	for _, name := range []string{"auth/missing-key", "auth/empty-key", "auth/unknown-key", "auth/before-validation", "envelope/per-page-echo", "envelope/past-the-end"} {
		assert.Equal(t, 1, strings.Count(errOut, name+" "), "%s: one progress line\n%s", name, errOut)
	}
	progress := regexp.MustCompile(`(?m)^\[\s*\d+/8\] (PASS|FAIL|SKIP) +[a-z-]+/[a-z-]+ +\d+ req`)
	assert.Len(t, progress.FindAllString(errOut, -1), 8, "one progress line per check:\n%s", errOut)
	assert.Contains(t, errOut, "FAIL auth/missing-key", "a failing check's progress line says so")
	assert.Contains(t, errOut, "www-authenticate", "and why")

	// The report: the failures with their curl lines, the skipped check, the totals; no
	// passing check listed a second time.
	assert.NotContains(t, out, "PASS ")
	assert.NotContains(t, out, "auth/unknown-key")
	assert.Contains(t, out, "FAIL auth/missing-key: ")
	assert.Contains(t, out, "reproduce: curl ")
	assert.Contains(t, out, "SKIP envelope/defaults: skipped by --skip")
	assert.Regexp(t, `\d+ passed, \d+ failed, 1 skipped`, out)
	assert.NotContains(t, out+errOut, "\r", "not a terminal: no line is rewritten in place")
}

// TestContractWritesReportFilesWhateverHappens: CI collects --junit and --json after every
// run, so they are written when the run fails, when the target cannot be reached from the
// start, and when a setting is wrong; a failed check in them says what happened.
func TestContractWritesReportFilesWhateverHappens(t *testing.T) {
	down := "http://" + closedPort(t) + "/v1"
	good := mockURL(t, nil)
	tests := []struct {
		name string
		args []string
		code int
		// want is in the failure of the reports' one failed check, or "" when the run ran.
		want string
	}{
		{"target unreachable from the start", []string{"--base-url", down, "--api-key", "demo-key"}, 3, "target unreachable"},
		{"a key the target rejects", []string{"--base-url", good, "--api-key", "wrong-key"}, 2, "rejected the API key"},
		{"no key", []string{"--base-url", good}, 2, "--api-key (or PARTNER_API_KEY) is required"},
		{"compare target unreachable", []string{"--base-url", good, "--api-key", "demo-key", "--compare-with", down}, 3, "target unreachable"},
		{"checks fail", []string{"--base-url", mockURL(t, noChallenge), "--api-key", "demo-key", "--only", "auth"}, 1, ""},
		{"skipped checks", []string{"--base-url", good, "--api-key", "demo-key", "--only", "auth", "--skip", "auth/empty-key"}, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, k := range []string{"PARTNER_API_BASE_URL", "PARTNER_API_KEY", "PARTNER_API_KEY_2", "PARTNER_API_COMPARE_KEY"} {
				t.Setenv(k, "")
			}
			dir := t.TempDir()
			junit, js := filepath.Join(dir, "contract.xml"), filepath.Join(dir, "contract.json")
			code, out, errOut := runContract(t, append(tt.args, "--junit", junit, "--json", js)...)
			require.Equal(t, tt.code, code, "stdout:\n%s\nstderr:\n%s", out, errOut)

			data, err := os.ReadFile(junit)
			require.NoError(t, err, "the JUnit file is written")
			var doc struct {
				Tests    int `xml:"tests,attr"`
				Failures int `xml:"failures,attr"`
				Skipped  int `xml:"skipped,attr"`
				Suites   []struct {
					Cases []struct {
						Name    string `xml:"name,attr"`
						Failure *struct {
							Message string `xml:"message,attr"`
						} `xml:"failure"`
						Skipped *struct {
							Message string `xml:"message,attr"`
						} `xml:"skipped"`
					} `xml:"testcase"`
				} `xml:"testsuite"`
			}
			require.NoError(t, xml.Unmarshal(data, &doc))
			jsData, err := os.ReadFile(js)
			require.NoError(t, err, "the JSON file is written")
			var rep struct {
				Failed int `json:"failed"`
				Checks []struct {
					Name   string `json:"name"`
					Status string `json:"status"`
					Reason string `json:"reason"`
				} `json:"checks"`
			}
			require.NoError(t, json.Unmarshal(jsData, &rep))
			assert.NotContains(t, string(data)+string(jsData), "demo-key", "keys are redacted")
			assert.NotContains(t, string(data)+string(jsData), "wrong-key", "keys are redacted")

			switch {
			case tt.want != "":
				assert.Equal(t, 1, doc.Tests)
				assert.Equal(t, 1, doc.Failures)
				require.Len(t, doc.Suites, 1)
				require.Len(t, doc.Suites[0].Cases, 1)
				require.NotNil(t, doc.Suites[0].Cases[0].Failure)
				assert.Contains(t, doc.Suites[0].Cases[0].Failure.Message, tt.want)
				require.Len(t, rep.Checks, 1)
				assert.Equal(t, "fail", rep.Checks[0].Status)
				assert.Contains(t, rep.Checks[0].Reason, tt.want)
			case tt.code == 1:
				assert.Greater(t, doc.Failures, 0)
				assert.Equal(t, doc.Failures, rep.Failed)
			default:
				assert.Equal(t, 1, doc.Skipped)
				var skipped []string
				for _, s := range doc.Suites {
					for _, c := range s.Cases {
						if c.Skipped != nil {
							skipped = append(skipped, c.Name+": "+c.Skipped.Message)
						}
					}
				}
				assert.Equal(t, []string{"auth/empty-key: skipped by --skip"}, skipped)
				for _, c := range rep.Checks {
					if c.Name == "auth/empty-key" {
						assert.Equal(t, "skip", c.Status)
						assert.Equal(t, "skipped by --skip", c.Reason)
					}
				}
			}
		})
	}
}
