package contract_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/contract"
	"github.com/cryptofi/partner-mock/mock/app"
)

// The broken-server tests plant one bug in the mock, by rewriting the request it gets or the
// response it sends, and demand that the suite's check family for it fails and names it.

// rewriteRequest plants a bug in how the server reads requests.
func rewriteRequest(h http.Handler, f func(r *http.Request)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r = r.Clone(r.Context())
		f(r)
		h.ServeHTTP(w, r)
	})
}

// rewriteResponse plants a bug in what the server answers.
func rewriteResponse(h http.Handler, f func(r *http.Request, status int, header http.Header, body []byte) (int, []byte)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		status, body := f(r, rec.Code, rec.Header(), rec.Body.Bytes())
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.Header().Del("Content-Length")
		w.WriteHeader(status)
		_, _ = w.Write(body)
	})
}

// replaceBody rewrites every match of re in 200 list/detail bodies.
func replaceBody(h http.Handler, re *regexp.Regexp, repl string) http.Handler {
	return rewriteResponse(h, func(_ *http.Request, status int, _ http.Header, body []byte) (int, []byte) {
		return status, re.ReplaceAll(body, []byte(repl))
	})
}

// listEnvelope rebuilds a list body with the keys in FastAPI's order.
type listEnvelope struct {
	Items            []json.RawMessage `json:"items"`
	TotalRecords     int64             `json:"total_records"`
	LastRecordNumber int64             `json:"last_record_number"`
	PerPage          int64             `json:"per_page"`
}

// rewriteList plants a bug in 200 user list answers.
func rewriteList(h http.Handler, f func(r *http.Request, e *listEnvelope)) http.Handler {
	return rewriteListOf(h, "/v1/users/", f)
}

// rewriteOrders plants a bug in 200 order list answers.
func rewriteOrders(h http.Handler, f func(r *http.Request, e *listEnvelope)) http.Handler {
	return rewriteListOf(h, "/v1/orders/", f)
}

func rewriteListOf(h http.Handler, path string, f func(r *http.Request, e *listEnvelope)) http.Handler {
	return rewriteResponse(h, func(r *http.Request, status int, _ http.Header, body []byte) (int, []byte) {
		if status != http.StatusOK || r.URL.Path != path {
			return status, body
		}
		var e listEnvelope
		if err := json.Unmarshal(body, &e); err != nil {
			panic(err)
		}
		f(r, &e)
		out, err := json.Marshal(e)
		if err != nil {
			panic(err)
		}
		return status, out
	})
}

// tiesApp is a mock whose population has users created at the same instant and orders placed
// at the same instant, so the tie-breaks show in the order.
func tiesApp(t *testing.T) *app.App {
	t.Helper()
	ids := []string{"tie-a", "tie-b", "tie-c", "tie-d", "tie-e"}
	var users, orders strings.Builder
	users.WriteString("users:\n")
	orders.WriteString("orders:\n")
	for i, id := range ids {
		fmt.Fprintf(&users, "  - user_account_id: %s\n    created_at: \"2025-05-05T05:05:05Z\"\n    accounts:\n      - product: crypto\n        kyc_status: approved\n        kyc_approved_at: \"2025-05-06T00:00:00Z\"\n        current_market_value: \"10.00\"\n", id)
		fmt.Fprintf(&orders, "  - order_id: 00000000-0000-4000-8000-00000000000%d\n    user_account_id: %s\n    product: crypto\n    side: buy\n    symbol: BTC\n    quantity: \"0.00100000\"\n    notional: \"100.00\"\n    fee: \"1.49\"\n    status: completed\n    placed_at: 2025-06-01T10:00:00Z\n    completed_at: 2025-06-01T10:00:02Z\n    is_recurring_order: false\n", i, id)
	}
	var cfg app.Config
	err := app.UseTenantsData(&cfg, "ties.yaml", []byte(`tenants:
  - name: ties
    fi_name: Ties Credit Union
    api_keys: [demo-key]
    seed: 3
    users: 150
    as_of: "2025-10-01T00:00:00Z"
    pinned_users: pinned.yaml
    pinned_orders: pinned-orders.yaml
  - name: other
    fi_name: Other Bank
    api_keys: [demo-key-2]
    seed: 4
    users: 20
    as_of: "2025-10-01T00:00:00Z"
`), func(name string) ([]byte, error) {
		if name == "pinned-orders.yaml" {
			return []byte(orders.String()), nil
		}
		return []byte(users.String()), nil
	})
	require.NoError(t, err)
	a, err := app.New(cfg)
	require.NoError(t, err)
	return a
}

// orderDetail reports whether r asks for an order's detail.
func orderDetail(r *http.Request) bool {
	return strings.HasPrefix(r.URL.Path, "/v1/orders/") && r.URL.Path != "/v1/orders/"
}

// otherFIFallback plants a leak: a detail the caller's FI has no record for is answered from
// the other FI's records.
func otherFIFallback(h http.Handler, prefix string) http.Handler {
	return rewriteResponse(h, func(r *http.Request, status int, _ http.Header, body []byte) (int, []byte) {
		if status != http.StatusNotFound || !strings.HasPrefix(r.URL.Path, prefix) || r.URL.Path == prefix {
			return status, body
		}
		r2 := r.Clone(r.Context())
		other := "demo-key"
		if r.Header.Get("x-api-key") == "demo-key" {
			other = "demo-key-2"
		}
		r2.Header.Set("x-api-key", other)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r2)
		return rec.Code, rec.Body.Bytes()
	})
}

// tiesOutOfOrder plants a sort bug: in ascending pages, orders placed at the same instant come
// in descending order_id order.
func tiesOutOfOrder(t *testing.T, h http.Handler) http.Handler {
	return rewriteOrders(h, func(r *http.Request, e *listEnvelope) {
		if r.URL.Query().Get("sort_order") != "asc" {
			return
		}
		placed := func(raw json.RawMessage) string {
			var o struct {
				At string `json:"placed_at"`
			}
			require.NoError(t, json.Unmarshal(raw, &o))
			return o.At
		}
		for i := 0; i < len(e.Items); {
			j := i + 1
			for j < len(e.Items) && placed(e.Items[j]) == placed(e.Items[i]) {
				j++
			}
			for a, b := i, j-1; a < b; a, b = a+1, b-1 {
				e.Items[a], e.Items[b] = e.Items[b], e.Items[a]
			}
			i = j
		}
	})
}

// prefixUserFilter plants a filter bug: the order list's user_account_id=X matches every user
// whose id starts with X, as a LIKE 'X%' would. It asks for the list without the filter and
// keeps the orders that match, which is exact for the short lists the checks compare.
func prefixUserFilter(t *testing.T, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		qv := r.URL.Query()
		prefix := qv.Get("user_account_id")
		if r.URL.Path != "/v1/orders/" || prefix == "" {
			h.ServeHTTP(w, r)
			return
		}
		wide := r.Clone(r.Context())
		all := url.Values{}
		for k, v := range qv {
			all[k] = v
		}
		all.Del("user_account_id")
		all.Set("per_page", "100")
		all.Del("last_record_number")
		wide.URL.RawQuery = all.Encode()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, wide)
		if rec.Code != http.StatusOK {
			h.ServeHTTP(w, r)
			return
		}
		var e listEnvelope
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &e))
		var kept []json.RawMessage
		for _, raw := range e.Items {
			var o struct {
				User string `json:"user_account_id"`
			}
			require.NoError(t, json.Unmarshal(raw, &o))
			if strings.HasPrefix(o.User, prefix) {
				kept = append(kept, raw)
			}
		}
		perPage, _ := strconv.ParseInt(qv.Get("per_page"), 10, 64)
		if perPage == 0 {
			perPage = 25
		}
		cursor, _ := strconv.ParseInt(qv.Get("last_record_number"), 10, 64)
		page := kept[min(cursor, int64(len(kept))):min(cursor+perPage, int64(len(kept)))]
		out, err := json.Marshal(listEnvelope{Items: append([]json.RawMessage{}, page...), TotalRecords: int64(len(kept)), LastRecordNumber: cursor + int64(len(page)), PerPage: perPage})
		require.NoError(t, err)
		w.Header().Set("content-type", "application/json")
		_, _ = w.Write(out)
	})
}

// createdAtOf reads every user's created_at from a dump of the tenant called name: the API never
// shows it, and the ties bug needs it.
func createdAtOf(t *testing.T, a *app.App, name string) map[string]int64 {
	t.Helper()
	var dump bytes.Buffer
	require.NoError(t, a.Dump(&dump, name, "users", "ndjson"))
	out := map[string]int64{}
	for _, line := range strings.Split(strings.TrimSpace(dump.String()), "\n") {
		var u struct {
			ID        string    `json:"user_account_id"`
			CreatedAt time.Time `json:"created_at"`
		}
		require.NoError(t, json.Unmarshal([]byte(line), &u))
		out[u.ID] = u.CreatedAt.UnixMicro()
	}
	return out
}

func TestBrokenServersFailTheirFamily(t *testing.T) {
	mock := newMock(t)
	h := mock.Handler
	tests := []struct {
		name   string
		family string
		server func(t *testing.T) http.Handler
		// names is what the report must say about the bug.
		names string
	}{
		{"total_records as a string", "schema", func(*testing.T) http.Handler {
			return replaceBody(h, regexp.MustCompile(`"total_records":(\d+)`), `"total_records":"$1"`)
		}, "total_records"},
		{"missing www-authenticate", "auth", func(*testing.T) http.Handler {
			return rewriteResponse(h, func(_ *http.Request, status int, hd http.Header, body []byte) (int, []byte) {
				hd.Del("www-authenticate")
				return status, body
			})
		}, "www-authenticate"},
		{"validation before auth", "auth", func(*testing.T) http.Handler {
			return rewriteRequest(h, func(r *http.Request) {
				if r.Header.Get("x-api-key") == "" && strings.Contains(r.URL.RawQuery, "per_page=0") {
					r.Header.Set("x-api-key", "demo-key")
				}
			})
		}, "status 422, want 401"},
		{"per_page not echoed", "envelope", func(*testing.T) http.Handler {
			return rewriteList(h, func(_ *http.Request, e *listEnvelope) { e.PerPage = 25 })
		}, "echoed as 25"},
		{"per_page echoed wrong on the short last page", "envelope", func(*testing.T) http.Handler {
			// Full pages are right; the short last page echoes its item count instead.
			return rewriteList(h, func(_ *http.Request, e *listEnvelope) {
				if n := int64(len(e.Items)); n > 0 && n < e.PerPage {
					e.PerPage = n
				}
			})
		}, "on the short last page"},
		{"past the end resets the cursor", "envelope", func(*testing.T) http.Handler {
			return rewriteList(h, func(_ *http.Request, e *listEnvelope) {
				if len(e.Items) == 0 {
					e.LastRecordNumber = 0
				}
			})
		}, "past the end"},
		{"off-by-one cursor", "paging", func(*testing.T) http.Handler {
			return rewriteList(h, func(_ *http.Request, e *listEnvelope) {
				if len(e.Items) > 0 {
					e.LastRecordNumber--
				}
			})
		}, "twice"},
		{"wrong total", "paging", func(*testing.T) http.Handler {
			return rewriteList(h, func(_ *http.Request, e *listEnvelope) { e.TotalRecords++ })
		}, "total_records"},
		{"unsorted ties", "ordering", func(t *testing.T) http.Handler {
			a := tiesApp(t)
			createdAt := createdAtOf(t, a, "ties")
			// Ascending created_at, ties left in descending id order: asc is no longer desc reversed.
			return rewriteList(a.Handler, func(r *http.Request, e *listEnvelope) {
				qv := r.URL.Query()
				if qv.Get("sort_order") != "asc" || (qv.Get("sort_key") != "" && qv.Get("sort_key") != "created_at") {
					return
				}
				created := func(raw json.RawMessage) int64 {
					var u struct {
						ID string `json:"user_account_id"`
					}
					require.NoError(t, json.Unmarshal(raw, &u))
					c, ok := createdAt[u.ID]
					require.True(t, ok)
					return c
				}
				for i := 0; i < len(e.Items); {
					j := i + 1
					for j < len(e.Items) && created(e.Items[j]) == created(e.Items[i]) {
						j++
					}
					for a, b := i, j-1; a < b; a, b = a+1, b-1 {
						e.Items[a], e.Items[b] = e.Items[b], e.Items[a]
					}
					i = j
				}
			})
		}, "ties"},
		{"ignored robo_kyc_status filter", "filters", func(*testing.T) http.Handler {
			return rewriteRequest(h, func(r *http.Request) {
				qv := r.URL.Query()
				qv.Del("robo_kyc_status")
				r.URL.RawQuery = qv.Encode()
			})
		}, "robo_kyc_status"},
		{"detail differs from the list", "filters", func(*testing.T) http.Handler {
			return rewriteResponse(h, func(r *http.Request, status int, _ http.Header, body []byte) (int, []byte) {
				if status == http.StatusOK && !strings.HasSuffix(r.URL.Path, "/v1/users/") {
					body = bytes.Replace(body, []byte(`"accounts":[`), []byte(`"accounts":[{"current_market_value":"0.00","kyc_status":"pending","product":"robo"},`), 1)
				}
				return status, body
			})
		}, "detail of"},
		{"inclusive end", "timerange", func(*testing.T) http.Handler {
			return rewriteRequest(h, func(r *http.Request) {
				qv := r.URL.Query()
				if v := qv.Get("created_at_end"); v != "" {
					if end, err := time.Parse(time.RFC3339Nano, v); err == nil {
						qv.Set("created_at_end", end.Add(time.Microsecond).Format(time.RFC3339Nano))
						r.URL.RawQuery = qv.Encode()
					}
				}
			})
		}, "inclusive"},
		{"zone-less datetime read as local time", "timerange", func(*testing.T) http.Handler {
			return rewriteRequest(h, func(r *http.Request) {
				qv := r.URL.Query()
				if v := qv.Get("created_at_start"); v != "" && !strings.ContainsAny(v[10:], "Z+-") {
					qv.Set("created_at_start", v+"+01:00")
					r.URL.RawQuery = qv.Encode()
				}
			})
		}, "wrong zone"},
		{"float money", "money", func(*testing.T) http.Handler {
			return replaceBody(h, regexp.MustCompile(`"current_market_value":"(\d+)\.(\d)0"`), `"current_market_value":"$1.$2"`)
		}, "exactly two decimal places"},
		{"total leaves out pending accounts", "money", func(*testing.T) http.Handler {
			return replaceBody(h, regexp.MustCompile(`"total_current_market_value":"(\d+)\.(\d\d)"`), `"total_current_market_value":"${1}1.$2"`)
		}, "not the sum"},
		{"kyc_approved_at null when not approved", "money", func(*testing.T) http.Handler {
			return replaceBody(h, regexp.MustCompile(`"kyc_status":"pending"`), `"kyc_approved_at":null,"kyc_status":"pending"`)
		}, "null"},
		{"wrong 422 loc", "validation", func(*testing.T) http.Handler {
			return replaceBody(h, regexp.MustCompile(`"loc":\["query","per_page"\]`), `"loc":["per_page"]`)
		}, "loc is"},
		{"no 307 for a missing slash", "validation", func(*testing.T) http.Handler {
			return rewriteResponse(h, func(_ *http.Request, status int, hd http.Header, body []byte) (int, []byte) {
				if status == http.StatusTemporaryRedirect {
					hd.Del("location")
					hd.Set("content-type", "application/json")
					return http.StatusNotFound, []byte(`{"detail":"Not Found"}`)
				}
				return status, body
			})
		}, "want 307"},
		{"leaked tenant", "tenants", func(*testing.T) http.Handler {
			// The detail falls back to the other FI's users when the caller's has no such id.
			return otherFIFallback(h, "/v1/users/")
		}, "visible by detail"},
		{"both keys of one FI", "tenants", func(*testing.T) http.Handler {
			return rewriteRequest(h, func(r *http.Request) {
				if r.Header.Get("x-api-key") == "demo-key-2" {
					r.Header.Set("x-api-key", "demo-key")
				}
			})
		}, "are the two keys of the same FI?"},
		{"unstable answers", "repeat", func(*testing.T) http.Handler {
			var mu sync.Mutex
			calls := map[string]int{}
			return rewriteList(h, func(r *http.Request, e *listEnvelope) {
				mu.Lock()
				calls[r.URL.RawQuery]++
				odd := calls[r.URL.RawQuery]%2 == 0
				mu.Unlock()
				if odd && len(e.Items) > 1 {
					e.Items[0], e.Items[1] = e.Items[1], e.Items[0]
				}
			})
		}, "asked twice"},
		// The orders endpoints.
		{"quantity as a number", "orders-schema", func(*testing.T) http.Handler {
			return replaceBody(h, regexp.MustCompile(`"quantity":"([0-9.]+)"`), `"quantity":$1`)
		}, "quantity"},
		{"unknown key reported as missing on orders", "orders-auth", func(*testing.T) http.Handler {
			return rewriteResponse(h, func(r *http.Request, status int, hd http.Header, body []byte) (int, []byte) {
				if strings.HasPrefix(r.URL.Path, "/v1/orders/") && status == http.StatusUnauthorized && hd.Get("www-authenticate") == "" {
					hd.Set("www-authenticate", "APIKey")
					return status, []byte(`{"detail":"Not authenticated"}`)
				}
				return status, body
			})
		}, `detail "Not authenticated", want "Invalid API key"`},
		{"orders per_page echoed wrong on the short last page", "orders-envelope", func(*testing.T) http.Handler {
			return rewriteOrders(h, func(_ *http.Request, e *listEnvelope) {
				if n := int64(len(e.Items)); n > 0 && n < e.PerPage {
					e.PerPage = n
				}
			})
		}, "on the short last page"},
		{"orders off-by-one cursor", "orders-paging", func(*testing.T) http.Handler {
			return rewriteOrders(h, func(_ *http.Request, e *listEnvelope) {
				if len(e.Items) > 0 {
					e.LastRecordNumber--
				}
			})
		}, "twice"},
		{"orders placed at the same instant out of order_id order", "orders-ordering", func(t *testing.T) http.Handler {
			return tiesOutOfOrder(t, tiesApp(t).Handler)
		}, "ties"},
		{"orders in the wrong direction on ascending pages", "orders-ordering", func(*testing.T) http.Handler {
			return rewriteOrders(h, func(r *http.Request, e *listEnvelope) {
				if r.URL.Query().Get("sort_order") == "asc" && len(e.Items) > 1 {
					e.Items[0], e.Items[len(e.Items)-1] = e.Items[len(e.Items)-1], e.Items[0]
				}
			})
		}, "not in asc order of placed_at"},
		{"status=cancelled ignored", "orders-filters", func(*testing.T) http.Handler {
			return rewriteRequest(h, func(r *http.Request) {
				qv := r.URL.Query()
				if qv.Get("status") == "cancelled" {
					qv.Del("status")
					r.URL.RawQuery = qv.Encode()
				}
			})
		}, "whose status is"},
		{"user_account_id matched by prefix", "orders-filters", func(*testing.T) http.Handler {
			return prefixUserFilter(t, h)
		}, "not an exact match"},
		{"inclusive placed_at_end", "orders-timerange", func(*testing.T) http.Handler {
			return rewriteRequest(h, func(r *http.Request) {
				qv := r.URL.Query()
				if v := qv.Get("placed_at_end"); v != "" {
					if end, err := time.Parse(time.RFC3339Nano, v); err == nil {
						qv.Set("placed_at_end", end.Add(time.Microsecond).Format(time.RFC3339Nano))
						r.URL.RawQuery = qv.Encode()
					}
				}
			})
		}, "inclusive"},
		{"detail's fee differs from the list", "orders-detail", func(*testing.T) http.Handler {
			return rewriteResponse(h, func(r *http.Request, status int, _ http.Header, body []byte) (int, []byte) {
				if status == http.StatusOK && orderDetail(r) {
					body = regexp.MustCompile(`"fee":"[0-9.]+"`).ReplaceAll(body, []byte(`"fee":"0.00"`))
				}
				return status, body
			})
		}, "differs from its list item"},
		{"another FI's order by detail", "orders-detail", func(*testing.T) http.Handler {
			return otherFIFallback(h, "/v1/orders/")
		}, "visible by detail"},
		{"wrong 422 loc for side", "orders-validation", func(*testing.T) http.Handler {
			return replaceBody(h, regexp.MustCompile(`"loc":\["query","side"\]`), `"loc":["side"]`)
		}, "loc is"},
		{"crypto quantity with 6 places", "orders-fields", func(*testing.T) http.Handler {
			return replaceBody(h, regexp.MustCompile(`("product":"crypto","side":"[a-z]+","symbol":"[A-Z]+","quantity":"[0-9]+\.[0-9]{6})[0-9]{2}"`), `$1"`)
		}, "has 6 decimal places, want 8"},
		{"completed_at null when not completed", "orders-fields", func(*testing.T) http.Handler {
			return replaceBody(h, regexp.MustCompile(`("status":"(pending|cancelled|failed)","placed_at":"[^"]+")`), `$1,"completed_at":null`)
		}, "completed_at null"},
		{"product and side keys swapped", "orders-fields", func(*testing.T) http.Handler {
			return replaceBody(h, regexp.MustCompile(`"product":("[a-z_]+"),"side":("[a-z]+")`), `"side":$2,"product":$1`)
		}, "not in the document's order"},
		{"orders of users the FI does not have", "relations", func(*testing.T) http.Handler {
			return rewriteResponse(h, func(r *http.Request, status int, _ http.Header, body []byte) (int, []byte) {
				if status == http.StatusOK && strings.HasPrefix(r.URL.Path, "/v1/orders/") {
					body = regexp.MustCompile(`"user_account_id":"`).ReplaceAll(body, []byte(`"user_account_id":"ghost-`))
				}
				return status, body
			})
		}, "is not a user of this FI"},
		{"accounts approved after their orders were placed", "relations", func(*testing.T) http.Handler {
			return replaceBody(h, regexp.MustCompile(`"kyc_approved_at":"20[0-9][0-9]`), `"kyc_approved_at":"2099`)
		}, "before user"},
		{"an FI's orders found with the other FI's key", "relations", func(*testing.T) http.Handler {
			return otherFIFallback(h, "/v1/orders/")
		}, "want 404"},
	}
	families := map[string]bool{}
	for _, tt := range tests {
		families[tt.family] = true
		t.Run(tt.family+"/"+tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.server(t))
			t.Cleanup(srv.Close)
			rep, err := contract.Run(context.Background(), contract.Config{
				BaseURL: srv.URL + "/v1", APIKey: "demo-key", APIKey2: "demo-key-2", Only: []string{tt.family},
			})
			require.NoError(t, err)
			require.NotEmpty(t, rep.Checks)
			var failed []string
			var text strings.Builder
			for _, c := range rep.Checks {
				require.Equal(t, tt.family, c.Family)
				if c.Status == contract.Fail {
					failed = append(failed, c.Name)
					for _, f := range c.Failures {
						text.WriteString(f.Message + "\n")
					}
				}
			}
			require.NotEmpty(t, failed, "no %s check noticed the bug", tt.family)
			assert.Contains(t, text.String(), tt.names, "the failures name the problem")
			var summary bytes.Buffer
			require.NoError(t, rep.WriteSummary(&summary))
			assert.Contains(t, summary.String(), "reproduce: curl ", "a failing check prints a curl line")
			assert.False(t, rep.OK())
		})
	}
	// Every family of the suite has a planted bug above.
	for _, c := range contract.Checks() {
		assert.True(t, families[c.Family], "no broken-server test for family %s", c.Family)
	}
}
