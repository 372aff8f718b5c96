package contract_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/contract"
	"github.com/cryptofi/partner-mock/mock/app"
)

// needsOrders are the checks that have nothing to look at in an FI without orders.
var needsOrders = []string{
	"orders-paging", "orders-ordering", "orders-filters", "orders-timerange",
	"orders-detail/list-item", "orders-fields", "relations/user-exists",
	"relations/product-account", "relations/approved-before-placed",
}

// withoutOrders makes the FI of key one without orders, in the mock's own words: its order
// list is asked for the orders of a user no FI has (so filters, paging and 422s are the
// mock's), and its order details for an order no FI has.
func withoutOrders(h http.Handler, key string) http.Handler {
	return rewriteRequest(h, func(r *http.Request) {
		if r.Header.Get("x-api-key") != key || !strings.HasPrefix(r.URL.Path, "/v1/orders/") {
			return
		}
		if r.URL.Path == "/v1/orders/" {
			qv := r.URL.Query()
			qv.Set("user_account_id", "contract-test-nobody")
			r.URL.RawQuery = qv.Encode()
			return
		}
		if strings.Count(r.URL.Path, "/") == 4 && strings.HasSuffix(r.URL.Path, "/") {
			r.URL.Path, r.URL.RawPath = "/v1/orders/contract-test-no-order/", ""
		}
	})
}

// TestFIWithoutOrdersSkipsWhatNeedsOrders: an FI with no orders is no failure. The checks that
// need orders to look at skip, saying why; the others (auth, envelope, validation, an unknown
// order's 404, the other FI's orders) run and pass.
func TestFIWithoutOrdersSkipsWhatNeedsOrders(t *testing.T) {
	h := withoutOrders(newMock(t).Handler, "demo-key")
	rep, err := contract.Run(context.Background(), contract.Config{BaseURL: mockServer(t, h), APIKey: "demo-key", APIKey2: "demo-key-2"})
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

// TestNoFalseAlarmAgainstTheLiveMock runs the suite against the mock with its clock running
// (serve --clock live): a day per second, and the fastest the mock allows (about twelve days
// per second). Users sign up, KYC decisions land, orders are placed and settle while the suite
// runs. Every check passes: those that walk or compare answers do so within a window no new
// record enters, and tell a record that left pending from a bug.
func TestNoFalseAlarmAgainstTheLiveMock(t *testing.T) {
	for _, speed := range []float64{86400, 1e6} {
		t.Run(strconv.FormatFloat(speed, 'f', -1, 64), func(t *testing.T) {
			a, err := app.New(app.Config{Clock: app.Clock{Live: true, Speed: speed}})
			require.NoError(t, err)
			url := mockServer(t, a.Handler)
			total := func(path string) int64 {
				req, err := http.NewRequest(http.MethodGet, url+path, nil)
				require.NoError(t, err)
				req.Header.Set("x-api-key", "demo-key")
				resp, err := http.DefaultClient.Do(req)
				require.NoError(t, err)
				defer resp.Body.Close()
				require.Equal(t, http.StatusOK, resp.StatusCode)
				var p struct {
					Total int64 `json:"total_records"`
				}
				require.NoError(t, json.NewDecoder(resp.Body).Decode(&p))
				return p.Total
			}
			records := func() int64 { return total("/users/?per_page=1") + total("/orders/?per_page=1") }
			before := records()
			rep, err := contract.Run(context.Background(), contract.Config{BaseURL: url, APIKey: "demo-key", APIKey2: "demo-key-2"})
			require.NoError(t, err)
			var out bytes.Buffer
			require.NoError(t, rep.WriteOutcome(&out))
			t.Log("\n" + out.String())
			// The data did move while the suite ran: otherwise this test shows nothing.
			require.Greater(t, records(), before, "users signed up or orders were placed while the suite ran")
			for _, c := range rep.Checks {
				assert.Equal(t, contract.Pass, c.Status, "%s: %s %v", c.Name, c.Reason, c.Failures)
			}
			assert.Contains(t, rep.Window, "before")
		})
	}
}
