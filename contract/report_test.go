package contract_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/contract"
)

// junitDoc is JUnit XML as CI systems read it.
type junitDoc struct {
	XMLName  xml.Name `xml:"testsuites"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Skipped  int      `xml:"skipped,attr"`
	Suites   []struct {
		Name     string `xml:"name,attr"`
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Cases    []struct {
			Name      string `xml:"name,attr"`
			ClassName string `xml:"classname,attr"`
			Time      string `xml:"time,attr"`
			Failure   *struct {
				Message string `xml:"message,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
			Skipped *struct {
				Message string `xml:"message,attr"`
			} `xml:"skipped"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

// echoKeyIn422 plants a bug that also leaks: 422 bodies carry the caller's key, and the loc is
// wrong so the validation checks fail and quote the body.
func echoKeyIn422(h http.Handler) http.Handler {
	return rewriteResponse(h, func(r *http.Request, status int, _ http.Header, body []byte) (int, []byte) {
		if status != http.StatusUnprocessableEntity {
			return status, body
		}
		return status, []byte(`{"detail":"bad request from ` + r.Header.Get("x-api-key") + `"}`)
	})
}

func TestReportsOfAFailingRun(t *testing.T) {
	url := mockServer(t, echoKeyIn422(newMock(t).Handler))
	rep, err := contract.Run(context.Background(), contract.Config{BaseURL: url, APIKey: "demo-key", Only: []string{"validation", "auth"}})
	require.NoError(t, err)
	require.False(t, rep.OK())

	var junit, js, summary bytes.Buffer
	require.NoError(t, rep.WriteJUnit(&junit))
	require.NoError(t, rep.WriteJSON(&js))
	require.NoError(t, rep.WriteSummary(&summary))
	for name, out := range map[string]string{"junit": junit.String(), "json": js.String(), "summary": summary.String()} {
		assert.NotContains(t, out, "demo-key", "%s: the key is redacted", name)
		assert.Contains(t, out, contract.Redacted, "%s: the leaked key shows as redacted", name)
	}

	var doc junitDoc
	require.NoError(t, xml.Unmarshal(junit.Bytes(), &doc), "valid XML")
	assert.Equal(t, len(rep.Checks), doc.Tests)
	assert.Equal(t, rep.Failed, doc.Failures)
	var cases, failures int
	for _, s := range doc.Suites {
		assert.True(t, strings.HasPrefix(s.Name, "contract."), s.Name)
		assert.Equal(t, len(s.Cases), s.Tests)
		for _, c := range s.Cases {
			cases++
			assert.NotEmpty(t, c.Name)
			assert.Equal(t, s.Name, c.ClassName)
			assert.Regexp(t, `^\d+\.\d{3}$`, c.Time)
			if c.Failure != nil {
				failures++
				assert.NotEmpty(t, c.Failure.Message)
				assert.Contains(t, c.Failure.Text, "reproduce: curl ")
			}
		}
	}
	assert.Equal(t, doc.Tests, cases)
	assert.Equal(t, doc.Failures, failures)
	assert.Greater(t, failures, 0)

	var back contract.Report
	require.NoError(t, json.Unmarshal(js.Bytes(), &back))
	assert.Equal(t, rep.Failed, back.Failed)
	require.Len(t, back.Checks, len(rep.Checks))
	for i, c := range back.Checks {
		assert.Equal(t, rep.Checks[i].Name, c.Name)
		assert.Equal(t, rep.Checks[i].Status, c.Status)
	}
	assert.Regexp(t, regexp.MustCompile(`(?m)^FAIL validation/`), summary.String())
	assert.Regexp(t, regexp.MustCompile(`(?m)^PASS auth/missing-key`), summary.String())
}

func TestSmallBudgetSamplesAndSaysSo(t *testing.T) {
	url := mockServer(t, newMock(t).Handler)
	rep, err := contract.Run(context.Background(), contract.Config{BaseURL: url, APIKey: "demo-key", APIKey2: "demo-key-2", MaxRequests: 800})
	require.NoError(t, err)
	var summary bytes.Buffer
	require.NoError(t, rep.WriteSummary(&summary))
	t.Log("\n" + summary.String())
	assert.LessOrEqual(t, rep.Requests, 800)
	assert.Equal(t, 0, rep.Failed, "sampling finds no problem in the mock")
	assert.Equal(t, 0, rep.Skipped, "every check fits 800 requests by sampling")
	assert.True(t, rep.Sampled)
	sampled := map[string]bool{}
	for _, c := range rep.Checks {
		if c.Sampled {
			sampled[c.Name] = true
			assert.Contains(t, strings.Join(c.Notes, "\n"), "sampled:", c.Name)
		}
	}
	assert.True(t, sampled["paging/walk"], "the walk of 1,000 users at per_page 7 does not fit: it samples")
	assert.Contains(t, summary.String(), "some checks sampled the population")
}

func TestPreflightNamesConfigProblems(t *testing.T) {
	srv := mockServer(t, newMock(t).Handler)
	for _, tt := range []struct {
		name, url, key, key2, want string
	}{
		{"wrong key", srv, "not-a-key", "", "rejected the API key"},
		{"wrong second key", srv, "demo-key", "not-a-key", "rejected the second API key"},
		{"base URL without /v1", strings.TrimSuffix(srv, "/v1"), "demo-key", "", "must include the API's base path"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := contract.Run(context.Background(), contract.Config{BaseURL: tt.url, APIKey: tt.key, APIKey2: tt.key2})
			var cerr *contract.ConfigError
			require.True(t, errors.As(err, &cerr), "%v", err)
			assert.Contains(t, err.Error(), tt.want)
			assert.NotContains(t, err.Error(), "not-a-key", "the key is redacted")
		})
	}
}

// TestSkippedChecksAreListedInEveryReport: a check left out with Config.Skip (--skip), by name
// or by family, runs no request and shows as skipped, with the reason, in the summary, the
// final report, JUnit and JSON.
func TestSkippedChecksAreListedInEveryReport(t *testing.T) {
	url := mockServer(t, newMock(t).Handler)
	rep, err := contract.Run(context.Background(), contract.Config{BaseURL: url, APIKey: "demo-key",
		Only: []string{"auth", "envelope"}, Skip: []string{"auth/empty-key", "envelope"}})
	require.NoError(t, err)
	skipped := map[string]string{}
	for _, c := range rep.Checks {
		if c.Status == contract.Skip {
			skipped[c.Name] = c.Reason
			assert.Zero(t, c.Requests, "%s sent no request", c.Name)
		} else {
			assert.Equal(t, "auth", c.Family, c.Name)
		}
	}
	require.Contains(t, skipped, "auth/empty-key")
	require.Contains(t, skipped, "envelope/defaults")
	for name, reason := range skipped {
		assert.Equal(t, contract.SkippedByFlag, reason, name)
	}
	assert.Equal(t, len(skipped), rep.Skipped)

	var summary, outcome, junit, js bytes.Buffer
	require.NoError(t, rep.WriteSummary(&summary))
	require.NoError(t, rep.WriteOutcome(&outcome))
	require.NoError(t, rep.WriteJUnit(&junit))
	require.NoError(t, rep.WriteJSON(&js))
	assert.Contains(t, summary.String(), "skipped: skipped by --skip")
	assert.Contains(t, outcome.String(), "SKIP auth/empty-key: skipped by --skip")
	var doc junitDoc
	require.NoError(t, xml.Unmarshal(junit.Bytes(), &doc))
	assert.Equal(t, len(skipped), doc.Skipped)
	var back contract.Report
	require.NoError(t, json.Unmarshal(js.Bytes(), &back))
	for _, c := range back.Checks {
		if _, ok := skipped[c.Name]; ok {
			assert.Equal(t, contract.Skip, c.Status)
			assert.Equal(t, contract.SkippedByFlag, c.Reason)
		}
	}
}

// TestProgressLines: Config.Log gets one line per check as it finishes; on a terminal
// (LogLive) a line names the running check first and the result replaces it in place.
func TestProgressLines(t *testing.T) {
	url := mockServer(t, newMock(t).Handler)
	for _, live := range []bool{false, true} {
		var log bytes.Buffer
		rep, err := contract.Run(context.Background(), contract.Config{BaseURL: url, APIKey: "demo-key", Only: []string{"auth"}, Log: &log, LogLive: live})
		require.NoError(t, err)
		lines := strings.Split(strings.TrimSuffix(log.String(), "\n"), "\n")
		require.Len(t, lines, len(rep.Checks), "one line per check:\n%s", log.String())
		for i, c := range rep.Checks {
			final := lines[i]
			if live {
				run, result, ok := strings.Cut(lines[i], "\r\033[K")
				require.True(t, ok, "the result replaces the running line: %q", lines[i])
				assert.Contains(t, run, "RUN  "+c.Name)
				final = result
			} else {
				assert.NotContains(t, lines[i], "\r")
			}
			assert.Regexp(t, `^\[\d/4\] PASS `+regexp.QuoteMeta(c.Name)+` +\d+ req`, final)
		}
	}
}

// TestErrorReportIsOneFailedCheck: a run that could not start still has a report to write.
func TestErrorReportIsOneFailedCheck(t *testing.T) {
	rep := contract.ErrorReport(contract.Config{BaseURL: "http://127.0.0.1:1/v1", APIKey: "secret-key"},
		errors.New("target unreachable: GET http://127.0.0.1:1/v1/users/?k=secret-key: connection refused"))
	require.Len(t, rep.Checks, 1)
	assert.Equal(t, contract.Fail, rep.Checks[0].Status)
	assert.Equal(t, 1, rep.Failed)
	assert.False(t, rep.OK())
	assert.Contains(t, rep.Checks[0].Reason, "connection refused")
	assert.NotContains(t, rep.Checks[0].Reason, "secret-key")
	var junit bytes.Buffer
	require.NoError(t, rep.WriteJUnit(&junit))
	var doc junitDoc
	require.NoError(t, xml.Unmarshal(junit.Bytes(), &doc))
	assert.Equal(t, 1, doc.Failures)
}
