package tenant

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/fixtures"
	"github.com/cryptofi/partner-mock/mock/internal/domain"
	"github.com/cryptofi/partner-mock/mock/internal/problem"
	userres "github.com/cryptofi/partner-mock/mock/internal/resource/users"
)

// specVocab holds the reference document's enums, in document order.
var specVocab = domain.Vocab{
	Products:      []domain.Product{"crypto", "securities", "roth_ira", "robo"},
	KycStatuses:   []domain.KycStatus{"not_started", "pending", "approved", "rejected"},
	OrderSides:    []domain.OrderSide{"buy", "sell"},
	OrderStatuses: []domain.OrderStatus{"pending", "completed", "cancelled", "failed"},
	Orders:        true,
}

// rules are the pinned-file rules of a tenant of the reference document with as_of 2025-10-01.
var rules = PinnedRules{Vocab: specVocab, AsOf: time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)}

// validPinned is a one-user file that passes; tests edit it into bad ones.
const validPinned = `users:
  - user_account_id: member-001
    created_at: 2025-08-12T15:40:00Z
    accounts:
      - product: securities
        kyc_status: approved
        kyc_approved_at: 2025-08-14T17:02:31Z
        current_market_value: "34891.00"
      - product: roth_ira
        kyc_status: pending
        current_market_value: "43181.03"
    total_current_market_value: "78072.03"
`

func TestTheDocsExampleIsPinnedExactly(t *testing.T) {
	data, err := fixtures.FS.ReadFile("pinned/demo-credit-union.yaml")
	require.NoError(t, err)
	users, err := rules.Parse("demo-credit-union.yaml", data)
	require.NoError(t, err)
	require.Len(t, users, 1)
	approved := func(s string) time.Time {
		ts, err := time.Parse(time.RFC3339, s)
		require.NoError(t, err)
		return ts
	}
	first, crypto := approved("2025-08-14T17:02:31Z"), approved("2025-09-02T11:18:09Z")
	// Approved accounts are pending until their kyc_approved_at: the document has a pending
	// state. The pending account stays pending.
	assert.Equal(t, domain.User{
		ID:        "member-001",
		CreatedAt: time.Date(2025, 8, 12, 15, 40, 0, 0, time.UTC).UnixMicro(),
		Accounts: []domain.Account{
			{Product: "securities", Status: "approved", Value: 3489100, ApprovedAt: first.Unix(), DecidedAt: first.UnixMicro()},
			{Product: "robo", Status: "approved", Value: 822350, ApprovedAt: first.Unix(), DecidedAt: first.UnixMicro()},
			{Product: "crypto", Status: "approved", Value: 1245032, ApprovedAt: crypto.Unix(), DecidedAt: crypto.UnixMicro()},
			{Product: "roth_ira", Status: "pending", Value: 4318103, DecidedAt: domain.Always},
		},
		Total: 9874585,
	}, users[0])
	assert.Equal(t, member001, string(userres.AppendUser(nil, &users[0], rules.AsOf.UnixMicro())), "as documented, at as_of")
}

func TestPinnedAccountsArePendingUntilApproved(t *testing.T) {
	approvedAt := time.Date(2025, 8, 14, 17, 2, 31, 0, time.UTC).UnixMicro()
	tests := []struct {
		name     string
		statuses []domain.KycStatus
		before   domain.KycStatus // the securities account's state just before kyc_approved_at
	}{
		{name: "with a pending state", statuses: specVocab.KycStatuses, before: domain.StatusPending},
		// Without one there is nothing to wait in: approved from sign-up on.
		{name: "without a pending state", statuses: []domain.KycStatus{"approved", "rejected"}, before: domain.StatusApproved},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := rules
			r.Vocab.KycStatuses = tt.statuses
			data := strings.Replace(validPinned, "        kyc_status: pending\n", "        kyc_status: rejected\n", 1)
			users, err := r.Parse("p.yaml", []byte(data))
			require.NoError(t, err)
			securities, rejected := users[0].Accounts[0], users[0].Accounts[1]
			assert.Equal(t, tt.before, securities.StatusAt(approvedAt-1))
			assert.Equal(t, domain.StatusApproved, securities.StatusAt(approvedAt))
			assert.Equal(t, domain.KycStatus("rejected"), rejected.StatusAt(users[0].CreatedAt), "a decision without an instant holds from sign-up")
		})
	}
}

func TestPinnedFileForms(t *testing.T) {
	tests := []struct {
		name  string
		data  string
		check func(t *testing.T, users []domain.User)
	}{
		{"money as an unquoted number is read as written", strings.Replace(validPinned, `"34891.00"`, `34891.00`, 1), func(t *testing.T, users []domain.User) {
			assert.Equal(t, domain.Money(3489100), users[0].Accounts[0].Value)
		}},
		{"total omitted is computed", strings.Replace(validPinned, `    total_current_market_value: "78072.03"`+"\n", "", 1),
			func(t *testing.T, users []domain.User) { assert.Equal(t, domain.Money(7807203), users[0].Total) }},
		{"JSON", `{"users":[{"accounts":[{"current_market_value":"0.00","kyc_status":"not_started","product":"robo"}],` +
			`"created_at":"2025-01-02T03:04:05.123456Z","total_current_market_value":"0.00","user_account_id":"a"}]}`,
			func(t *testing.T, users []domain.User) {
				assert.Equal(t, "a", users[0].ID)
				assert.Equal(t, time.Date(2025, 1, 2, 3, 4, 5, 123456000, time.UTC).UnixMicro(), users[0].CreatedAt)
			}},
		{"no users", "users: []\n", func(t *testing.T, users []domain.User) { assert.Empty(t, users) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			users, err := rules.Parse("p.yaml", []byte(tt.data))
			require.NoError(t, err)
			tt.check(t, users)
		})
	}
}

func TestBadPinnedUsersNameTheLineTheUserAndTheFix(t *testing.T) {
	second := `  - user_account_id: member-002
    created_at: 2025-08-12T15:40:00Z
    accounts:
      - product: crypto
        kyc_status: rejected
        current_market_value: "0.00"
`
	tests := []struct {
		name string
		old  string
		new  string
		want string
	}{
		{"money with one decimal", `"34891.00"`, `"34891.0"`,
			`p.yaml:8: users[0].accounts[0].current_market_value: money "34891.0": want a decimal with exactly two places, like 1234.50`},
		{"money as a number without two places", `"34891.00"`, `34891.0`,
			`p.yaml:8: users[0].accounts[0].current_market_value: money "34891.0": want a decimal with exactly two places`},
		{"negative money", `"34891.00"`, `"-1.00"`,
			`p.yaml:8: users[0].accounts[0].current_market_value: -1.00 is negative; a market value is 0.00 or more`},
		{"total is not the sum", `"78072.03"`, `"78072.04"`,
			"p.yaml:12: users[0].total_current_market_value: 78072.04 is not the sum of the accounts' values (78072.03); fix it or leave it out to have it computed"},
		{"approved without kyc_approved_at", "        kyc_approved_at: 2025-08-14T17:02:31Z\n", "",
			"p.yaml:5: users[0].accounts[0].kyc_approved_at: required when kyc_status is approved"},
		{"kyc_approved_at on a pending account", "        kyc_status: pending\n", "        kyc_status: pending\n        kyc_approved_at: 2025-08-14T17:02:31Z\n",
			"p.yaml:11: users[0].accounts[1].kyc_approved_at: only approved accounts have one (kyc_status is pending); remove it"},
		{"approved before sign-up", "kyc_approved_at: 2025-08-14T17:02:31Z", "kyc_approved_at: 2025-08-12T15:39:59Z",
			"p.yaml:7: users[0].accounts[0].kyc_approved_at: 2025-08-12T15:39:59Z is before created_at 2025-08-12T15:40:00Z; approval comes after sign-up"},
		{"approved after as_of", "kyc_approved_at: 2025-08-14T17:02:31Z", "kyc_approved_at: 2025-10-01T00:00:01Z",
			"p.yaml:7: users[0].accounts[0].kyc_approved_at: 2025-10-01T00:00:01Z is after the tenant's as_of 2025-10-01T00:00:00Z; move it earlier or raise as_of"},
		{"approved with a fraction of a second", "kyc_approved_at: 2025-08-14T17:02:31Z", "kyc_approved_at: 2025-08-14T17:02:31.5Z",
			"p.yaml:7: users[0].accounts[0].kyc_approved_at: whole seconds only"},
		{"signed up at as_of", "created_at: 2025-08-12T15:40:00Z", "created_at: 2025-10-01T00:00:00Z",
			"p.yaml:3: users[0].created_at: 2025-10-01T00:00:00Z is not before the tenant's as_of 2025-10-01T00:00:00Z; move it earlier or raise as_of"},
		{"created_at missing", "    created_at: 2025-08-12T15:40:00Z\n", "",
			"p.yaml:2: users[0].created_at: required"},
		{"product twice", "product: roth_ira", "product: securities",
			"p.yaml:9: users[0].accounts[1].product: securities also appears in accounts[0]; a user has at most one account per product"},
		{"unknown product", "product: roth_ira", "product: gold",
			`p.yaml:9: users[0].accounts[1].product: "gold" is not a product; want one of crypto, securities, roth_ira, robo`},
		{"unknown status", "kyc_status: pending", "kyc_status: waiting",
			`p.yaml:10: users[0].accounts[1].kyc_status: "waiting" is not a KYC status; want one of not_started, pending, approved, rejected`},
		{"no accounts", "    accounts:\n", "    accounts: []\n    old_accounts:\n",
			"p.yaml:5: users[0].old_accounts: unknown field"},
		{"id missing", "  - user_account_id: member-001\n    created_at", "  - created_at",
			"p.yaml:2: users[0].user_account_id: required"},
		{"id with a slash", "member-001", "member/001",
			`p.yaml:2: users[0].user_account_id: "member/001" contains /, which GET /users/{user_account_id}/ cannot address`},
		{"duplicate id", "    total_current_market_value: \"78072.03\"\n", "    total_current_market_value: \"78072.03\"\n" + strings.Replace(second, "member-002", "member-001", 1),
			`p.yaml:13: users[1].user_account_id: "member-001" is also the id of users[0]; ids must be unique`},
		{"wrong type", "    accounts:\n", "    accounts: none\n    x:\n",
			`p.yaml:4: users[0].accounts: want a list`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Contains(t, validPinned, tt.old)
			_, err := rules.Parse("p.yaml", []byte(strings.Replace(validPinned, tt.old, tt.new, 1)))
			require.Error(t, err)
			var fe *problem.List
			require.True(t, errors.As(err, &fe), "a *problem.List: %v", err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestAUserWithoutAccountsIsRefused(t *testing.T) {
	_, err := rules.Parse("p.yaml", []byte("users:\n  - user_account_id: a\n    created_at: 2025-01-01T00:00:00Z\n    accounts: []\n"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "p.yaml:4: users[0].accounts: at least one account is required")
}

func TestTooManyProblemsAreCapped(t *testing.T) {
	var b strings.Builder
	b.WriteString("users:\n")
	for range 30 {
		b.WriteString("  - user_account_id: \"\"\n    created_at: 2025-01-01T00:00:00Z\n    accounts: [{product: crypto, kyc_status: pending, current_market_value: \"1.00\"}]\n")
	}
	_, err := rules.Parse("p.yaml", []byte(b.String()))
	require.Error(t, err)
	assert.Equal(t, maxPinnedProblems+1, strings.Count(err.Error(), "\n")+1)
	assert.Contains(t, err.Error(), "... and 10 more problems")
}
