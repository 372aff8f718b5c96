package tenant

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/mock/internal/domain"
	"github.com/cryptofi/partner-mock/mock/internal/problem"
)

// bodyRules checks admin bodies: no as_of bound.
var bodyRules = PinnedRules{Vocab: specVocab}

const validUserBody = `{
  "user_account_id": "member-900",
  "created_at": "2025-08-12T15:40:00Z",
  "accounts": [
    {"product": "crypto", "kyc_status": "approved", "kyc_approved_at": "2025-08-14T17:02:31Z", "current_market_value": "100.50"},
    {"product": "robo", "kyc_status": "rejected", "current_market_value": "0.00"}
  ]
}`

// problems returns the problems of err as "path: msg" lines.
func problems(t *testing.T, err error) []string {
	t.Helper()
	require.Error(t, err)
	l, ok := errors.AsType[*problem.List](err)
	require.True(t, ok, "a *problem.List: %v", err)
	var out []string
	for _, p := range l.Items {
		assert.Empty(t, p.File, "a body is not a file")
		assert.Zero(t, p.Line, "a body's problems are located by path")
		out = append(out, p.Path+": "+p.Msg)
	}
	return out
}

func TestCheckJSON(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"an object", `{"a": 1}`, ""},
		{"an array is JSON too", `[1]`, ""},
		{"empty", ``, "the body is empty: send a JSON object"},
		{"blank", " \n ", "the body is empty: send a JSON object"},
		{"a syntax error", "{\n  \"a\": 1,\n  oops\n}", "not valid JSON at line 3, column"},
		{"cut short", `{"a": [1, 2`, "not valid JSON at line 1, column 12: the JSON ends too soon"},
		{"two values", `{} {}`, "more than one JSON value"},
		{"YAML is not JSON", "user_account_id: a\n", "not valid JSON at line 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckJSON([]byte(tt.body))
			if tt.want == "" {
				assert.NoError(t, err)
				return
			}
			got := problems(t, err)
			require.Len(t, got, 1)
			assert.Contains(t, got[0], tt.want)
		})
	}
}

func TestParseUserAcceptsAPinnedUser(t *testing.T) {
	u, err := bodyRules.ParseUser([]byte(validUserBody), "member-900")
	require.NoError(t, err)
	approved := time.Date(2025, 8, 14, 17, 2, 31, 0, time.UTC)
	assert.Equal(t, domain.User{
		ID:        "member-900",
		CreatedAt: time.Date(2025, 8, 12, 15, 40, 0, 0, time.UTC).UnixMicro(),
		Accounts: []domain.Account{
			{Product: "crypto", Status: "approved", Value: 10050, ApprovedAt: approved.Unix(), DecidedAt: approved.UnixMicro()},
			{Product: "robo", Status: "rejected", Value: 0, DecidedAt: domain.Always},
		},
		Total: 10050,
	}, u)

	t.Run("the id may be left to the path", func(t *testing.T) {
		u, err := bodyRules.ParseUser([]byte(strings.Replace(validUserBody, `"user_account_id": "member-900",`, "", 1)), "from-the-path")
		require.NoError(t, err)
		assert.Equal(t, "from-the-path", u.ID)
	})
	t.Run("no as_of bound: a user of the future is accepted", func(t *testing.T) {
		body := strings.Replace(validUserBody, "2025-08-12T15:40:00Z", "2031-01-01T00:00:00Z", 1)
		body = strings.Replace(body, "2025-08-14T17:02:31Z", "2031-01-02T00:00:00Z", 1)
		_, err := bodyRules.ParseUser([]byte(body), "member-900")
		assert.NoError(t, err)
	})
}

func TestParseUserReportsEveryProblemByPath(t *testing.T) {
	tests := []struct {
		name     string
		old, new string
		id       string
		want     []string
	}{
		{"the path's id differs", "", "", "member-901",
			[]string{`user_account_id: "member-900" differs from the user_account_id in the request's path, "member-901"`}},
		{"unknown field", `"created_at"`, `"creatd_at": "x", "created_at"`, "",
			[]string{"creatd_at: unknown field (did you mean created_at?)"}},
		{"a number where a string is due", `"100.50"`, `100.50`, "",
			[]string{"accounts[0].current_market_value: want a string, got the number 100.50"}},
		{"a string where an array is due", `"accounts": [`, `"accounts": "none", "x": [`, "",
			[]string{`accounts: want an array, got the string "none"`, "x: unknown field"}},
		{"not an object", validUserBody, `[1, 2]`, "",
			[]string{": want an object, got an array"}},
		{"a field given twice", `"created_at"`, `"user_account_id": "member-900", "created_at"`, "",
			[]string{"user_account_id: given twice"}},
		{"an invalid value and an unknown field together", `"crypto"`, `"gold", "colour": "red"`, "",
			[]string{"accounts[0].colour: unknown field", `accounts[0].product: "gold" is not a product`}},
		{"approved without kyc_approved_at", `, "kyc_approved_at": "2025-08-14T17:02:31Z"`, "", "",
			[]string{"accounts[0].kyc_approved_at: required when kyc_status is approved"}},
		{"kyc_approved_at before created_at", "2025-08-14T17:02:31Z", "2025-08-01T00:00:00Z", "",
			[]string{"accounts[0].kyc_approved_at: 2025-08-01T00:00:00Z is before created_at"}},
		{"a mistyped created_at is not also missing", `"2025-08-12T15:40:00Z"`, `20250812`, "",
			[]string{"created_at: want an RFC 3339 instant such as 2025-10-01T00:00:00Z, got the number 20250812"}},
		{"null leaves a required field missing", `"2025-08-12T15:40:00Z"`, `null`, "",
			[]string{"created_at: required"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := tt.id
			if id == "" {
				id = "member-900"
			}
			_, err := bodyRules.ParseUser([]byte(strings.Replace(validUserBody, tt.old, tt.new, 1)), id)
			got := problems(t, err)
			require.Len(t, got, len(tt.want), "%q", got)
			for i, w := range tt.want {
				assert.Contains(t, got[i], w)
			}
		})
	}
}

const validOrderBody = `{
  "order_id": "7f9c24e8-3b1a-4c5d-9e2f-0a1b2c3d4e5f",
  "user_account_id": "member-900",
  "product": "crypto", "side": "buy", "symbol": "BTC",
  "quantity": "0.00150000", "notional": "100.00", "fee": "1.50",
  "status": "completed", "placed_at": "2025-09-03T14:05:00Z", "completed_at": "2025-09-03T14:05:02Z",
  "is_recurring_order": false
}`

// findMember900 finds the one user of the order tests, at identity 41.
func findMember900(t *testing.T) func(string) (int, *domain.User) {
	u, err := bodyRules.ParseUser([]byte(validUserBody), "member-900")
	require.NoError(t, err)
	return func(id string) (int, *domain.User) {
		if id != u.ID {
			return -1, nil
		}
		return 41, &u
	}
}

func TestParseOrderAcceptsAPinnedOrder(t *testing.T) {
	o, err := bodyRules.ParseOrder([]byte(validOrderBody), "7f9c24e8-3b1a-4c5d-9e2f-0a1b2c3d4e5f", findMember900(t))
	require.NoError(t, err)
	assert.Equal(t, 41, o.User, "the identity the lookup gave")
	assert.Equal(t, int64(150000), o.Quantity)
	assert.Equal(t, time.Date(2025, 9, 3, 14, 5, 2, 0, time.UTC).UnixMicro(), o.CompletedAt)
	assert.Nil(t, o.Series)

	v := domain.OrderVocab{Products: specVocab.Products, Sides: specVocab.OrderSides, Statuses: specVocab.OrderStatuses}
	d := o.Order(&v, 41, 3, -1)
	assert.Equal(t, domain.Order{ID: o.ID, User: 41, Series: -1, PlacedAt: o.PlacedAt, SettledAt: o.CompletedAt,
		Quantity: 150000, Notional: 10000, Fee: 150, Symbol: 3, Product: 0, Side: 0, Status: 1, QuantityPlaces: 8}, d)
}

func TestParseOrderEnforcesTheOrderRules(t *testing.T) {
	tests := []struct {
		name     string
		old, new string
		want     []string
	}{
		{"unknown user", `"user_account_id": "member-900"`, `"user_account_id": "nobody"`,
			[]string{`user_account_id: "nobody" is not a user of this FI; put the user first`}},
		{"an account that is not approved", `"product": "crypto"`, `"product": "robo"`,
			[]string{"quantity: ", "product: user member-900's robo account is rejected; orders are placed on approved accounts only"}},
		{"no account for the product", `"product": "crypto"`, `"product": "securities"`,
			[]string{"quantity: ", "product: user member-900 has no securities account"}},
		{"placed before the approval", `"placed_at": "2025-09-03T14:05:00Z"`, `"placed_at": "2025-08-14T17:02:30Z"`,
			[]string{"placed_at: 2025-08-14T17:02:30Z is before user member-900's crypto account was approved"}},
		{"completed_at on a pending order", `"status": "completed"`, `"status": "pending"`,
			[]string{"completed_at: only completed orders have one (status is pending); remove it"}},
		{"recurring without a series", `"is_recurring_order": false`, `"is_recurring_order": true`,
			[]string{"recurring_order_id: required when is_recurring_order is true"}},
		{"a boolean as a string", `"is_recurring_order": false`, `"is_recurring_order": "false"`,
			[]string{`is_recurring_order: want true or false, got the string "false"`}},
		{"the path's id differs", `"order_id": "7f9c24e8-3b1a-4c5d-9e2f-0a1b2c3d4e5f"`, `"order_id": "00000000-0000-4000-8000-000000000000"`,
			[]string{`order_id: "00000000-0000-4000-8000-000000000000" differs from the order_id in the request's path`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := strings.Replace(validOrderBody, tt.old, tt.new, 1)
			require.NotEqual(t, validOrderBody, body)
			_, err := bodyRules.ParseOrder([]byte(body), "7f9c24e8-3b1a-4c5d-9e2f-0a1b2c3d4e5f", findMember900(t))
			got := problems(t, err)
			var matched []string
			for _, w := range tt.want {
				for _, g := range got {
					if strings.Contains(g, w) {
						matched = append(matched, w)
						break
					}
				}
			}
			assert.Equal(t, tt.want, matched, "%q", got)
		})
	}
}

func TestAdminTokenInTheConfig(t *testing.T) {
	tests := []struct {
		name, admin string
		want        string // a problem, or "" when the config is valid
	}{
		{"a token", "admin:\n  token: 3f9a1c0e2b7d4a65\n", ""},
		{"no admin section", "", ""},
		{"empty token", "admin:\n  token: \"\"\n", "t.yaml:10: admin.token: required"},
		{"section without token", "admin: {}\n", "t.yaml:9: admin.token: required"},
		{"short", "admin:\n  token: abc\n", "admin.token: want at least 8 characters"},
		{"a space inside", "admin:\n  token: \"abcd efgh\"\n", "admin.token: character 5 is a space"},
		{"an API key", "admin:\n  token: acme-key-long\n", "admin.token: the token is also an API key of tenants[0] (acme)"},
		{"unknown field", "admin:\n  tokn: 3f9a1c0e2b7d4a65\n", "t.yaml:10: admin.tokn: unknown field (did you mean token?)"},
		{"not a section", "admin: 3f9a1c0e2b7d4a65\n", "admin: want fields (name: value)"},
	}
	base := strings.Replace(validTenant, "[acme-key]", "[acme-key-long]", 1)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseConfig("t.yaml", []byte(base+tt.admin))
			if tt.want == "" {
				require.NoError(t, err)
				if tt.admin != "" {
					assert.Equal(t, "3f9a1c0e2b7d4a65", c.Admin.Token)
				} else {
					assert.Nil(t, c.Admin)
				}
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.NotContains(t, err.Error(), "acme-key-long", "keys are never echoed")
			assert.NotContains(t, err.Error(), "abcd efgh", "tokens are never echoed")
		})
	}
}

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"36h", 36 * time.Hour, true},
		{"1h30m", 90 * time.Minute, true},
		{"365d", 365 * 24 * time.Hour, true},
		{"-2d", -48 * time.Hour, true},
		{"+2d", 48 * time.Hour, true},
		{"-90m", -90 * time.Minute, true},
		{"d", 0, false},
		{"--2d", 0, false},
		{"2.5d", 0, false},
		{"99999999999d", 0, false},
		{"soon", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseDuration(tt.in)
		if !tt.ok {
			assert.Error(t, err, tt.in)
			continue
		}
		require.NoError(t, err, tt.in)
		assert.Equal(t, tt.want, got, tt.in)
	}
}
