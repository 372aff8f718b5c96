package gen

import (
	"fmt"
	"slices"
	"time"

	"github.com/cryptofi/partner-mock/mock/internal/domain"
)

// testAsOf is the fixed end of the created_at window in tests.
var testAsOf = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// specProducts and specStatuses are the reference spec's enums, in spec order.
var (
	specProducts = []domain.Product{"crypto", "securities", "roth_ira", "robo"}
	specStatuses = []domain.KycStatus{"not_started", "pending", "approved", "rejected"}
)

// testParams returns the Params of a default-like tenant with n users.
func testParams(n int) Params {
	return Params{
		Seed:     42,
		Users:    n,
		AsOf:     testAsOf,
		Products: specProducts,
		Statuses: specStatuses,
	}
}

// maxProblems caps the problems invariantProblems reports, so a broken generator does not flood
// the test log.
const maxProblems = 20

// invariantProblems checks the rules every generated population obeys, whatever its Params, and
// returns the first problems it finds.
func invariantProblems(p Params, users []domain.User) []string {
	var out []string
	add := func(format string, args ...any) {
		if len(out) < maxProblems {
			out = append(out, fmt.Sprintf(format, args...))
		}
	}
	if len(users) != p.Users {
		add("got %d users, want %d", len(users), p.Users)
	}
	window := p.Window
	if window == 0 {
		window = DefaultWindow
	}
	// created_at is in whole seconds in [AsOf-Window, AsOf).
	first := p.AsOf.Add(-window)
	if first.Nanosecond() != 0 {
		first = first.Truncate(time.Second).Add(time.Second)
	}
	firstMicro, asOfMicro := first.UnixMicro(), p.AsOf.UnixMicro()
	approveBy := p.AsOf.Unix()

	seen := make(map[string]bool, len(users))
	for _, u := range users {
		if seen[u.ID] {
			add("%s: duplicate id", u.ID)
		}
		seen[u.ID] = true
		if p.Reserved[u.ID] {
			add("%s: reserved id generated", u.ID)
		}
		if u.CreatedAt%1e6 != 0 {
			add("%s: created_at %d is not whole seconds", u.ID, u.CreatedAt)
		}
		if u.CreatedAt < firstMicro || u.CreatedAt >= asOfMicro {
			add("%s: created_at %s outside [%s, %s)", u.ID, u.CreatedTime(), first, p.AsOf)
		}
		if n := len(u.Accounts); n < 1 || n > maxAccounts {
			add("%s: %d accounts, want 1 to %d", u.ID, n, maxAccounts)
		}
		if u.Total != u.SumAccounts() {
			add("%s: total %s, accounts sum to %s", u.ID, u.Total, u.SumAccounts())
		}
		products := map[domain.Product]bool{}
		for _, a := range u.Accounts {
			if products[a.Product] {
				add("%s: product %s twice", u.ID, a.Product)
			}
			products[a.Product] = true
			if !slices.Contains(p.Products, a.Product) {
				add("%s: product %q not in the spec", u.ID, a.Product)
			}
			if !slices.Contains(p.Statuses, a.Status) {
				add("%s: status %q not in the spec", u.ID, a.Status)
			}
			if a.Value < 0 {
				add("%s: %s value %s is negative", u.ID, a.Product, a.Value)
			}
			if a.Status == "not_started" && a.Value != 0 {
				add("%s: not_started %s holds %s", u.ID, a.Product, a.Value)
			}
			approved := a.Status == domain.StatusApproved
			switch {
			case approved && a.ApprovedAt == 0:
				add("%s: approved %s has no approval time", u.ID, a.Product)
			case !approved && a.ApprovedAt != 0:
				add("%s: %s %s has an approval time", u.ID, a.Status, a.Product)
			case approved && (a.ApprovedAt < u.CreatedAt/1e6 || a.ApprovedAt > approveBy):
				add("%s: %s approved at %d, outside [created_at %d, as_of %d]",
					u.ID, a.Product, a.ApprovedAt, u.CreatedAt/1e6, approveBy)
			}
		}
	}
	return out
}

// ids returns the users' ids, in order.
func ids(users []domain.User) []string {
	out := make([]string, len(users))
	for i, u := range users {
		out[i] = u.ID
	}
	return out
}
