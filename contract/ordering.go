package contract

import (
	"slices"
)

// sortKeys are the sort keys the API accepts: the document's default (created_at) and the id,
// as FastAPI's validator lists them ("sort_key must be one of: created_at, user_account_id").
var sortKeys = []string{"created_at", "user_account_id"}

var orderingChecks = []Check{
	{Name: "ordering/reverse-created_at", Family: "ordering",
		Description: "sort_key=created_at: asc is the exact reverse of desc (ties broken by user_account_id in the same direction)",
		run:         func(t *T) { orderingReverse(t, "created_at") }},
	{Name: "ordering/reverse-user_account_id", Family: "ordering",
		Description: "sort_key=user_account_id: asc is the exact reverse of desc",
		run:         func(t *T) { orderingReverse(t, "user_account_id") }},
	{Name: "ordering/default", Family: "ordering",
		Description: "with no sort parameters the order is the document's default (sort_key=created_at, sort_order=desc)",
		run:         orderingDefault},
}

func orderingReverse(t *T, key string) {
	total := t.run.population
	allowance := int64(t.Allowance(0.08))
	if 2*walkCost(total, 100) <= allowance {
		asc := walk(t, CredPrimary, q("sort_key", key, "sort_order", "asc"), 100, 0)
		desc := walk(t, CredPrimary, q("sort_key", key, "sort_order", "desc"), 100, 0)
		slices.Reverse(desc.ids)
		if i := firstMismatch(asc.ids, desc.ids); i >= 0 {
			t.Errorf(asc.pageOf(i), "sort_key=%s: asc differs from reversed desc at position %d of %d (%s vs %s): ties are not broken the same way in both directions, or the order is not total",
				key, i, len(asc.ids), at(asc.ids, i), at(desc.ids, i))
		}
		return
	}
	// Too many users to list twice: the first 100 of one order must be the last 100 of the
	// other, reversed, at both ends.
	n := min(int64(100), total)
	t.Sampled("compared the first and last %d of %d users in each direction, not the whole list (%d requests allowed)", n, total, allowance)
	for _, head := range []string{"asc", "desc"} {
		tail := "desc"
		if head == "desc" {
			tail = "asc"
		}
		_, hp := t.List(t.run.users, CredPrimary, q("sort_key", key, "sort_order", head, "per_page", itoa(n)))
		ex, tp := t.List(t.run.users, CredPrimary, q("sort_key", key, "sort_order", tail, "per_page", itoa(n), "last_record_number", itoa(total-n)))
		h, err1 := hp.ids()
		tl, err2 := tp.ids()
		if err1 != nil || err2 != nil {
			t.Fatalf(ex, "items without ids")
		}
		slices.Reverse(tl)
		if i := firstMismatch(h, tl); i >= 0 {
			t.Errorf(ex, "sort_key=%s: the first %d in %s order are not the last %d in %s order reversed (position %d: %s vs %s)", key, n, head, n, tail, i, at(h, i), at(tl, i))
		}
	}
}

func orderingDefault(t *T) {
	ex1 := t.Get(Request{Path: "/users/", Query: "per_page=100", Cred: CredPrimary})
	ex2 := t.Get(Request{Path: "/users/", Query: "per_page=100&sort_key=created_at&sort_order=desc", Cred: CredPrimary})
	if string(ex1.Body) != string(ex2.Body) {
		t.Errorf(ex1, "the default order is not sort_key=created_at, sort_order=desc: %s", firstDiff(ex1.Body, ex2.Body))
	}
}
