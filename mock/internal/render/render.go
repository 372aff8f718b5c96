// Package render writes the Partner API's JSON bodies exactly as the live FastAPI service does:
// compact, keys in the live API's order, money as two-decimal strings.
package render

import (
	"math"
	"math/big"
	"strconv"
	"time"

	"github.com/cryptofi/partner-mock/mock/internal/domain"
	"github.com/cryptofi/partner-mock/mock/internal/pyjson"
)

// AppendUser appends the user object: accounts, total_current_market_value, user_account_id.
func AppendUser(b []byte, u *domain.User) []byte {
	b = append(b, `{"accounts":[`...)
	for i := range u.Accounts {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendAccount(b, &u.Accounts[i])
	}
	b = append(b, `],"total_current_market_value":"`...)
	b = u.Total.Append(b)
	b = append(b, `","user_account_id":`...)
	b = pyjson.AppendString(b, u.ID)
	return append(b, '}')
}

func appendAccount(b []byte, a *domain.Account) []byte {
	b = append(b, `{"current_market_value":"`...)
	b = a.Value.Append(b)
	b = append(b, '"')
	if a.Status == domain.StatusApproved {
		b = append(b, `,"kyc_approved_at":"`...)
		b = time.Unix(a.ApprovedAt, 0).UTC().AppendFormat(b, "2006-01-02T15:04:05Z")
		b = append(b, '"')
	}
	b = append(b, `,"kyc_status":`...)
	b = pyjson.AppendString(b, string(a.Status))
	b = append(b, `,"product":`...)
	b = pyjson.AppendString(b, string(a.Product))
	return append(b, '}')
}

// ListEnvelope is the paging part of a list response.
type ListEnvelope struct {
	Total int
	// LastRecordNumber is the request's cursor. It is a big integer because the live API echoes
	// any non-negative integer it was sent, however large. The response's last_record_number is
	// LastRecordNumber + Returned.
	LastRecordNumber *big.Int
	// Returned is the number of items on the page.
	Returned int
	PerPage  int
}

// AppendList appends {"items":[...],"total_records":..,"last_record_number":..,"per_page":..}.
// Each item is rendered by item, which lets callers use pre-rendered users.
func AppendList(b []byte, users []*domain.User, env ListEnvelope, item func([]byte, *domain.User) []byte) []byte {
	b = append(b, `{"items":[`...)
	for i, u := range users {
		if i > 0 {
			b = append(b, ',')
		}
		b = item(b, u)
	}
	return appendEnvelope(b, env)
}

// appendEnvelope closes the items array and appends the paging fields and the closing brace.
func appendEnvelope(b []byte, env ListEnvelope) []byte {
	b = append(b, `],"total_records":`...)
	b = strconv.AppendInt(b, int64(env.Total), 10)
	b = append(b, `,"last_record_number":`...)
	if c := env.LastRecordNumber; c.IsInt64() && c.Int64() <= math.MaxInt64-int64(env.Returned) {
		// The common case, without big.Int arithmetic and its allocations.
		b = strconv.AppendInt(b, c.Int64()+int64(env.Returned), 10)
	} else {
		b = new(big.Int).Add(c, big.NewInt(int64(env.Returned))).Append(b, 10)
	}
	b = append(b, `,"per_page":`...)
	b = strconv.AppendInt(b, int64(env.PerPage), 10)
	return append(b, '}')
}

// AppendDetail appends FastAPI's HTTPException body {"detail":"..."}.
func AppendDetail(b []byte, detail string) []byte {
	b = append(b, `{"detail":`...)
	b = pyjson.AppendString(b, detail)
	return append(b, '}')
}
