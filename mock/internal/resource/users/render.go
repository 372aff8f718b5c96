package users

import (
	"github.com/cryptofi/partner-mock/mock/internal/domain"
	"github.com/cryptofi/partner-mock/mock/internal/pyjson"
	"github.com/cryptofi/partner-mock/mock/internal/radix"
	"github.com/cryptofi/partner-mock/mock/internal/render"
)

// items renders a world's users.
type items struct {
	w *domain.World
	// settled holds the SettledAt of each user of the world as built, for VariantAt: a settled
	// user's variant is known without reading its accounts. Nil for a changed world (Over).
	settled []int64
}

func newItems(w *domain.World) items {
	it := items{w: w, settled: make([]int64, len(w.Users))}
	radix.Parallel(len(w.Users), func(a, b int) {
		for p := a; p < b; p++ {
			it.settled[p] = w.Users[p].SettledAt()
		}
	})
	return it
}

func (it items) AppendItem(b []byte, p int32, at int64) []byte {
	return AppendUser(b, it.w.User(p), at)
}

func (it items) SettledAt(p int32) int64 {
	if int(p) < len(it.settled) {
		return it.settled[p]
	}
	return it.w.User(p).SettledAt()
}

// settledVariant is the variant of a user whose decisions have all landed: the one every
// account's bit set would give.
const settledVariant = ^uint32(0)

// VariantAt tells a user's renderings apart: which of its accounts' KYC decisions have landed
// at at (one bit per account).
func (it items) VariantAt(p int32, at int64) (uint32, bool) {
	if at >= it.SettledAt(p) {
		return settledVariant, true
	}
	accounts := it.w.User(p).Accounts
	if len(accounts) > 32 {
		return 0, false
	}
	var v uint32
	for i := range accounts {
		if at >= accounts[i].DecidedAt {
			v |= 1 << uint(i)
		}
	}
	return v, true
}

// AppendUser appends the user object in its state at instant at (Unix microseconds): accounts,
// total_current_market_value, user_account_id. An account shows its KYC state at at, and
// kyc_approved_at exactly when that state is approved.
func AppendUser(b []byte, u *domain.User, at int64) []byte {
	b = append(b, `{"accounts":[`...)
	for i := range u.Accounts {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendAccount(b, &u.Accounts[i], at)
	}
	b = append(b, `],"total_current_market_value":"`...)
	b = u.Total.Append(b)
	b = append(b, `","user_account_id":`...)
	b = pyjson.AppendString(b, u.ID)
	return append(b, '}')
}

func appendAccount(b []byte, a *domain.Account, at int64) []byte {
	b = append(b, `{"current_market_value":"`...)
	b = a.Value.Append(b)
	b = append(b, '"')
	status := a.StatusAt(at)
	if status == domain.StatusApproved {
		b = append(b, `,"kyc_approved_at":"`...)
		b = render.AppendSeconds(b, a.ApprovedAt)
		b = append(b, '"')
	}
	b = append(b, `,"kyc_status":`...)
	b = pyjson.AppendString(b, string(status))
	b = append(b, `,"product":`...)
	b = pyjson.AppendString(b, string(a.Product))
	return append(b, '}')
}
