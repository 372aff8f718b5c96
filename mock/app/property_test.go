package app_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/mock/app"
	"github.com/cryptofi/partner-mock/mock/internal/domain"
)

type account struct {
	CurrentMarketValue string  `json:"current_market_value"`
	KycApprovedAt      *string `json:"kyc_approved_at"`
	KycStatus          string  `json:"kyc_status"`
	Product            string  `json:"product"`
}

type user struct {
	Accounts                []account `json:"accounts"`
	TotalCurrentMarketValue string    `json:"total_current_market_value"`
	UserAccountID           string    `json:"user_account_id"`
}

type listResponse struct {
	Items            []json.RawMessage `json:"items"`
	TotalRecords     int               `json:"total_records"`
	LastRecordNumber int               `json:"last_record_number"`
	PerPage          int               `json:"per_page"`
}

func get(t *testing.T, h http.Handler, key, target string) (int, []byte) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	if key != "" {
		req.Header.Set("x-api-key", key)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.Bytes()
}

func list(t *testing.T, h http.Handler, key string, q url.Values) listResponse {
	t.Helper()
	code, body := get(t, h, key, "/v1/users/?"+q.Encode())
	require.Equal(t, http.StatusOK, code, "%s: %s", q.Encode(), body)
	var lr listResponse
	require.NoError(t, json.Unmarshal(body, &lr))
	return lr
}

func decodeUser(t *testing.T, raw []byte) user {
	t.Helper()
	var u user
	require.NoError(t, json.Unmarshal(raw, &u))
	return u
}

var (
	products = []string{"crypto", "securities", "roth_ira", "robo"}
	statuses = []string{"not_started", "pending", "approved", "rejected"}
)

// randomFilters draws a filter combination; created_at bounds come from real users so ranges
// are neither always empty nor always everything.
func randomFilters(r *rand.Rand, a *app.App, key string) url.Values {
	q := url.Values{}
	if r.IntN(3) == 0 {
		q.Set("product", products[r.IntN(4)])
	}
	for _, p := range products {
		if r.IntN(6) == 0 {
			q.Set(p+"_kyc_status", statuses[r.IntN(4)])
		}
	}
	t, _ := a.Tenants.Lookup(key)
	users := t.Index.Users("created_at")
	if r.IntN(3) == 0 {
		q.Set("created_at_start", users[r.IntN(len(users))].CreatedTime().Format(time.RFC3339))
	}
	if r.IntN(3) == 0 {
		q.Set("created_at_end", users[r.IntN(len(users))].CreatedTime().Format("2006-01-02T15:04:05.000000-07:00"))
	}
	q.Set("sort_key", []string{"created_at", "user_account_id"}[r.IntN(2)])
	return q
}

// checkUser asserts the invariants every rendered user has, and that it satisfies the filters.
func checkUser(t *testing.T, a *app.App, key string, raw []byte, q url.Values) {
	t.Helper()
	u := decodeUser(t, raw)
	var sum domain.Money
	has := map[string]account{}
	for _, acc := range u.Accounts {
		v, err := domain.ParseMoney(acc.CurrentMarketValue)
		require.NoError(t, err, "two-decimal money")
		sum += v
		assert.Equal(t, acc.KycStatus == "approved", acc.KycApprovedAt != nil, "kyc_approved_at iff approved: %s", raw)
		has[acc.Product] = acc
	}
	total, err := domain.ParseMoney(u.TotalCurrentMarketValue)
	require.NoError(t, err)
	assert.Equal(t, sum, total, "total is the exact sum: %s", raw)
	if p := q.Get("product"); p != "" {
		assert.Contains(t, has, p, "product filter: %s", raw)
	}
	for _, p := range products {
		if s := q.Get(p + "_kyc_status"); s != "" {
			assert.Equal(t, s, has[p].KycStatus, "%s_kyc_status filter: %s", p, raw)
		}
	}
	tn, _ := a.Tenants.Lookup(key)
	du, ok := tn.Index.Get(u.UserAccountID)
	require.True(t, ok)
	if s := q.Get("created_at_start"); s != "" {
		start, _ := time.Parse(time.RFC3339Nano, s)
		assert.GreaterOrEqual(t, du.CreatedAt, start.UnixMicro(), "created_at_start is inclusive")
	}
	if s := q.Get("created_at_end"); s != "" {
		end, _ := time.Parse(time.RFC3339Nano, s)
		assert.Less(t, du.CreatedAt, end.UnixMicro(), "created_at_end is exclusive")
	}
}

func walk(t *testing.T, h http.Handler, key string, q url.Values, perPage int) ([]string, int) {
	t.Helper()
	var ids []string
	q = cloneValues(q)
	q.Set("per_page", fmt.Sprint(perPage))
	cursor, total := 0, -1
	for {
		q.Set("last_record_number", fmt.Sprint(cursor))
		lr := list(t, h, key, q)
		if total == -1 {
			total = lr.TotalRecords
		}
		require.Equal(t, total, lr.TotalRecords, "total_records is the same on every page")
		require.Equal(t, perPage, lr.PerPage)
		require.LessOrEqual(t, len(lr.Items), perPage)
		require.Equal(t, cursor+len(lr.Items), lr.LastRecordNumber, "cursor arithmetic")
		if len(lr.Items) == 0 {
			return ids, total
		}
		for _, raw := range lr.Items {
			ids = append(ids, decodeUser(t, raw).UserAccountID)
		}
		cursor = lr.LastRecordNumber
	}
}

func cloneValues(q url.Values) url.Values {
	out := url.Values{}
	for k, v := range q {
		out[k] = slices.Clone(v)
	}
	return out
}

func TestPropertiesOnDefaultTenants(t *testing.T) {
	a, err := app.New(app.Config{})
	require.NoError(t, err)
	r := rand.New(rand.NewPCG(42, 0))
	for _, key := range []string{"demo-key", "demo-key-2"} {
		for i := range 60 {
			q := randomFilters(r, a, key)
			t.Run(fmt.Sprintf("%s/%d/%s", key, i, q.Encode()), func(t *testing.T) {
				q.Set("sort_order", "desc")
				full := list(t, a.Handler, key, withPaging(q, 100, 0))
				for _, raw := range full.Items {
					checkUser(t, a, key, raw, q)
				}
				var want []string
				for _, perPage := range []int{1, 7, 25, 100} {
					if perPage == 1 && full.TotalRecords > 300 {
						continue // a page per user: covered on the smaller combinations
					}
					ids, total := walk(t, a.Handler, key, q, perPage)
					require.Len(t, ids, total, "walking visits each match once")
					assert.Len(t, uniq(ids), len(ids), "no user twice")
					if want == nil {
						want = ids
					}
					assert.Equal(t, want, ids, "order is the same at every page size")
				}
				q.Set("sort_order", "asc")
				asc, _ := walk(t, a.Handler, key, q, 100)
				slices.Reverse(asc)
				assert.Equal(t, want, asc, "asc is the exact reverse of desc")
			})
		}
	}
}

func withPaging(q url.Values, perPage, cursor int) url.Values {
	q = cloneValues(q)
	q.Set("per_page", fmt.Sprint(perPage))
	q.Set("last_record_number", fmt.Sprint(cursor))
	return q
}

func uniq(ids []string) map[string]bool {
	m := map[string]bool{}
	for _, id := range ids {
		m[id] = true
	}
	return m
}

func TestDetailIsTheListObject(t *testing.T) {
	a, err := app.New(app.Config{})
	require.NoError(t, err)
	for _, key := range []string{"demo-key", "demo-key-2"} {
		q := url.Values{"per_page": {"100"}}
		for cursor := 0; ; {
			q.Set("last_record_number", fmt.Sprint(cursor))
			lr := list(t, a.Handler, key, q)
			if len(lr.Items) == 0 {
				break
			}
			for _, raw := range lr.Items {
				id := decodeUser(t, raw).UserAccountID
				code, body := get(t, a.Handler, key, "/v1/users/"+url.PathEscape(id)+"/")
				require.Equal(t, http.StatusOK, code)
				assert.Equal(t, string(raw), string(body), "detail of %s", id)
				byFilter := list(t, a.Handler, key, url.Values{"user_account_id": {id}})
				require.Len(t, byFilter.Items, 1)
				assert.Equal(t, string(raw), string(byFilter.Items[0]))
			}
			cursor = lr.LastRecordNumber
		}
	}
}

func TestTenantsAreIsolated(t *testing.T) {
	a, err := app.New(app.Config{})
	require.NoError(t, err)
	other := list(t, a.Handler, "demo-key-2", url.Values{"per_page": {"100"}})
	require.NotEmpty(t, other.Items)
	for _, raw := range other.Items {
		id := decodeUser(t, raw).UserAccountID
		code, body := get(t, a.Handler, "demo-key", "/v1/users/"+url.PathEscape(id)+"/")
		assert.Equal(t, http.StatusNotFound, code)
		assert.JSONEq(t, `{"detail":"User not found"}`, string(body))
		assert.Equal(t, 0, list(t, a.Handler, "demo-key", url.Values{"user_account_id": {id}}).TotalRecords)
	}
}

func TestDocsExampleUserIsPinned(t *testing.T) {
	a, err := app.New(app.Config{})
	require.NoError(t, err)
	code, body := get(t, a.Handler, "demo-key", "/v1/users/member-001/")
	require.Equal(t, http.StatusOK, code)
	assert.Equal(t, `{"accounts":[`+
		`{"current_market_value":"34891.00","kyc_approved_at":"2025-08-14T17:02:31Z","kyc_status":"approved","product":"securities"},`+
		`{"current_market_value":"8223.50","kyc_approved_at":"2025-08-14T17:02:31Z","kyc_status":"approved","product":"robo"},`+
		`{"current_market_value":"12450.32","kyc_approved_at":"2025-09-02T11:18:09Z","kyc_status":"approved","product":"crypto"},`+
		`{"current_market_value":"43181.03","kyc_status":"pending","product":"roth_ira"}],`+
		`"total_current_market_value":"98745.85","user_account_id":"member-001"}`, string(body))
	lr := list(t, a.Handler, "demo-key", url.Values{})
	assert.Equal(t, 1000, lr.TotalRecords, "Demo Credit Union has 1,000 users, member-001 included")
	assert.Len(t, lr.Items, 25)
	lr2 := list(t, a.Handler, "demo-key-2", url.Values{})
	assert.Equal(t, 250, lr2.TotalRecords)
}

// TestSeparateServersGiveIdenticalBytes builds two mocks independently and compares raw bytes
// of a spread of requests, errors included.
func TestSeparateServersGiveIdenticalBytes(t *testing.T) {
	a1, err := app.New(app.Config{})
	require.NoError(t, err)
	a2, err := app.New(app.Config{})
	require.NoError(t, err)
	r := rand.New(rand.NewPCG(7, 0))
	targets := []string{"/v1/users/", "/v1/users/?sort_order=asc&per_page=100", "/v1/users/?per_page=0&product=x", "/v1/users/member-001/"}
	for range 50 {
		targets = append(targets, "/v1/users/?"+randomFilters(r, a1, "demo-key").Encode())
	}
	for _, target := range targets {
		for _, key := range []string{"demo-key", "demo-key-2"} {
			c1, b1 := get(t, a1.Handler, key, target)
			c2, b2 := get(t, a2.Handler, key, target)
			assert.Equal(t, c1, c2, target)
			assert.Equal(t, string(b1), string(b2), target)
			assert.False(t, strings.Contains(string(b1), "created_at\":"), "created_at is never rendered")
		}
	}
}
