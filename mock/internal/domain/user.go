package domain

import "time"

// Product is a product a user can be provisioned for ("crypto", "securities", ...). Its valid
// values come from the loaded OpenAPI document, not from constants here.
type Product string

// KycStatus is the state of an account's KYC check ("not_started", "approved", ...). Its valid
// values come from the loaded OpenAPI document.
type KycStatus string

// StatusApproved is the one KYC state with a meaning of its own: only approved accounts carry
// kyc_approved_at.
const StatusApproved KycStatus = "approved"

// Account is one product account of a user.
type Account struct {
	Product Product
	Status  KycStatus
	Value   Money
	// ApprovedAt is the Unix time in seconds of the KYC approval. It is meaningful exactly when
	// Status is StatusApproved.
	ApprovedAt int64
}

// User is a partner's user as the API returns it, plus CreatedAt, which is never rendered but
// drives filtering and sorting.
type User struct {
	ID string
	// CreatedAt is the sign-up instant in Unix microseconds, UTC.
	CreatedAt int64
	Accounts  []Account
	// Total is the exact sum of the accounts' values, all KYC states included.
	Total Money
}

// Account returns the user's account for product p, if the user is provisioned for it.
func (u *User) Account(p Product) (Account, bool) {
	for _, a := range u.Accounts {
		if a.Product == p {
			return a, true
		}
	}
	return Account{}, false
}

// SumAccounts returns the exact sum of the accounts' values.
func (u *User) SumAccounts() Money {
	var t Money
	for _, a := range u.Accounts {
		t += a.Value
	}
	return t
}

// CreatedTime returns CreatedAt as a time.Time in UTC.
func (u *User) CreatedTime() time.Time {
	return time.UnixMicro(u.CreatedAt).UTC()
}
