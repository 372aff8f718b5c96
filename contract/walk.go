package contract

import (
	"encoding/json"
	"net/url"
)

// walked is what following the cursor produced.
type walked struct {
	ids   []string
	items []json.RawMessage
	// total is total_records of the first page.
	total int64
	// complete is true when the walk reached the empty page past the end.
	complete bool
	// pages are the exchanges of the walk and starts the position of each page's first item.
	pages  []*Exchange
	starts []int
}

// pageOf returns the exchange that returned position i (the last page when i is past the end).
func (w walked) pageOf(i int) *Exchange {
	if len(w.pages) == 0 {
		return nil
	}
	for k := len(w.starts) - 1; k >= 0; k-- {
		if i >= w.starts[k] {
			return w.pages[k]
		}
	}
	return w.pages[0]
}

// walk follows last_record_number from cursor 0 at perPage, the way a partner pages, through
// res's list filtered by filter and limited to the run's window (so no record enters the list
// while it is walked), until a page comes back empty or limit items were seen. Besides the envelope every answer gets, the
// walk checks that total_records never changes and that no item comes back twice.
func walk(t *T, res *resource, cred Cred, filter url.Values, perPage, limit int64) walked {
	var w walked
	var cursor int64
	seen := map[string]int{}
	filter = t.scope(res, filter)
	for pages := 0; ; pages++ {
		ex, p := t.List(res, cred, with(filter, "per_page", itoa(perPage), "last_record_number", itoa(cursor)))
		w.pages = append(w.pages, ex)
		w.starts = append(w.starts, len(w.ids))
		if pages == 0 {
			w.total = p.TotalRecords
		} else if p.TotalRecords != w.total {
			t.Errorf(ex, "total_records changed from %d to %d while paging (per_page=%d, cursor %d)", w.total, p.TotalRecords, perPage, cursor)
		}
		ids, err := res.ids(p)
		if err != nil {
			t.Fatalf(ex, "%v", err)
		}
		// The page's own envelope (per_page, item count, cursor arithmetic, past the end)
		// was checked as it arrived, by T.Get.
		if len(p.Items) == 0 {
			w.complete = true
			return w
		}
		for _, id := range ids {
			if first, ok := seen[id]; ok {
				t.Errorf(ex, "per_page=%d: %s %q is returned twice, at positions %d and %d: the cursor does not count what it returned", perPage, res.noun, id, first, len(w.ids))
			} else {
				seen[id] = len(w.ids)
			}
			w.ids = append(w.ids, id)
		}
		w.items = append(w.items, p.Items...)
		if p.LastRecordNumber <= cursor {
			t.Errorf(ex, "the cursor does not advance (%d -> %d): a partner paging this way loops forever", cursor, p.LastRecordNumber)
			return w
		}
		cursor = p.LastRecordNumber
		if limit > 0 && int64(len(w.ids)) >= limit {
			return w
		}
		if int64(pages) > w.total+2 {
			t.Fatalf(ex, "more pages than total_records %d: the walk does not end", w.total)
		}
	}
}

// walkCost is the number of requests a complete walk of total matches at perPage takes.
func walkCost(total, perPage int64) int64 {
	return (total+perPage-1)/perPage + 1
}

// duplicates returns the ids that occur more than once.
func duplicates(ids []string) []string {
	seen := map[string]int{}
	var dup []string
	for _, id := range ids {
		seen[id]++
		if seen[id] == 2 {
			dup = append(dup, id)
		}
	}
	return dup
}

// firstMismatch returns the first index where a and b differ, or -1.
func firstMismatch(a, b []string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	if len(a) != len(b) {
		return min(len(a), len(b))
	}
	return -1
}
