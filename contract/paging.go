package contract

import (
	"fmt"
	"net/url"
)

// pagingChecks are the paging checks of res's list.
func pagingChecks(pick func(*T) *resource, noun, family string, walkShare, filteredShare float64) []Check {
	return []Check{
		{Name: family + "/walk", Family: family,
			Description: "walking every page with the returned cursor at several per_page values visits each " + noun + " exactly once, as many as total_records, in the same order (within the run's fixed window, which no new record enters)",
			run: func(t *T) {
				res := pick(t)
				pagingWalk(t, res, q(), walkShare)
			}},
		{Name: family + "/filtered-walk", Family: family,
			Description: "the same for a filtered list (the product with the fewest " + noun + "s): each match once, total_records agrees, same order at every page size",
			run: func(t *T) {
				res := pick(t)
				pagingWalk(t, res, smallestProduct(t, res), filteredShare)
			}},
	}
}

// pagingPerPage are the page sizes walked: the maximum, and two that divide nothing evenly.
var pagingPerPage = []int64{100, 37, 7}

func pagingWalk(t *T, res *resource, filter url.Values, share float64) {
	_, first := t.List(res, CredPrimary, with(t.scope(res, filter), "per_page", "1"))
	total := first.TotalRecords
	if total == 0 {
		t.Skipf("no %s matches %s in the run's window: nothing to walk", res.noun, orAll(filter))
	}
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
		// At least a few pages at each size: a walk shorter than that shows little.
		limit = max(20, int64(float64(allowance-3*int64(len(pagingPerPage)))/perItem))
		t.Sampled("walked the first %d of %d matches at each per_page and the last pages, not all %d (a full walk needs %d requests, %d allowed)", limit, total, total, cost, allowance)
	}
	var want []string
	for _, p := range pagingPerPage {
		w := walk(t, res, CredPrimary, filter, p, limit)
		label := fmt.Sprintf("per_page=%d %s", p, filter.Encode())
		if dup := duplicates(w.ids); len(dup) > 0 {
			t.Errorf(w.pageOf(0), "%s: walking visits %d %s(s) twice, e.g. %q", label, len(dup), res.noun, dup[0])
		}
		if w.complete && int64(len(w.ids)) != w.total {
			t.Errorf(w.pageOf(0), "%s: walking visits %d %ss but total_records is %d", label, len(w.ids), res.noun, w.total)
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
			pagingTail(t, res, filter, total, p)
		}
	}
}

// pagingTail checks the end of a walk too big to do whole: the last page holds the remainder
// and the page after it is empty.
func pagingTail(t *T, res *resource, filter url.Values, total, perPage int64) {
	filter = t.scope(res, filter)
	last := (total - 1) / perPage * perPage
	ex, p := t.List(res, CredPrimary, with(filter, "per_page", itoa(perPage), "last_record_number", itoa(last)))
	if int64(len(p.Items)) != total-last {
		t.Errorf(ex, "the last page (cursor %d, per_page=%d, total_records %d) holds %d items, want %d", last, perPage, total, len(p.Items), total-last)
	}
	ex, p = t.List(res, CredPrimary, with(filter, "per_page", itoa(perPage), "last_record_number", itoa(p.LastRecordNumber)))
	if len(p.Items) != 0 {
		t.Errorf(ex, "the page after the last one holds %d items, want none", len(p.Items))
	}
}

// smallestProduct returns the product filter with the fewest (but some) matches in the run's
// window.
func smallestProduct(t *T, res *resource) url.Values {
	var best url.Values
	var bestTotal int64 = -1
	for _, prod := range res.enum("product") {
		f := q("product", prod)
		_, p := t.List(res, CredPrimary, with(t.scope(res, f), "per_page", "1"))
		if p.TotalRecords > 0 && (bestTotal < 0 || p.TotalRecords < bestTotal) {
			best, bestTotal = f, p.TotalRecords
		}
	}
	if best == nil {
		t.Skipf("no product has any %s in the run's window", res.noun)
	}
	return best
}

// orAll describes a filter for messages.
func orAll(filter url.Values) string {
	if len(filter) == 0 {
		return "the unfiltered list"
	}
	return filter.Encode()
}

func at(ids []string, i int) string {
	if i < len(ids) {
		return fmt.Sprintf("%q", ids[i])
	}
	return "the end"
}
