package contract

import (
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"time"
)

// sortKeys are the sort keys the user list accepts: the document's default (created_at) and
// the id, as FastAPI's validator lists them ("sort_key must be one of: created_at,
// user_account_id").
var sortKeys = []string{"created_at", "user_account_id"}

var orderingChecks = []Check{
	{Name: "ordering/reverse-created_at", Family: "ordering",
		Description: "sort_key=created_at: asc is the exact reverse of desc (ties broken by user_account_id in the same direction), within the run's fixed window",
		run:         func(t *T) { orderingReverse(t, t.run.users, q("sort_key", "created_at"), shareUserReverse) }},
	{Name: "ordering/reverse-user_account_id", Family: "ordering",
		Description: "sort_key=user_account_id: asc is the exact reverse of desc, within the run's fixed window",
		run:         func(t *T) { orderingReverse(t, t.run.users, q("sort_key", "user_account_id"), shareUserReverse) }},
	{Name: "ordering/default", Family: "ordering",
		Description: "with no sort parameters the order is the document's default (sort_key=created_at, sort_order=desc), within the run's fixed window",
		run:         func(t *T) { orderingDefault(t, t.run.users) }},
}

// orderingReverse walks res's list (with sortBy) in both directions and demands that one be
// the other reversed: ties broken by the id in the same direction, a total order.
func orderingReverse(t *T, res *resource, sortBy url.Values, share float64) {
	label := orAll(sortBy)
	_, first := t.List(res, CredPrimary, t.scope(res, with(sortBy, "per_page", "1")))
	total := first.TotalRecords
	if total == 0 {
		t.Skipf("no %s in the run's window to order", res.noun)
	}
	allowance := int64(t.Allowance(share))
	if 2*walkCost(total, 100) <= allowance {
		asc := walk(t, res, CredPrimary, with(sortBy, "sort_order", "asc"), 100, 0)
		desc := walk(t, res, CredPrimary, with(sortBy, "sort_order", "desc"), 100, 0)
		t.checkSorted(res, asc, "asc")
		t.checkSorted(res, desc, "desc")
		slices.Reverse(desc.ids)
		if i := firstMismatch(asc.ids, desc.ids); i >= 0 {
			t.Errorf(asc.pageOf(i), "%s: asc differs from reversed desc at position %d of %d (%s vs %s): ties are not broken the same way in both directions, or the order is not total",
				label, i, len(asc.ids), at(asc.ids, i), at(desc.ids, i))
		}
		return
	}
	// Too many to list twice: the first 100 of one order must be the last 100 of the other,
	// reversed, at both ends.
	n := min(int64(100), total)
	t.Sampled("compared the first and last %d of %d %ss in each direction, not the whole list (%d requests allowed)", n, total, res.noun, allowance)
	for _, head := range []string{"asc", "desc"} {
		tail := "desc"
		if head == "desc" {
			tail = "asc"
		}
		hex, hp := t.List(res, CredPrimary, t.scope(res, with(sortBy, "sort_order", head, "per_page", itoa(n))))
		ex, tp := t.List(res, CredPrimary, t.scope(res, with(sortBy, "sort_order", tail, "per_page", itoa(n), "last_record_number", itoa(total-n))))
		h, err1 := res.ids(hp)
		tl, err2 := res.ids(tp)
		if err1 != nil || err2 != nil {
			t.Fatalf(ex, "items without ids")
		}
		t.checkSorted(res, walked{ids: h, items: hp.Items, pages: []*Exchange{hex}, starts: []int{0}}, head)
		slices.Reverse(tl)
		if i := firstMismatch(h, tl); i >= 0 {
			t.Errorf(ex, "%s: the first %d in %s order are not the last %d in %s order reversed (position %d: %s vs %s)", label, n, head, n, tail, i, at(h, i), at(tl, i))
		}
	}
}

// checkSorted checks, where records show their time field (orders' placed_at), that w is in
// that field's order in direction dir, ties broken by the id in the same direction. A record
// shows its time to the second while the order follows the exact instant, so two records
// showing the same second may be in either id order; when they are not in dir's id order their
// exact instants are found by bisection (a few times at most), and only a true tie out of id
// order fails. Users do not show created_at: orderingReverse's comparison of the two
// directions is what checks them.
func (t *T) checkSorted(res *resource, w walked, dir string) {
	if !res.timeShown {
		return
	}
	confirmations := 2
	var prev json.RawMessage
	prevAt, prevID := "", ""
	for i, raw := range w.items {
		at, id, err := res.timeAndID(raw)
		if err != nil {
			t.Errorf(w.pageOf(i), "%v", err)
			return
		}
		if i > 0 {
			c := compareInstant(prevAt, at)
			if dir == "desc" {
				c = -c
			}
			switch {
			case c > 0:
				t.Errorf(w.pageOf(i), "sort_order=%s: %s %q (%s %s) comes after %q (%s %s): not in %s order of %s",
					dir, res.noun, id, res.timeField, at, prevID, res.timeField, prevAt, dir, res.timeField)
				return
			case c == 0 && !inIDOrder(prevID, id, dir) && confirmations > 0:
				confirmations--
				if t.sameInstant(res, prev, raw) {
					t.Errorf(w.pageOf(i), "sort_order=%s: %s %q and %q have the same %s (%s, found by bisection) but are not in %s order of %s: ties must be broken by %s in the same direction",
						dir, res.noun, prevID, id, res.timeField, at, dir, res.idField, res.idField)
					return
				}
			}
		}
		prev, prevAt, prevID = raw, at, id
	}
}

// inIDOrder reports whether id a may come before id b in direction dir.
func inIDOrder(a, b, dir string) bool {
	if dir == "desc" {
		return a > b
	}
	return a < b
}

// sameInstant finds the exact time of two records by bisection and reports whether it is the
// same.
func (t *T) sameInstant(res *resource, a, b json.RawMessage) bool {
	pa, errA := res.probeFor(a)
	pb, errB := res.probeFor(b)
	if errA != nil || errB != nil {
		return false
	}
	return t.bisect(res, pa, time.Microsecond).Equal(t.bisect(res, pb, time.Microsecond))
}

// compareInstant compares two date-times, by instant when both parse and as text otherwise.
func compareInstant(a, b string) int {
	ta, errA := time.Parse(time.RFC3339Nano, a)
	tb, errB := time.Parse(time.RFC3339Nano, b)
	if errA != nil || errB != nil {
		return strings.Compare(a, b)
	}
	return ta.Compare(tb)
}

func orderingDefault(t *T, res *resource) {
	scope := t.scope(res, q("per_page", "100"))
	explicit := with(scope)
	for _, name := range []string{"sort_key", "sort_order"} {
		if p, ok := res.param(name); ok && p.HasDefault {
			explicit.Set(name, p.Default)
		}
	}
	ex1 := t.Get(Request{Path: res.list, Query: scope.Encode(), Cred: CredPrimary})
	ex2 := t.Get(Request{Path: res.list, Query: explicit.Encode(), Cred: CredPrimary})
	t.sameAnswer(res, ex1, ex2, "the default order is not "+explicit.Encode())
}
