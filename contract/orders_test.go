package contract_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/contract"
)

// needsOrders are the checks that have nothing to look at in an FI without orders.
var needsOrders = []string{
	"orders-paging", "orders-ordering", "orders-filters", "orders-timerange",
	"orders-detail/list-item", "orders-fields", "relations/user-exists",
	"relations/product-account", "relations/approved-before-placed",
}

// TestFIWithoutOrdersSkipsWhatNeedsOrders: an FI with no orders is no failure. The checks that
// need orders to look at skip, saying why; the others (auth, envelope, validation, an unknown
// order's 404, the other FI's orders) run and pass.
func TestFIWithoutOrdersSkipsWhatNeedsOrders(t *testing.T) {
	h, doc := withOrders(t, newMock(t).Handler, demoKeys, refOptions{noOrders: []string{"demo-key"}})
	rep, err := contract.Run(context.Background(), contract.Config{BaseURL: mockServer(t, h), APIKey: "demo-key", APIKey2: "demo-key-2", Spec: doc})
	require.NoError(t, err)
	var out bytes.Buffer
	require.NoError(t, rep.WriteOutcome(&out))
	t.Log("\n" + out.String())
	assert.Zero(t, rep.Failed)
	needs := func(c contract.Result) bool {
		for _, n := range needsOrders {
			if c.Name == n || c.Family == n {
				return true
			}
		}
		return false
	}
	for _, c := range rep.Checks {
		if needs(c) {
			assert.Equal(t, contract.Skip, c.Status, c.Name)
			assert.Contains(t, c.Reason, "the FI has no orders", c.Name)
		} else {
			assert.Equal(t, contract.Pass, c.Status, "%s: %s", c.Name, c.Reason)
		}
	}
	assert.Contains(t, out.String(), "SKIP orders-fields/decimals: the FI has no orders")
}

// TestNoFalseAlarmWhileOrdersAppearAndSettle runs the suite against a server whose clock runs
// a day per second: orders are placed and settle while the suite runs. Every check passes: the
// ones that walk or compare answers do it over a window no new order enters, and tell a
// status that left pending from a bug.
func TestNoFalseAlarmWhileOrdersAppearAndSettle(t *testing.T) {
	mock := newMock(t).Handler
	// The newest KYC approval of the FIs, which the frozen reference server's time would be.
	probe := referenceServer(t, mock, demoKeys, refOptions{}).(interface{ Now() time.Time })
	clock := liveClock(probe.Now(), 86400)
	h, doc := withOrders(t, mock, demoKeys, refOptions{now: clock, horizon: 30 * 24 * time.Hour})
	url := mockServer(t, h)

	count := func(query string) int64 {
		req, err := http.NewRequest(http.MethodGet, url+"/orders/?per_page=1&"+query, nil)
		require.NoError(t, err)
		req.Header.Set("x-api-key", "demo-key")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		var p struct {
			Total int64 `json:"total_records"`
		}
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&p))
		return p.Total
	}
	start := clock().UTC().Format(time.RFC3339)
	before, pendingBefore := count(""), count("status=pending&placed_at_end="+start)
	rep, err := contract.Run(context.Background(), contract.Config{BaseURL: url, APIKey: "demo-key", APIKey2: "demo-key-2", Spec: doc})
	require.NoError(t, err)
	after, pendingAfter := count(""), count("status=pending&placed_at_end="+start)
	var out bytes.Buffer
	require.NoError(t, rep.WriteOutcome(&out))
	t.Log("\n" + out.String())
	require.Greater(t, after, before, "orders were placed while the suite ran")
	require.Less(t, pendingAfter, pendingBefore, "orders placed before the run settled while it ran")
	for _, c := range rep.Checks {
		assert.Equal(t, contract.Pass, c.Status, "%s: %s %v", c.Name, c.Reason, c.Failures)
	}
	assert.True(t, strings.Contains(rep.Window, "before"), rep.Window)
}

// TestReferenceServerAnswersLikeFastAPI replays the FastAPI captures of the orders endpoints
// against the reference server, so the suite's orders checks are shown against a server that
// answers as the real one does.
func TestReferenceServerAnswersLikeFastAPI(t *testing.T) {
	h, _ := withOrders(t, newMock(t).Handler, demoKeys, refOptions{})
	var captures []struct {
		Name    string `json:"name"`
		Request struct {
			Method, Path, Query string
			APIKey              string `json:"api_key"`
		} `json:"request"`
		Response struct {
			Status  int               `json:"status"`
			Headers map[string]string `json:"headers"`
			Body    json.RawMessage   `json:"body"`
		} `json:"response"`
	}
	data := readTestdata(t, "captures-orders.json")
	require.NoError(t, json.Unmarshal(data, &captures))
	require.NotEmpty(t, captures)
	for _, c := range captures {
		t.Run(c.Name, func(t *testing.T) {
			target := "/v1" + c.Request.Path
			if c.Request.Query != "" {
				target += "?" + c.Request.Query
			}
			req := httptest.NewRequest(c.Request.Method, target, nil)
			req.Host = "example.test"
			switch c.Request.APIKey {
			case "valid":
				req.Header.Set("x-api-key", "demo-key")
			case "none":
			case "empty":
				req.Header["X-Api-Key"] = []string{""}
			default:
				req.Header.Set("x-api-key", c.Request.APIKey)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			assert.Equal(t, c.Response.Status, rec.Code)
			for k, v := range c.Response.Headers {
				assert.Equal(t, strings.ReplaceAll(v, "{ORIGIN}", "http://example.test"), rec.Header().Get(k), k)
			}
			if string(c.Response.Body) == "null" {
				assert.Empty(t, rec.Body.String())
			} else {
				assert.JSONEq(t, string(c.Response.Body), rec.Body.String())
			}
		})
	}
}
