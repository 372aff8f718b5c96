package contract

import (
	"encoding/json"
	"net/http"
)

var tenantChecks = []Check{
	{Name: "tenants/isolation", Family: "tenants", NeedsSecondKey: true,
		Description: "no user of one FI is visible to the other: not in its list, not by the user_account_id filter, not by detail (lists walked within the run's fixed window)",
		run:         tenantsIsolation},
}

// tenantProbes is how many ids per direction are looked up one by one.
const tenantProbes = 10

func tenantsIsolation(t *T) {
	users := t.run.users
	// Each FI's ids, as far as the budget allows: both whole when they fit.
	allowance := int64(t.Allowance(shareUserTenants))
	_, p1 := t.List(users, CredPrimary, t.scope(users, q("per_page", "1")))
	_, p2 := t.List(users, CredSecond, t.scope(users, q("per_page", "1")))
	limit := int64(0)
	if cost := walkCost(p2.TotalRecords, 100) + walkCost(p1.TotalRecords, 100); cost > allowance {
		limit = max(1, allowance/2) * 100
		t.Sampled("compared the first %d users of each FI (%d requests allowed, %d needed for all) and looked up %d of each in the other", limit, allowance, cost, tenantProbes)
	}
	one := walk(t, users, CredPrimary, q(), 100, limit)
	two := walk(t, users, CredSecond, q(), 100, limit)
	items := map[string][]byte{}
	for i, id := range one.ids {
		items[id] = one.items[i]
	}
	// The same user in both lists: the same object, but for a KYC state that may have left
	// pending between the two walks.
	same := func(a, b []byte) bool {
		_, diff := legalChange(users.mutable, a, b)
		return diff == ""
	}
	shared := 0
	for i, id := range two.ids {
		if raw, ok := items[id]; ok && same(raw, two.items[i]) {
			shared++
		}
	}
	if shared > 0 && shared == len(one.ids) && shared == len(two.ids) {
		t.Fatalf(two.pageOf(0), "both keys see the same %d users: are the two keys of the same FI? --api-key-2 must be another FI's", shared)
	}
	for i, id := range two.ids {
		if raw, ok := items[id]; ok && same(raw, two.items[i]) {
			t.Errorf(two.pageOf(i), "user %q appears, identical, in both FIs' lists", id)
		}
	}
	lookups := func(from, to Cred, ids []string, items []json.RawMessage) {
		step := max(1, len(ids)/tenantProbes)
		for i := 0; i < len(ids); i += step {
			id := ids[i]
			ex := t.Get(Request{Path: users.detail(id), Cred: to})
			if ex.Status == http.StatusOK && same(items[i], ex.Body) {
				t.Errorf(ex, "user %q of %s is visible by detail with %s", id, fiName(from), fiName(to))
			} else if ex.Status != http.StatusOK && ex.Status != http.StatusNotFound {
				t.Errorf(ex, "detail of another FI's user %q answers %d, want 404", id, ex.Status)
			}
			fex, fp := t.List(users, to, q("user_account_id", id))
			for _, raw := range fp.Items {
				if same(items[i], raw) {
					t.Errorf(fex, "user %q of %s is visible by the user_account_id filter with %s", id, fiName(from), fiName(to))
				}
			}
		}
	}
	lookups(CredPrimary, CredSecond, one.ids, one.items)
	lookups(CredSecond, CredPrimary, two.ids, two.items)
}

func fiName(c Cred) string {
	if c == CredSecond {
		return "the second key's FI"
	}
	return "the first key's FI"
}
