package contract

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"time"
)

// The relations between orders and users (BEHAVIOUR.md, "Orders belong to users"). They hold
// on a live server too: a user never goes away nor changes products, an account that was
// approved stays approved with the same kyc_approved_at, and an order is only ever placed by a
// user whose account was approved before it.
var relationChecks = []Check{
	{Name: "relations/user-exists", Family: "relations",
		Description: "every order's user_account_id is a user of the same FI (in its user list, or by detail)",
		run:         relationsUserExists},
	{Name: "relations/product-account", Family: "relations",
		Description: "the user of every order has an account for the order's product",
		run:         relationsProductAccount},
	{Name: "relations/approved-before-placed", Family: "relations",
		Description: "that account is approved, and its kyc_approved_at is not after the order's placed_at",
		run:         relationsApprovedBeforePlaced},
	{Name: "relations/tenants-disjoint", Family: "relations", NeedsSecondKey: true,
		Description: "two FIs share no order: neither FI's order ids are in the other's list, and neither's orders are found by detail with the other's key",
		run:         relationsTenantsDisjoint},
}

// userLookups caps how many users of sampled orders are looked up by detail when the users the
// suite walked do not include them.
const userLookups = 25

// orderUsers returns the users of the sampled orders, by id: from the users the suite walks
// (the money checks' sample), and by detail for the others, up to userLookups of them. missing
// lists the ids the FI answered 404 for; unknown counts those not looked up.
func (t *T) orderUsers(orders []sampledOrder) (users map[string]*user, missing map[string]*Exchange) {
	if r := t.run; r.orderUsers != nil {
		if r.orderUsersNote != "" {
			t.Sampled("%s", r.orderUsersNote)
		}
		return r.orderUsers, r.orderUsersMissing
	}
	users, missing = map[string]*user{}, map[string]*Exchange{}
	defer func() { t.run.orderUsers, t.run.orderUsersMissing = users, missing }()
	for _, s := range t.users() {
		if u, err := decodeUser(s.raw); err == nil {
			users[u.UserAccountID] = u
		}
	}
	var absent []string
	for _, o := range orders {
		if _, ok := users[o.User]; !ok && o.User != "" && !contains(absent, o.User) {
			absent = append(absent, o.User)
		}
	}
	sort.Strings(absent)
	if len(absent) > userLookups {
		t.run.orderUsersNote = fmt.Sprintf("looked up %d of the %d users of sampled orders not among the users walked", userLookups, len(absent))
		t.Sampled("%s", t.run.orderUsersNote)
		absent = absent[:userLookups]
	}
	for _, id := range absent {
		ex := t.Get(Request{Path: t.run.users.detail(id), Cred: CredPrimary})
		switch ex.Status {
		case http.StatusOK:
			if u, err := decodeUser(ex.Body); err == nil {
				users[id] = u
			}
		case http.StatusNotFound:
			missing[id] = ex
		default:
			t.Errorf(ex, "detail of user %q answers %d, want 200 or 404", id, ex.Status)
		}
	}
	return users, missing
}

func relationsUserExists(t *T) {
	orders := t.orders()
	_, missing := t.orderUsers(orders)
	for _, o := range orders {
		if ex, ok := missing[o.User]; ok {
			t.Errorf(ex, "order %q belongs to user %q, who is not a user of this FI (404)", o.ID, o.User)
		}
	}
}

// eachOrderAccount calls check with every sampled order whose user is known and has an
// account for the order's product; it reports the orders whose user has no such account.
func eachOrderAccount(t *T, check func(o sampledOrder, a account)) {
	orders := t.orders()
	users, _ := t.orderUsers(orders)
	for _, o := range orders {
		u, ok := users[o.User]
		if !ok {
			continue // relations/user-exists names it, or it was not looked up
		}
		a, ok := u.account(o.Product)
		if !ok {
			if check == nil {
				var prods []string
				for _, a := range u.Accounts {
					prods = append(prods, a.Product)
				}
				t.Errorf(o.ex, "order %q is a %s order of user %q, who has no %s account (accounts: %v)", o.ID, o.Product, o.User, o.Product, prods)
			}
			continue
		}
		if check != nil {
			check(o, a)
		}
	}
}

func relationsProductAccount(t *T) { eachOrderAccount(t, nil) }

func relationsApprovedBeforePlaced(t *T) {
	eachOrderAccount(t, func(o sampledOrder, a account) {
		if a.KycStatus != approvedState {
			t.Errorf(o.ex, "order %q was placed by user %q, whose %s account is %s, not approved", o.ID, o.User, o.Product, a.KycStatus)
			return
		}
		if a.KycApprovedAt == nil {
			return // money/kyc-approved-at names it
		}
		var s string
		if json.Unmarshal(*a.KycApprovedAt, &s) != nil {
			return
		}
		approved, err1 := time.Parse(time.RFC3339Nano, s)
		placed, err2 := time.Parse(time.RFC3339Nano, o.PlacedAt)
		if err1 == nil && err2 == nil && placed.Before(approved) {
			t.Errorf(o.ex, "order %q was placed at %s, before user %q's %s account was approved (%s)", o.ID, o.PlacedAt, o.User, o.Product, s)
		}
	})
}

func relationsTenantsDisjoint(t *T) {
	res := ordersOf(t)
	type fi struct {
		cred Cred
		ids  map[string]*Exchange
	}
	fis := []*fi{{cred: CredPrimary}, {cred: CredSecond}}
	limit := int64(max(100, 100*(t.Allowance(shareOrderTenants)/2)))
	sampled := false
	for _, f := range fis {
		f.ids = map[string]*Exchange{}
		w := walk(t, res, f.cred, q(), 100, limit)
		for i, id := range w.ids {
			f.ids[id] = w.pageOf(i)
		}
		sampled = sampled || !w.complete
	}
	if sampled {
		t.Sampled("compared the newest %d orders of each FI", limit)
	}
	if len(fis[0].ids) == 0 && len(fis[1].ids) == 0 {
		t.Skipf("neither FI has orders in the run's window")
	}
	for i, f := range fis {
		other := fis[1-i]
		var shared []string
		for id := range f.ids {
			if _, ok := other.ids[id]; ok {
				shared = append(shared, id)
			}
		}
		sort.Strings(shared)
		if len(shared) > 0 && i == 0 {
			t.Errorf(f.ids[shared[0]], "%d order id(s) are in both FIs' lists, e.g. %q", len(shared), shared[0])
		}
		// Look a few of f's orders up with the other FI's key.
		var ids []string
		for id := range f.ids {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		step := max(1, len(ids)/(detailProbes/2))
		for k := 0; k < len(ids); k += step {
			ex := t.Get(Request{Path: res.detail(ids[k]), Cred: other.cred})
			if ex.Status != http.StatusNotFound {
				t.Errorf(ex, "order %q of %s answers %d by detail with %s, want 404", ids[k], fiName(f.cred), ex.Status, fiName(other.cred))
			}
		}
	}
}
