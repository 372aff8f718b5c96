package engine

import "github.com/cryptofi/partner-mock/mock/internal/domain"

// SortKey names a field the list can be ordered by.
type SortKey string

// The sort keys the engine implements. The live API accepts exactly these (its validator's
// message lists them), so the params layer validates sort_key against SortKeys.
const (
	SortCreatedAt     SortKey = "created_at"
	SortUserAccountID SortKey = "user_account_id"
)

// SortKeys lists the implemented sort keys in the order the live API's error message names them.
var SortKeys = []SortKey{SortCreatedAt, SortUserAccountID}

// KycFilter keeps users whose account for Product is in Status. A user without that account does
// not match.
type KycFilter struct {
	Product domain.Product
	Status  domain.KycStatus
}

// Query is one list request after validation. Nil pointers are absent filters.
type Query struct {
	UserAccountID *string
	Product       *domain.Product
	Kyc           []KycFilter
	// CreatedFrom (inclusive) and CreatedBefore (exclusive) bound created_at, in Unix microseconds.
	CreatedFrom   *int64
	CreatedBefore *int64
	SortKey       SortKey
	Desc          bool
	// Offset is the number of matches to skip; Limit the most to return.
	Offset int64
	Limit  int
}

// Page is the answer to a Query.
type Page struct {
	Users []*domain.User
	// Positions holds, for each of Users, its position in the slice the Index was built from
	// (Index.At), which callers use to find per-user data they prepared, like rendered JSON.
	Positions []int32
	// Total is the number of users matching the filters, whatever the paging.
	Total int
}

// Matches reports whether u satisfies every filter of q. It is the single definition of the
// filters' meaning; faster paths in the engine must agree with it (tests check they do).
func (q *Query) Matches(u *domain.User) bool {
	if q.UserAccountID != nil && u.ID != *q.UserAccountID {
		return false
	}
	if q.CreatedFrom != nil && u.CreatedAt < *q.CreatedFrom {
		return false
	}
	if q.CreatedBefore != nil && u.CreatedAt >= *q.CreatedBefore {
		return false
	}
	if q.Product != nil {
		if _, ok := u.Account(*q.Product); !ok {
			return false
		}
	}
	for _, f := range q.Kyc {
		a, ok := u.Account(f.Product)
		if !ok || a.Status != f.Status {
			return false
		}
	}
	return true
}
