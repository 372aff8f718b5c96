package contract_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
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

// rewriteList plants a bug in 200 list answers.
func rewriteList(h http.Handler, f func(r *http.Request, e *listEnvelope)) http.Handler {
	return rewriteResponse(h, func(r *http.Request, status int, _ http.Header, body []byte) (int, []byte) {
		if status != http.StatusOK || !strings.HasSuffix(r.URL.Path, "/v1/users/") {
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

// tiesApp is a mock whose population has users created at the same instant, so the tie-break
// shows in the order.
func tiesApp(t *testing.T) *app.App {
	t.Helper()
	var pinned strings.Builder
	pinned.WriteString("users:\n")
	for _, id := range []string{"tie-a", "tie-b", "tie-c", "tie-d", "tie-e"} {
		fmt.Fprintf(&pinned, "  - user_account_id: %s\n    created_at: \"2025-05-05T05:05:05Z\"\n    accounts:\n      - product: crypto\n        kyc_status: pending\n        current_market_value: \"10.00\"\n", id)
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
  - name: other
    fi_name: Other Bank
    api_keys: [demo-key-2]
    seed: 4
    users: 20
    as_of: "2025-10-01T00:00:00Z"
`), func(string) ([]byte, error) { return []byte(pinned.String()), nil })
	require.NoError(t, err)
	a, err := app.New(cfg)
	require.NoError(t, err)
	return a
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
			tn, ok := a.Tenants.Lookup("demo-key")
			require.True(t, ok)
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
					du, ok := tn.Index.Get(u.ID)
					require.True(t, ok)
					return du.CreatedAt
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
			return rewriteResponse(h, func(r *http.Request, status int, _ http.Header, body []byte) (int, []byte) {
				if status != http.StatusNotFound || !strings.HasPrefix(r.URL.Path, "/v1/users/") || r.Header.Get("x-api-key") != "demo-key-2" {
					return status, body
				}
				r2 := r.Clone(r.Context())
				r2.Header.Set("x-api-key", "demo-key")
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, r2)
				return rec.Code, rec.Body.Bytes()
			})
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
