package contract

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runOne runs fn as a check against a server that answers every request with body, and
// returns its result.
func runOne(t *testing.T, body string, fn func(t *T)) Result {
	t.Helper()
	return runOn(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("content-type", "application/json")
		_, _ = w.Write([]byte(body))
	}), fn)
}

// runOn runs fn as a check against h and returns its result.
func runOn(t *testing.T, h http.Handler, fn func(t *T)) Result {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	cfg, err := Config{BaseURL: srv.URL + "/v1", APIKey: "k"}.normalized()
	require.NoError(t, err)
	c, err := newClient(cfg)
	require.NoError(t, err)
	r := &runner{cfg: cfg, spec: cfg.Spec, client: c, redact: newRedactor("k"), users: newUsers(cfg.Spec)}
	return r.runCheck(context.Background(), Check{Name: "test/envelope", Family: "test", run: fn})
}

// TestEveryListAnswerGetsItsEnvelopeChecked sends list requests through the plainest door,
// T.Get, as a check that knows nothing of envelopes would: the envelope is checked anyway, on
// every kind of page.
func TestEveryListAnswerGetsItsEnvelopeChecked(t *testing.T) {
	items := func(n int) string {
		parts := make([]string, n)
		for i := range parts {
			parts[i] = `{"accounts":[],"total_current_market_value":"0.00","user_account_id":"u` + itoa(i) + `"}`
		}
		return "[" + strings.Join(parts, ",") + "]"
	}
	tests := []struct {
		name, query, body string
		// want is part of the failure, or "" when the answer is right.
		want string
	}{
		{"full page", "per_page=2&last_record_number=4",
			`{"items":` + items(2) + `,"total_records":9,"last_record_number":6,"per_page":2}`, ""},
		{"short last page", "per_page=5&last_record_number=7",
			`{"items":` + items(2) + `,"total_records":9,"last_record_number":9,"per_page":5}`, ""},
		{"past the end", "per_page=5&last_record_number=12",
			`{"items":[],"total_records":9,"last_record_number":12,"per_page":5}`, ""},
		{"defaults", "",
			`{"items":` + items(9) + `,"total_records":9,"last_record_number":9,"per_page":25}`, ""},
		{"repeated parameter: the last one counts", "per_page=50&per_page=5",
			`{"items":` + items(5) + `,"total_records":9,"last_record_number":5,"per_page":5}`, ""},
		{"per_page wrong on the short last page", "per_page=5&last_record_number=7",
			`{"items":` + items(2) + `,"total_records":9,"last_record_number":9,"per_page":2}`, "per_page=5 is echoed as 2 on the short last page"},
		{"per_page default not echoed", "",
			`{"items":` + items(9) + `,"total_records":9,"last_record_number":9,"per_page":100}`, "per_page=25 is echoed as 100"},
		{"more items than per_page", "per_page=2",
			`{"items":` + items(3) + `,"total_records":9,"last_record_number":3,"per_page":2}`, "of per_page=2 holds 3 items"},
		{"short page before the end", "per_page=5",
			`{"items":` + items(3) + `,"total_records":9,"last_record_number":3,"per_page":5}`, "returns 3 items, want min(per_page, total_records - cursor) = 5"},
		{"cursor off by one on the short last page", "per_page=5&last_record_number=7",
			`{"items":` + items(2) + `,"total_records":9,"last_record_number":8,"per_page":5}`, "cursor 7 plus 2 items returned last_record_number 8, want 9, on the short last page"},
		{"past the end resets the cursor", "per_page=5&last_record_number=12",
			`{"items":[],"total_records":9,"last_record_number":0,"per_page":5}`, "past the end (cursor 12, total_records 9) last_record_number is 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runOne(t, tt.body, func(t *T) {
				t.Get(Request{Path: "/users/", Query: tt.query, Cred: CredPrimary})
			})
			if tt.want == "" {
				assert.Equal(t, Pass, res.Status, "%v", res.Failures)
				return
			}
			require.Equal(t, Fail, res.Status)
			var msgs []string
			for _, f := range res.Failures {
				msgs = append(msgs, f.Message)
			}
			assert.Contains(t, strings.Join(msgs, "\n"), tt.want)
			assert.True(t, strings.HasPrefix(res.Failures[0].Message, "envelope: "), res.Failures[0].Message)
		})
	}
}

// TestSharesFitTheBudget: the walking checks' shares of the budget add up to at most all of
// it, so a check late in the run still gets its share.
func TestSharesFitTheBudget(t *testing.T) {
	sum := 0.0
	for _, s := range allShares {
		require.Greater(t, s, 0.0)
		sum += s
	}
	assert.LessOrEqual(t, sum, 1.0)
	assert.Less(t, fixedCost, DefaultMaxRequests/2, "most of the default budget is left for the checks that walk")
}
