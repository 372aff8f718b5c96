package domain

import (
	"math"
	"time"
)

// Product is a product a user can be provisioned for ("crypto", "securities", ...). Its valid
// values come from the loaded OpenAPI document, not from constants here.
type Product string

// KycStatus is the state of an account's KYC check ("not_started", "approved", ...). Its valid
// values come from the loaded OpenAPI document.
type KycStatus string

// The KYC states with a meaning of their own: an account waits in StatusPending for its
// decision, and only approved accounts carry kyc_approved_at.
const (
	StatusApproved KycStatus = "approved"
	StatusPending  KycStatus = "pending"
)

// Always is the change instant of a state that holds from the record's creation on: nothing
// changes it.
const Always int64 = math.MinInt64

// Account is one product account of a user.
type Account struct {
	Product Product
	// Status is the account's KYC state once decided: the state it shows from DecidedAt on.
	Status KycStatus
	Value  Money
	// ApprovedAt is the Unix time in seconds of the KYC approval (kyc_approved_at). It is
	// meaningful exactly when Status is StatusApproved.
	ApprovedAt int64
	// DecidedAt is when the account leaves StatusPending for Status, in Unix microseconds; before
	// it the account is pending. Always means the account is in Status from its creation.
	DecidedAt int64
}

// StatusAt returns the account's KYC state at mock time at (Unix microseconds).
func (a *Account) StatusAt(at int64) KycStatus {
	if at < a.DecidedAt {
		return StatusPending
	}
	return a.Status
}

// User is a partner's user as the API returns it, plus CreatedAt, which is never rendered but
// drives filtering and sorting, and is when the user starts to exist.
type User struct {
	ID string
	// CreatedAt is the sign-up instant in Unix microseconds, UTC.
	CreatedAt int64
	Accounts  []Account
	// Total is the exact sum of the accounts' values, all KYC states included.
	Total Money
}

// Account returns the user's account for product p, if the user is provisioned for it.
func (u *User) Account(p Product) (*Account, bool) {
	for i := range u.Accounts {
		if u.Accounts[i].Product == p {
			return &u.Accounts[i], true
		}
	}
	return nil, false
}

// SumAccounts returns the exact sum of the accounts' values.
func (u *User) SumAccounts() Money {
	var t Money
	for _, a := range u.Accounts {
		t += a.Value
	}
	return t
}

// SettledAt returns the instant from which the user's state no longer changes: its last KYC
// decision, or Always.
func (u *User) SettledAt() int64 {
	s := Always
	for i := range u.Accounts {
		s = max(s, u.Accounts[i].DecidedAt)
	}
	return s
}

// CreatedTime returns CreatedAt as a time.Time in UTC.
func (u *User) CreatedTime() time.Time {
	return time.UnixMicro(u.CreatedAt).UTC()
}
