package contract

import (
	"fmt"
	"net/url"
)

var pagingChecks = []Check{
	{Name: "paging/walk", Family: "paging",
		Description: "walking every page with the returned cursor at several per_page values visits each user exactly once, as many as total_records, in the same order",
		run: func(t *T) {
			pagingWalk(t, q(), t.run.population, 0.45)
		}},
	{Name: "paging/filtered-walk", Family: "paging",
		Description: "the same for a filtered list (the product with the fewest users): each match once, total_records agrees, same order at every page size",
		run: func(t *T) {
			filter, total := smallestProduct(t)
			pagingWalk(t, filter, total, 0.15)
		}},
}

// pagingPerPage are the page sizes walked: the maximum, and two that divide nothing evenly.
var pagingPerPage = []int64{100, 37, 7}

func pagingWalk(t *T, filter url.Values, total int64, share float64) {
	allowance := int64(t.Allowance(share))
	var cost int64
	for _, p := range pagingPerPage {
		cost += walkCost(total, p)
	}
	limit := int64(0)
	if cost > allowance {
		// Walk a prefix of the same length at every size, leaving room for the tail pages.
		perItem := 0.0
		for _, p := range pagingPerPage {
			perItem += 1 / float64(p)
		}
		limit = int64(float64(allowance-3*int64(len(pagingPerPage))) / perItem)
		if limit < 20 {
			t.Skipf("walking needs about %d requests, only %d are allowed; raise --max-requests", cost, allowance)
		}
		t.Sampled("walked the first %d of %d matches at each per_page and the last pages, not all %d (a full walk needs %d requests, %d allowed)", limit, total, total, cost, allowance)
	}
	var want []string
	for _, p := range pagingPerPage {
		w := walk(t, CredPrimary, filter, p, limit)
		label := fmt.Sprintf("per_page=%d %s", p, filter.Encode())
		if dup := duplicates(w.ids); len(dup) > 0 {
			t.Errorf(w.pageOf(0), "%s: walking visits %d user(s) twice, e.g. %q", label, len(dup), dup[0])
		}
		if w.complete && int64(len(w.ids)) != w.total {
			t.Errorf(w.pageOf(0), "%s: walking visits %d users but total_records is %d", label, len(w.ids), w.total)
		}
		got := w.ids
		if limit > 0 && int64(len(got)) > limit {
			got = got[:limit]
		}
		if want == nil {
			want = got
		} else if i := firstMismatch(want, got); i >= 0 {
			t.Errorf(w.pageOf(i), "%s: the order differs from per_page=%d at position %d (%s vs %s)", label, pagingPerPage[0], i, at(got, i), at(want, i))
		}
		if limit > 0 {
			pagingTail(t, filter, total, p)
		}
	}
}

// pagingTail checks the end of a walk too big to do whole: the last page holds the remainder
// and the page after it is empty.
func pagingTail(t *T, filter url.Values, total, perPage int64) {
	last := (total - 1) / perPage * perPage
	ex, p := t.List(t.run.users, CredPrimary, with(filter, "per_page", itoa(perPage), "last_record_number", itoa(last)))
	if int64(len(p.Items)) != total-last {
		t.Errorf(ex, "the last page (cursor %d, per_page=%d, total_records %d) holds %d items, want %d", last, perPage, total, len(p.Items), total-last)
	}
	ex, p = t.List(t.run.users, CredPrimary, with(filter, "per_page", itoa(perPage), "last_record_number", itoa(p.LastRecordNumber)))
	if len(p.Items) != 0 {
		t.Errorf(ex, "the page after the last one holds %d items, want none", len(p.Items))
	}
}

// smallestProduct returns the product filter with the fewest (but some) users, and its total.
func smallestProduct(t *T) (url.Values, int64) {
	var best url.Values
	var bestTotal int64 = -1
	for _, prod := range t.run.spec.Products {
		f := q("product", prod)
		_, p := t.List(t.run.users, CredPrimary, with(f, "per_page", "1"))
		if p.TotalRecords > 0 && (bestTotal < 0 || p.TotalRecords < bestTotal) {
			best, bestTotal = f, p.TotalRecords
		}
	}
	if best == nil {
		t.Skipf("no product has any user")
	}
	return best, bestTotal
}

func at(ids []string, i int) string {
	if i < len(ids) {
		return fmt.Sprintf("%q", ids[i])
	}
	return "the end"
}
