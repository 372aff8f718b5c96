package httpapi_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/mock/app"
)

// A user and an order of the built-in Demo Credit Union's pinned data.
const (
	pinnedOrder = "3f2b8c1e-6a4d-4e9f-8b2a-1c5d7e9f0a11"
	newOrderID  = "0b0e7f4c-1a2b-4c3d-8e9f-000000000001"
)

// newUser is a user in the pinned format, created before the demo tenants' as_of.
const newUser = `{"created_at":"2025-09-30T12:00:00Z","accounts":[
	{"product":"crypto","kyc_status":"approved","kyc_approved_at":"2025-09-30T13:00:00Z","current_market_value":"150.25"},
	{"product":"securities","kyc_status":"rejected","current_market_value":"0.00"}]}`

// total returns the total_records of a Partner API list.
func total(t *testing.T, a answer) int {
	t.Helper()
	require.Equal(t, 200, a.status, a.body)
	var page struct {
		Total int `json:"total_records"`
	}
	a.decode(t, &page)
	return page.Total
}

func TestAdminIsOffWithoutAToken(t *testing.T) {
	a, err := app.New(app.Config{})
	require.NoError(t, err)
	require.False(t, a.AdminOn())
	for _, r := range []struct{ method, path string }{
		{"GET", "/__admin/fis"}, {"GET", "/__admin/openapi.json"}, {"POST", "/__admin/clock"},
		{"PUT", "/__admin/fis/demo-credit-union/users/x"}, {"GET", "/__admin/requests"}, {"GET", "/__admin"},
	} {
		for _, auth := range []string{"", "Bearer " + adminToken} {
			req := httptest.NewRequest(r.method, r.path, strings.NewReader(`{}`))
			if auth != "" {
				req.Header.Set("Authorization", auth)
			}
			rec := httptest.NewRecorder()
			a.Handler.ServeHTTP(rec, req)
			assert.Equal(t, 404, rec.Code, "%s %s", r.method, r.path)
			assert.Equal(t, `{"detail":"Not Found"}`, rec.Body.String())
		}
	}
}

func TestAdminAuth(t *testing.T) {
	m := newAdminMock(t, "")
	tests := []struct {
		name   string
		header map[string]string
		status int
		msg    string
	}{
		{"no header", nil, 401, ": send the admin token as Authorization: Bearer TOKEN"},
		{"a wrong token", map[string]string{"Authorization": "Bearer wrong-token-xyz"}, 401, ": the admin token is wrong;"},
		{"a prefix of the token", map[string]string{"Authorization": "Bearer " + adminToken[:10]}, 401, ": the admin token is wrong;"},
		{"another scheme", map[string]string{"Authorization": "Basic " + adminToken}, 401, ": the admin token is wrong;"},
		{"an API key is not the token", map[string]string{"x-api-key": "demo-key"}, 401, ": send the admin token"},
		{"the token", map[string]string{"Authorization": "Bearer " + adminToken}, 200, ""},
		{"the scheme in any case", map[string]string{"Authorization": "bearer " + adminToken}, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := m.do("GET", "/__admin/fis", "", tt.header)
			require.Equal(t, tt.status, got.status, got.body)
			if tt.status == 401 {
				assert.Equal(t, `Bearer realm="partner-mock admin"`, got.header.Get("www-authenticate"))
				problems := got.problems(t)
				require.Len(t, problems, 1)
				assert.Contains(t, problems[0], tt.msg)
				assert.NotContains(t, got.body, adminToken, "the token is never echoed")
			}
		})
	}
	t.Run("every endpoint wants the token, known or not", func(t *testing.T) {
		for _, r := range []struct{ method, path string }{
			{"GET", "/__admin/openapi.json"}, {"POST", "/__admin/clock"}, {"POST", "/__admin/fis/demo-credit-union/reset"},
			{"PUT", "/__admin/fis/demo-credit-union/users/x"}, {"DELETE", "/__admin/fis/demo-credit-union/orders/x"},
			{"GET", "/__admin/nope"}, {"PATCH", "/__admin/fis"},
		} {
			got := m.do(r.method, r.path, `{}`, nil)
			assert.Equal(t, 401, got.status, "%s %s", r.method, r.path)
		}
	})
	t.Run("with the token, an unknown path is 404 and a wrong method 405", func(t *testing.T) {
		got := m.admin("GET", "/__admin/nope", "")
		assert.Equal(t, 404, got.status)
		assert.Equal(t, []string{": no admin endpoint at /__admin/nope; GET /__admin/openapi.json describes them"}, got.problems(t))
		got = m.admin("PATCH", "/__admin/fis/demo-credit-union/users/x", `{}`)
		assert.Equal(t, 405, got.status)
		assert.Equal(t, "PUT, DELETE", got.header.Get("allow"))
		got = m.admin("GET", "/__admin/clock", "")
		assert.Equal(t, 405, got.status)
		assert.Equal(t, "POST", got.header.Get("allow"))
	})
}

func TestAdminDocument(t *testing.T) {
	require.NoError(t, adminDoc.Validate(context.Background()), "the admin document is valid OpenAPI")
	m := newAdminMock(t, "")
	got := m.admin("GET", "/__admin/openapi.json", "")
	require.Equal(t, 200, got.status)
	assert.Equal(t, string(app.AdminDocument()), got.body)
	doc, err := openapi3.NewLoader().LoadFromData([]byte(got.body))
	require.NoError(t, err)
	for _, p := range []string{"/__admin/fis", "/__admin/fis/{fi}/users/{user_account_id}", "/__admin/fis/{fi}/orders/{order_id}",
		"/__admin/fis/{fi}/reset", "/__admin/clock"} {
		assert.NotNil(t, doc.Paths.Find(p), p)
	}

	t.Run("the Partner API's document and reference page say nothing of it", func(t *testing.T) {
		for _, path := range []string{"/openapi.json", "/docs"} {
			got := m.do("GET", path, "", nil)
			require.Equal(t, 200, got.status)
			assert.NotContains(t, got.body, "__admin", path)
		}
	})
}

func TestAdminListsTheFIs(t *testing.T) {
	m := newAdminMock(t, "")
	got := m.admin("GET", "/__admin/fis", "")
	require.Equal(t, 200, got.status)
	var out struct {
		FIs []struct {
			ID, Name         string
			Keys             []struct{ Key, Faults string }
			Seed             uint64
			GeneratorVersion string `json:"generator_version"`
			Counts           map[string]int
			Changes          int
			Clock            struct{ Mode string }
			Now              string
		}
	}
	got.decode(t, &out)
	require.Len(t, out.FIs, 2)
	dcu := out.FIs[0]
	assert.Equal(t, "demo-credit-union", dcu.ID)
	assert.Equal(t, "Demo Credit Union", dcu.Name)
	require.Len(t, dcu.Keys, 3)
	assert.Equal(t, "demo-key", dcu.Keys[0].Key, "the demo keys are public")
	assert.Empty(t, dcu.Keys[0].Faults)
	assert.Equal(t, "demo-key-slow", dcu.Keys[1].Key)
	assert.Contains(t, dcu.Keys[1].Faults, "latency 800ms")
	assert.Equal(t, uint64(1), dcu.Seed)
	assert.Equal(t, app.GeneratorVersion, dcu.GeneratorVersion)
	assert.Equal(t, total(t, m.api("/v1/users/?per_page=1", "demo-key")), dcu.Counts["users"])
	assert.Equal(t, total(t, m.api("/v1/orders/?per_page=1", "demo-key")), dcu.Counts["orders"])
	assert.Zero(t, dcu.Changes)
	assert.Equal(t, "frozen", dcu.Clock.Mode)
	assert.Equal(t, "2025-10-01T00:00:00Z", dcu.Now)
	assert.Equal(t, "demo-savings-bank", out.FIs[1].ID)

	t.Run("a partner's keys are masked", func(t *testing.T) {
		m := newAdminMock(t, "tenants:\n  - {name: acme, fi_name: Acme, api_keys: [acme-secret-key-1, k9], users: 10, as_of: 2025-10-01T00:00:00Z}\n")
		got := m.admin("GET", "/__admin/fis", "")
		require.Equal(t, 200, got.status)
		assert.Contains(t, got.body, `"keys":[{"key":"ac…-1"},{"key":"****"}]`)
		assert.NotContains(t, got.body, "acme-secret-key-1")
	})
}

func TestAdminUserChangesShowInTheVeryNextRequest(t *testing.T) {
	m := newAdminMock(t, "")
	users := total(t, m.api("/v1/users/?per_page=1", "demo-key"))
	crypto := total(t, m.api("/v1/users/?per_page=1&product=crypto", "demo-key"))

	got := m.admin("PUT", "/__admin/fis/demo-credit-union/users/zz-new", newUser)
	require.Equal(t, 201, got.status, got.body)
	assert.JSONEq(t, `{"accounts":[
		{"current_market_value":"150.25","kyc_approved_at":"2025-09-30T13:00:00Z","kyc_status":"approved","product":"crypto"},
		{"current_market_value":"0.00","kyc_status":"rejected","product":"securities"}],
		"total_current_market_value":"150.25","user_account_id":"zz-new","created_at":"2025-09-30T12:00:00Z"}`, got.body)

	detail := m.api("/v1/users/zz-new/", "demo-key")
	require.Equal(t, 200, detail.status)
	assert.Equal(t, `{"accounts":[{"current_market_value":"150.25","kyc_approved_at":"2025-09-30T13:00:00Z","kyc_status":"approved","product":"crypto"},`+
		`{"current_market_value":"0.00","kyc_status":"rejected","product":"securities"}],"total_current_market_value":"150.25","user_account_id":"zz-new"}`, detail.body)
	assert.Equal(t, users+1, total(t, m.api("/v1/users/?per_page=1", "demo-key")), "in the total")
	assert.Equal(t, crypto+1, total(t, m.api("/v1/users/?per_page=1&product=crypto", "demo-key")), "in a filter")
	assert.Contains(t, m.api("/v1/users/?per_page=1&sort_key=user_account_id&sort_order=desc", "demo-key").body, `"user_account_id":"zz-new"`, "in a sort")
	assert.Contains(t, m.api("/v1/users/?user_account_id=zz-new", "demo-key").body, `"total_records":1`)
	assert.Equal(t, 404, m.api("/v1/users/zz-new/", "demo-key-2").status, "not in another FI")

	t.Run("replaced", func(t *testing.T) {
		got := m.admin("PUT", "/__admin/fis/demo-credit-union/users/zz-new", strings.Replace(newUser, "150.25", "99.00", 1))
		require.Equal(t, 200, got.status, got.body)
		assert.Contains(t, m.api("/v1/users/zz-new/", "demo-key").body, `"total_current_market_value":"99.00"`)
		assert.Equal(t, users+1, total(t, m.api("/v1/users/?per_page=1", "demo-key")))
	})
	t.Run("deleted", func(t *testing.T) {
		got := m.admin("DELETE", "/__admin/fis/demo-credit-union/users/zz-new", "")
		require.Equal(t, 204, got.status, got.body)
		assert.Empty(t, got.body)
		assert.Equal(t, `{"detail":"User not found"}`, m.api("/v1/users/zz-new/", "demo-key").body)
		assert.Equal(t, users, total(t, m.api("/v1/users/?per_page=1", "demo-key")))
		got = m.admin("DELETE", "/__admin/fis/demo-credit-union/users/zz-new", "")
		assert.Equal(t, 404, got.status)
		assert.Equal(t, []string{`: User not found: FI demo-credit-union has no user_account_id "zz-new"`}, got.problems(t))
	})
	t.Run("an unknown FI", func(t *testing.T) {
		got := m.admin("PUT", "/__admin/fis/nope/users/x", newUser)
		assert.Equal(t, 404, got.status)
		assert.Equal(t, []string{`: no FI "nope"; the FIs are demo-credit-union, demo-savings-bank`}, got.problems(t))
	})
	t.Run("changes counted", func(t *testing.T) {
		assert.Contains(t, m.admin("GET", "/__admin/fis", "").body, `"changes":1`)
	})
}

func TestAdminDeletingAUserDeletesItsOrders(t *testing.T) {
	m := newAdminMock(t, "")
	orders := total(t, m.api("/v1/orders/?per_page=1", "demo-key"))
	require.Equal(t, 4, total(t, m.api("/v1/orders/?user_account_id=member-001", "demo-key")))
	require.Equal(t, 204, m.admin("DELETE", "/__admin/fis/demo-credit-union/users/member-001", "").status)
	assert.Equal(t, 0, total(t, m.api("/v1/orders/?user_account_id=member-001", "demo-key")))
	assert.Equal(t, orders-4, total(t, m.api("/v1/orders/?per_page=1", "demo-key")))
	assert.Equal(t, `{"detail":"Order not found"}`, m.api("/v1/orders/"+pinnedOrder+"/", "demo-key").body)
}

func TestAdminOrderChanges(t *testing.T) {
	m := newAdminMock(t, "")
	order := func(user, product, placed string) string {
		return fmt.Sprintf(`{"user_account_id":%q,"product":%q,"side":"buy","symbol":"ETH","quantity":"0.50000000","notional":"900.00",`+
			`"fee":"13.41","status":"completed","placed_at":%q,"completed_at":%q,"is_recurring_order":false}`, user, product, placed, placed)
	}
	orders := total(t, m.api("/v1/orders/?per_page=1", "demo-key"))

	got := m.admin("PUT", "/__admin/fis/demo-credit-union/orders/"+newOrderID, order("member-001", "crypto", "2025-09-20T10:00:00Z"))
	require.Equal(t, 201, got.status, got.body)
	detail := m.api("/v1/orders/"+newOrderID+"/", "demo-key")
	require.Equal(t, 200, detail.status)
	assert.Equal(t, `{"order_id":"`+newOrderID+`","user_account_id":"member-001","product":"crypto","side":"buy","symbol":"ETH",`+
		`"quantity":"0.50000000","notional":"900.00","fee":"13.41","status":"completed","placed_at":"2025-09-20T10:00:00Z",`+
		`"completed_at":"2025-09-20T10:00:00Z","is_recurring_order":false}`, detail.body)
	assert.Equal(t, orders+1, total(t, m.api("/v1/orders/?per_page=1", "demo-key")))
	assert.Equal(t, 5, total(t, m.api("/v1/orders/?user_account_id=member-001", "demo-key")))
	assert.Contains(t, m.api("/v1/orders/?user_account_id=member-001&product=crypto&per_page=100", "demo-key").body, newOrderID)

	t.Run("for a user without an approved account", func(t *testing.T) {
		got := m.admin("PUT", "/__admin/fis/demo-credit-union/orders/"+newOrderID, order("member-001", "roth_ira", "2025-09-20T10:00:00Z"))
		assert.Equal(t, 422, got.status)
		assert.Contains(t, got.problems(t), "product: user member-001's roth_ira account is pending; orders are placed on approved accounts only")
		assert.Contains(t, m.api("/v1/orders/"+newOrderID+"/", "demo-key").body, `"product":"crypto"`, "unchanged")
	})
	t.Run("a user change its orders forbid", func(t *testing.T) {
		body := `{"created_at":"2025-08-12T15:40:00Z","accounts":[
			{"product":"securities","kyc_status":"approved","kyc_approved_at":"2025-08-14T17:02:31Z","current_market_value":"1.00"},
			{"product":"robo","kyc_status":"approved","kyc_approved_at":"2025-08-14T17:02:31Z","current_market_value":"1.00"},
			{"product":"crypto","kyc_status":"rejected","current_market_value":"1.00"}]}`
		got := m.admin("PUT", "/__admin/fis/demo-credit-union/users/member-001", body)
		require.Equal(t, 422, got.status)
		problems := got.problems(t)
		require.Len(t, problems, 2, "both crypto orders: %q", problems)
		for _, id := range []string{pinnedOrder, newOrderID} {
			assert.True(t, strings.Contains(problems[0]+problems[1], "order "+id), id)
		}
		assert.True(t, strings.HasPrefix(problems[0], "accounts[2].kyc_status: "))
		assert.Contains(t, problems[0], "Delete the order first (DELETE /__admin/fis/demo-credit-union/orders/")
	})
	t.Run("deleted", func(t *testing.T) {
		require.Equal(t, 204, m.admin("DELETE", "/__admin/fis/demo-credit-union/orders/"+newOrderID, "").status)
		assert.Equal(t, 404, m.api("/v1/orders/"+newOrderID+"/", "demo-key").status)
		assert.Equal(t, 404, m.admin("DELETE", "/__admin/fis/demo-credit-union/orders/"+newOrderID, "").status)
		assert.Equal(t, 404, m.admin("DELETE", "/__admin/fis/demo-credit-union/orders/not-a-uuid", "").status)
	})
}

func TestAdminResetUndoesEveryChange(t *testing.T) {
	m := newAdminMock(t, "")
	pages := []string{"/v1/users/", "/v1/users/?product=crypto&sort_key=user_account_id", "/v1/orders/", "/v1/users/member-001/", "/v1/orders/?user_account_id=member-001"}
	before := map[string]string{}
	for _, p := range pages {
		before[p] = m.api(p, "demo-key").body
	}
	latest := strings.NewReplacer("2025-09-30T12:00:00Z", "2025-09-30T23:58:00Z", "2025-09-30T13:00:00Z", "2025-09-30T23:59:00Z").Replace(newUser)
	require.Equal(t, 201, m.admin("PUT", "/__admin/fis/demo-credit-union/users/zz-new", latest).status)
	require.Equal(t, 204, m.admin("DELETE", "/__admin/fis/demo-credit-union/users/member-001", "").status)
	for _, p := range pages {
		require.NotEqual(t, before[p], m.api(p, "demo-key").body, "changed: %s", p)
	}

	got := m.admin("POST", "/__admin/fis/demo-credit-union/reset", "")
	require.Equal(t, 200, got.status, got.body)
	assert.Contains(t, got.body, `"id":"demo-credit-union"`)
	assert.Contains(t, got.body, `"changes":0`)
	for _, p := range pages {
		assert.Equal(t, before[p], m.api(p, "demo-key").body, "back: %s", p)
	}
	assert.Equal(t, 404, m.admin("POST", "/__admin/fis/nope/reset", "").status)
}

func TestAdminClockMovesTheWholeAPI(t *testing.T) {
	m := newAdminMock(t, "")
	users := total(t, m.api("/v1/users/?per_page=1", "demo-key"))
	pendingAtAsOf := m.api("/v1/orders/9a7c5e3b-1d2f-4a6b-8c9d-0e1f2a3b4c22/", "demo-key").body
	require.Contains(t, pendingAtAsOf, `"status":"pending"`)

	got := m.admin("POST", "/__admin/clock", `{"advance":"36h"}`)
	require.Equal(t, 200, got.status, got.body)
	assert.JSONEq(t, `{"mode":"frozen","fis":[{"id":"demo-credit-union","now":"2025-10-02T12:00:00Z"},{"id":"demo-savings-bank","now":"2025-10-02T12:00:00Z"}]}`, got.body)
	assert.Contains(t, m.do("GET", "/healthz", "", nil).body, `"now":"2025-10-02T12:00:00Z"`)
	later := total(t, m.api("/v1/users/?per_page=1", "demo-key"))
	assert.Greater(t, later, users, "the future's sign-ups have come")
	assert.Contains(t, m.admin("GET", "/__admin/fis", "").body, `"now":"2025-10-02T12:00:00Z"`)

	tests := []struct {
		name, body, want string
	}{
		{"set", `{"set":"2025-09-01T00:00:00Z"}`, `{"mode":"frozen","fis":[{"id":"demo-credit-union","now":"2025-09-01T00:00:00Z"},{"id":"demo-savings-bank","now":"2025-09-01T00:00:00Z"}]}`},
		{"advance in days, backwards", `{"advance":"-1d"}`, `{"mode":"frozen","fis":[{"id":"demo-credit-union","now":"2025-08-31T00:00:00Z"},{"id":"demo-savings-bank","now":"2025-08-31T00:00:00Z"}]}`},
		{"freeze a frozen clock", `{"freeze":true}`, `{"mode":"frozen","fis":[{"id":"demo-credit-union","now":"2025-08-31T00:00:00Z"},{"id":"demo-savings-bank","now":"2025-08-31T00:00:00Z"}]}`},
	}
	for _, tt := range tests {
		got := m.admin("POST", "/__admin/clock", tt.body)
		require.Equal(t, 200, got.status, got.body)
		assert.JSONEq(t, tt.want, got.body, tt.name)
	}
	assert.Less(t, total(t, m.api("/v1/users/?per_page=1", "demo-key")), users, "a month before as_of, fewer users")

	got = m.admin("POST", "/__admin/clock", `{"live":{"speed":86400}}`)
	require.Equal(t, 200, got.status)
	assert.Contains(t, got.body, `"mode":"live","speed":86400`)
	got = m.admin("POST", "/__admin/clock", `{"freeze":true}`)
	require.Equal(t, 200, got.status)
	assert.Contains(t, got.body, `"mode":"frozen"`)
	got = m.admin("POST", "/__admin/clock", `{"live":{}}`)
	require.Equal(t, 200, got.status)
	assert.Contains(t, got.body, `"mode":"live","speed":1`)
}

func TestAdminBadBodies(t *testing.T) {
	m := newAdminMock(t, "")
	const user = "/__admin/fis/demo-credit-union/users/zz"
	tests := []struct {
		name, method, path, body string
		status                   int
		want                     []string
	}{
		{"malformed JSON", "PUT", user, `{"created_at": "2025-01-01T00:00:00Z",`, 400,
			[]string{": not valid JSON at line 1, column 39: the JSON ends too soon"}},
		{"no body", "PUT", user, ``, 400, []string{": the body is empty: send a JSON object"}},
		{"not an object", "PUT", user, `["x"]`, 422, []string{": want an object, got an array"}},
		{"wrong types", "PUT", user, `{"created_at": 20250101, "accounts": [{"product": "crypto", "kyc_status": "rejected", "current_market_value": 1.5}]}`, 422,
			[]string{"created_at: want an RFC 3339 instant such as 2025-10-01T00:00:00Z, got the number 20250101",
				"accounts[0].current_market_value: want a string, got the number 1.5"}},
		{"unknown fields", "PUT", user, `{"created_at": "2025-01-01T00:00:00Z", "colour": "red", "accounts": [{"product": "crypto", "kyc_status": "rejected", "current_market_value": "1.00", "extra": 1}]}`, 422,
			[]string{"colour: unknown field; the fields here are user_account_id, created_at, accounts, total_current_market_value",
				"accounts[0].extra: unknown field; the fields here are product, kyc_status, kyc_approved_at, current_market_value"}},
		{"invalid values", "PUT", user, `{"created_at": "2025-01-01T00:00:00Z", "accounts": [{"product": "crypto", "kyc_status": "approved", "current_market_value": "1.00"}, {"product": "gold", "kyc_status": "rejected", "current_market_value": "1.5"}]}`, 422,
			[]string{"accounts[0].kyc_approved_at: required when kyc_status is approved, e.g. kyc_approved_at: 2025-08-14T17:02:31Z",
				`accounts[1].product: "gold" is not a product; want one of crypto, securities, roth_ira, robo`,
				`accounts[1].current_market_value: money "1.5": want a decimal with exactly two places, like 1234.50`}},
		{"the path's id and the body's differ", "PUT", user, `{"user_account_id": "other", "created_at": "2025-01-01T00:00:00Z", "accounts": [{"product": "crypto", "kyc_status": "rejected", "current_market_value": "1.00"}]}`, 422,
			[]string{`user_account_id: "other" differs from the user_account_id in the request's path, "zz"; make them the same, or leave user_account_id out of the body`}},
		{"an order with a bad id and a missing user", "PUT", "/__admin/fis/demo-credit-union/orders/ABC", `{"product": "crypto"}`, 422,
			[]string{`order_id: "ABC" is not a lowercase UUID (8-4-4-4-12 hex digits)`, "user_account_id: required: the user the order belongs to",
				`side: "" is not a side; want one of buy, sell`, `status: "" is not an order status; want one of pending, completed, cancelled, failed`,
				"symbol: required, e.g. symbol: BTC", `quantity: "": want a decimal with exactly 8 places, like 0.00000015 (a crypto quantity has 8 places)`,
				`notional: money "": want a decimal with exactly two places, like 1234.50`, `fee: money "": want a decimal with exactly two places, like 1234.50`,
				"placed_at: required: when the order was placed, e.g. placed_at: 2025-09-03T14:05:00Z"}},
		{"clock: no operation", "POST", "/__admin/clock", `{}`, 422,
			[]string{`: send one operation: advance (a length of time, e.g. 36h or 2d), set (an RFC 3339 instant), freeze (true) or live ({"speed": N})`}},
		{"clock: two operations", "POST", "/__admin/clock", `{"set": "2025-01-01T00:00:00Z", "advance": "1h"}`, 422,
			[]string{`: send one operation: advance (a length of time, e.g. 36h or 2d), set (an RFC 3339 instant), freeze (true) or live ({"speed": N}); got 2: advance, set`}},
		{"clock: not a duration", "POST", "/__admin/clock", `{"advance": "soon"}`, 422,
			[]string{`advance: want a length of time such as 365d, 36h or 90m, got the string "soon"`}},
		{"clock: a number of seconds", "POST", "/__admin/clock", `{"advance": 3600}`, 422,
			[]string{`advance: want a length of time such as 365d, 36h or 90m, got the number 3600`}},
		{"clock: not an instant", "POST", "/__admin/clock", `{"set": "tomorrow"}`, 422,
			[]string{`set: want an RFC 3339 instant such as 2025-10-01T00:00:00Z, got the string "tomorrow"`}},
		{"clock: freeze false", "POST", "/__admin/clock", `{"freeze": false}`, 422,
			[]string{`freeze: only true: to make the clock run, send {"live": {"speed": 1}}`}},
		{"clock: speed 0", "POST", "/__admin/clock", `{"live": {"speed": 0}}`, 422,
			[]string{`live.speed: 0: want mock seconds per wall second, above 0 and at most 1e+06 (86400 makes a day pass each second)`}},
		{"clock: unknown field", "POST", "/__admin/clock", `{"advanse": "1h"}`, 422,
			[]string{`advanse: unknown field (did you mean advance?); the fields here are advance, set, freeze, live`}},
		{"clock: malformed", "POST", "/__admin/clock", `{"advance"`, 400, []string{": not valid JSON at line 1, column 11: the JSON ends too soon"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := m.admin(tt.method, tt.path, tt.body)
			require.Equal(t, tt.status, got.status, got.body)
			assert.Equal(t, tt.want, got.problems(t))
		})
	}
	assert.Equal(t, 404, m.api("/v1/users/zz/", "demo-key").status, "nothing was put")
	assert.Contains(t, m.admin("GET", "/__admin/fis", "").body, `"now":"2025-10-01T00:00:00Z"`, "the clock did not move")
}

func TestAdminBodiesOverAMebibyte(t *testing.T) {
	m := newAdminMock(t, "")
	big := `{"created_at": "2025-01-01T00:00:00Z", "accounts": [], "pad": "` + strings.Repeat("x", 1<<20) + `"}`
	for _, path := range []string{"/__admin/fis/demo-credit-union/users/zz", "/__admin/clock"} {
		method := "PUT"
		if path == "/__admin/clock" {
			method = "POST"
		}
		t.Run(path+" with a content-length", func(t *testing.T) {
			got := m.admin(method, path, big)
			assert.Equal(t, 413, got.status)
			assert.Equal(t, []string{": the body is over 1048576 bytes (1 MiB), the most an admin request may send"}, got.problems(t))
		})
		t.Run(path+" streamed", func(t *testing.T) {
			req := httptest.NewRequest(method, "http://mock.test"+path, strings.NewReader(big))
			req.ContentLength = -1 // chunked: only reading finds out
			req.Header.Set("Authorization", "Bearer "+adminToken)
			rec := httptest.NewRecorder()
			m.app.Handler.ServeHTTP(rec, req)
			got := answer{status: rec.Code, header: rec.Header(), body: rec.Body.String()}
			m.validate(req, got)
			assert.Equal(t, 413, got.status)
		})
	}
	t.Run("just under is read", func(t *testing.T) {
		body := `{"pad":"` + strings.Repeat("x", 1<<20-20) + `"}`
		require.Less(t, len(body), 1<<20)
		got := m.admin("PUT", "/__admin/fis/demo-credit-union/users/zz", body)
		assert.Equal(t, 422, got.status)
		assert.Contains(t, got.problems(t)[0], "pad: unknown field")
	})
}

func TestAdminConcurrentChangesAndReads(t *testing.T) {
	m := newAdminMock(t, "")
	var wg sync.WaitGroup
	for w := range 2 {
		wg.Go(func() {
			for i := range 30 {
				id := fmt.Sprintf("c%d-%d", w, i%4)
				req := httptest.NewRequest("PUT", "/__admin/fis/demo-credit-union/users/"+id, strings.NewReader(newUser))
				if i%3 == 2 {
					req = httptest.NewRequest("DELETE", "/__admin/fis/demo-credit-union/users/"+id, nil)
				}
				req.Header.Set("Authorization", "Bearer "+adminToken)
				rec := httptest.NewRecorder()
				m.app.Handler.ServeHTTP(rec, req)
				assert.Contains(t, []int{200, 201, 204, 404}, rec.Code, rec.Body.String())
				if i%10 == 9 {
					req := httptest.NewRequest("POST", "/__admin/clock", strings.NewReader(`{"advance":"1h"}`))
					req.Header.Set("Authorization", "Bearer "+adminToken)
					m.app.Handler.ServeHTTP(httptest.NewRecorder(), req)
				}
			}
		})
	}
	for r := range 3 {
		wg.Go(func() {
			for i := range 60 {
				path := []string{"/v1/users/?per_page=50", "/v1/users/?product=crypto&sort_key=user_account_id&sort_order=asc", "/v1/orders/?per_page=10", "/v1/users/c0-1/"}[(r+i)%4]
				req := httptest.NewRequest("GET", path, nil)
				req.Header.Set("x-api-key", "demo-key")
				rec := httptest.NewRecorder()
				m.app.Handler.ServeHTTP(rec, req)
				assert.Contains(t, []int{200, 404}, rec.Code, path)
				if i%20 == 0 {
					req := httptest.NewRequest("GET", "/__admin/fis", nil)
					req.Header.Set("Authorization", "Bearer "+adminToken)
					rec := httptest.NewRecorder()
					m.app.Handler.ServeHTTP(rec, req)
					assert.Equal(t, 200, rec.Code)
				}
			}
		})
	}
	wg.Wait()
	require.Equal(t, 200, m.admin("POST", "/__admin/fis/demo-credit-union/reset", "").status)
	assert.Contains(t, m.admin("GET", "/__admin/fis", "").body, `"changes":0`)
}
