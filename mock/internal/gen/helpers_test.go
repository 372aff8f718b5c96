package gen

import (
	"fmt"
	"slices"
	"time"

	"github.com/cryptofi/partner-mock/mock/internal/domain"
)

// testAsOf is the fixed end of the created_at window in tests.
var testAsOf = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// testFuture is the horizon tests give a population with a future: the tenants' default year.
const testFuture = 365 * 24 * time.Hour

// specProducts and specStatuses are the reference spec's enums, in spec order.
var (
	specProducts = []domain.Product{"crypto", "securities", "roth_ira", "robo"}
	specStatuses = []domain.KycStatus{"not_started", "pending", "approved", "rejected"}
)

// testParams returns the Params of a default-like tenant with n users and no future.
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

// horizon returns the end of p's future in Unix seconds: AsOf rounded down plus Future.
func horizon(p Params) int64 {
	return p.AsOf.Unix() + int64(p.Future/time.Second)
}

// invariantProblems checks the rules every generated population obeys, whatever its Params, and
// returns the first problems it finds. The first p.Users users are the window's; the others
// sign up in the future.
func invariantProblems(p Params, users []domain.User) []string {
	var out []string
	add := func(format string, args ...any) {
		if len(out) < maxProblems {
			out = append(out, fmt.Sprintf(format, args...))
		}
	}
	switch {
	case len(users) < p.Users:
		add("got %d users, want %d before as_of and those of the future", len(users), p.Users)
		return out
	case p.Future == 0 && len(users) != p.Users:
		add("got %d users without a future, want %d", len(users), p.Users)
	}
	window := p.Window
	if window == 0 {
		window = DefaultWindow
	}
	// created_at is in whole seconds in [AsOf-Window, AsOf) for the window's users and in
	// (AsOf, horizon] for the future's: at AsOf exactly p.Users users exist.
	first := p.AsOf.Add(-window)
	if first.Nanosecond() != 0 {
		first = first.Truncate(time.Second).Add(time.Second)
	}
	firstMicro, asOfMicro := first.UnixMicro(), p.AsOf.UnixMicro()
	approveBy, end := p.AsOf.Unix(), horizon(p)
	pending := slices.Contains(p.Statuses, domain.StatusPending)

	seen := make(map[string]bool, len(users))
	for i, u := range users {
		future := i >= p.Users
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
		switch {
		case !future && (u.CreatedAt < firstMicro || u.CreatedAt >= asOfMicro):
			add("%s: created_at %s outside the window [%s, %s)", u.ID, u.CreatedTime(), first, p.AsOf)
		case future && (u.CreatedAt <= asOfMicro || u.CreatedAt > end*1e6):
			add("%s: future user created_at %s outside (%s, %s]", u.ID, u.CreatedTime(), p.AsOf, time.Unix(end, 0).UTC())
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
			if problem := decisionProblem(a, u.CreatedAt, end, pending); problem != "" {
				add("%s: %s: %s", u.ID, a.Product, problem)
			}
			// A window user shows its state at as_of: an approval it shows then has landed.
			if !future && a.StatusAt(asOfMicro) == domain.StatusApproved && a.ApprovedAt > approveBy {
				add("%s: %s approved at as_of with kyc_approved_at %s after it", u.ID, a.Product, time.Unix(a.ApprovedAt, 0).UTC())
			}
		}
	}
	return out
}

// decisionProblem returns what is wrong with the KYC decision of account a of a user created at
// created (Unix µs) in a population whose future ends at end (Unix s), or "".
func decisionProblem(a domain.Account, created, end int64, pending bool) string {
	approved := a.Status == domain.StatusApproved
	switch {
	case approved && a.ApprovedAt == 0:
		return "approved without an approval time"
	case !approved && a.ApprovedAt != 0:
		return fmt.Sprintf("%s with an approval time", a.Status)
	case approved && (a.ApprovedAt < created/1e6 || a.ApprovedAt > end):
		return fmt.Sprintf("approved at %d, outside [created_at %d, horizon %d]", a.ApprovedAt, created/1e6, end)
	case a.DecidedAt == domain.Always:
		return ""
	case !pending:
		return "decided at an instant, but the spec has no pending state to wait in"
	case a.Status == domain.StatusPending || a.Status == "not_started":
		return fmt.Sprintf("%s is never decided, yet has a decision instant", a.Status)
	case a.DecidedAt < created || a.DecidedAt > end*1e6:
		return fmt.Sprintf("decided at %d µs, outside [created_at %d, horizon %d]", a.DecidedAt, created, end*1e6)
	case approved && a.DecidedAt != a.ApprovedAt*1e6:
		return fmt.Sprintf("decided at %d µs but approved at %d s", a.DecidedAt, a.ApprovedAt)
	}
	return ""
}

// ids returns the users' ids, in order.
func ids(users []domain.User) []string {
	out := make([]string, len(users))
	for i, u := range users {
		out[i] = u.ID
	}
	return out
}
