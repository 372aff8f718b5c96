package engine

import (
	"slices"

	"github.com/cryptofi/partner-mock/mock/internal/query"
)

// Find returns the number of records q keeps and appends the positions of the requested page,
// in page order, to into. It allocates nothing on its common paths.
func (t *Table) Find(q *query.Query, into []int32) (total int, page []int32) {
	return t.base.Find(q, into)
}

// Find returns the number of records q keeps in the view and appends the positions of the
// requested page, in page order, to into. Without changes it allocates nothing on its common
// paths; with added records it merges them into the table's scan (view.go).
func (v *View) Find(q *query.Query, into []int32) (total int, page []int32) {
	t := v.t
	page = into
	switch {
	case q.ID != nil:
		// An exact id matches at most one record: skip the scan.
		if p, ok := v.src.Position(*q.ID); ok && v.Match(p, q) {
			if q.Offset == 0 && q.Limit > 0 {
				page = append(page, p)
			}
			return 1, page
		}
		return 0, page
	case len(q.Groups) > 0:
		return v.findInGroup(q, page)
	}
	rk := t.ranking(q)
	var setsBuf [8]bitmap
	var countsBuf [8]int
	var doneBuf [8]func()
	sets, counts, done := setsBuf[:0], countsBuf[:0], doneBuf[:0]
	defer func() {
		for _, d := range done {
			d()
		}
	}()
	for i, c := range q.Conds {
		if c.Value == query.Present && t.impliedPresent(q, i) {
			continue
		}
		set, n, d, ok := t.condSet(rk, c, q.At)
		if !ok || n == 0 && len(v.added) == 0 {
			return 0, page
		}
		if d != nil {
			done = append(done, d)
		}
		// Sparsest first: most zero words are then known after one read.
		j := len(sets)
		sets, counts = append(sets, set), append(counts, n)
		for ; j > 0 && counts[j-1] > n; j-- {
			sets[j], sets[j-1] = sets[j-1], sets[j]
			counts[j], counts[j-1] = counts[j-1], counts[j]
		}
	}
	filtered := len(sets) > 0
	if alive := v.aliveIn(q); alive != nil {
		sets = append(sets, alive)
	}
	a, b := t.timeRanks(q)
	lo, hi := a, b
	if rk.mask != nil {
		lo, hi = 0, t.n
		if a > 0 || b < t.n {
			mask, d := t.rangeSet(rk, a, b, q.From == nil && q.Before == nil)
			if d != nil {
				done = append(done, d)
			}
			sets = append(sets, mask)
			filtered = true
		}
	}
	if v.Changed() {
		return v.merge(q, rk, v.counts(rk, sets, filtered, lo, hi), page)
	}
	if rk.mask != nil && (q.From != nil || q.Before != nil) && !v.Changed() {
		if total, page, ok := t.findInTimeRange(q, rk, sets, a, b, page); ok {
			return total, page
		}
	}
	if len(sets) > 0 && !v.Changed() && (rk.mask == nil || q.From == nil && q.Before == nil) {
		if ix := t.atomsFor(rk, q); ix != nil {
			var selBuf [1024]uint16
			first := len(page)
			if total, page, ok := ix.find(ix.selected(q, selBuf[:0]), sets, lo, hi, q, page); ok {
				for i, r := range page[first:] {
					page[first+i] = rk.pos[r]
				}
				return total, page
			}
		}
	}
	if len(sets) == 0 {
		// No filter left but the rank range: the page is a slice of the ranking.
		return max(hi-lo, 0), appendRanks(page, rk.pos, lo, hi, q)
	}
	s := scanner{sets: sets, lo: lo, hi: hi, desc: q.Desc, offset: q.Offset, limit: q.Limit}
	first := len(page)
	total, page = s.run(page)
	for i, r := range page[first:] {
		page[first+i] = rk.pos[r]
	}
	return total, page
}

func (t *Table) ranking(q *query.Query) *ranking {
	if q.Ranking > 0 && q.Ranking < len(t.rankings) {
		return t.rankings[q.Ranking]
	}
	return t.rankings[0]
}

// impliedPresent reports whether another condition of q on the same column keeps a value,
// which implies the Present condition i.
func (t *Table) impliedPresent(q *query.Query, i int) bool {
	for j, c := range q.Conds {
		if j != i && c.Column == q.Conds[i].Column && c.Value != query.Present {
			return true
		}
	}
	return false
}

// condSet returns the ranks of rk that c keeps at instant at. ok is false when c names a
// column or value the schema does not have.
func (t *Table) condSet(rk *ranking, c query.Cond, at int64) (set bitmap, n int, done func(), ok bool) {
	if c.Column < 0 || c.Column >= len(rk.cols) {
		return nil, 0, nil, false
	}
	col := rk.cols[c.Column]
	if c.Value == query.Present {
		return col.present, col.presentCount, nil, true
	}
	if c.Value < 0 || c.Value >= len(col.after) {
		return nil, 0, nil, false
	}
	ev := t.events[c.Column]
	set, n, done = col.valueSet(ev, c.Value, ev.epoch(at), &t.scratch)
	return set, n, done, true
}

// timeRanks returns the run [a, b) of time ranks that exist at q.At and fall in q's time range.
func (t *Table) timeRanks(q *query.Query) (a, b int) {
	b = t.existing(q.At)
	if q.From != nil {
		a = t.times.countBefore(*q.From)
	}
	if q.Before != nil {
		e := t.times.countBefore(*q.Before)
		b = min(b, e)
	}
	return a, max(a, b)
}

// existing returns the number of records that exist at instant at: those whose time key is at
// or before it.
func (t *Table) existing(at int64) int { return t.times.countUpTo(at) }

// rangeSet returns rk's ranks of time ranks [a, b). The set of existing records at the latest
// instant asked (a range from 0, no time filter) is cached: a frozen clock asks for it again
// and again.
func (t *Table) rangeSet(rk *ranking, a, b int, existingOnly bool) (bitmap, func()) {
	if existingOnly && a == 0 {
		if v := rk.visible.Load(); v != nil && v.b == b {
			return v.bits, nil
		}
	}
	bp := rk.mask.get(a, b)
	if existingOnly && a == 0 {
		rk.visible.Store(&visibleMask{b: b, bits: slices.Clone(*bp)})
	}
	return *bp, func() { rk.mask.put(bp) }
}

// findInGroup answers a query that names a group: the group's records are few (the orders of
// one user), so they are checked one by one, with the view's added records.
func (v *View) findInGroup(q *query.Query, page []int32) (int, []int32) {
	t := v.t
	var ranks []int32
	for _, g := range q.Groups {
		if g.Key < 0 || g.Key >= len(t.groups) {
			return 0, page
		}
		id, ok := v.src.GroupOf(g.Key, g.Value)
		if !ok {
			return 0, page
		}
		var list []int32
		if gi := &t.groups[g.Key]; int(id) < len(gi.start)-1 {
			list = gi.ranks[gi.start[id]:gi.start[id+1]]
		}
		if ranks == nil || len(list) < len(ranks) {
			ranks = list
		}
	}
	var matched []int32
	for _, r := range ranks {
		if p := t.rankings[0].pos[r]; v.Match(p, q) {
			matched = append(matched, p)
		}
	}
	rk := t.ranking(q)
	if len(v.added) > 0 {
		for _, p := range v.added {
			if v.Match(p, q) {
				matched = append(matched, p)
			}
		}
		slices.SortFunc(matched, func(a, b int32) int { return v.compare(rk, a, b) })
	} else if rk != t.rankings[0] {
		slices.SortFunc(matched, v.src.CompareID)
	}
	if q.Desc {
		slices.Reverse(matched)
	}
	total := len(matched)
	if q.Offset < int64(total) && q.Limit > 0 {
		page = append(page, matched[q.Offset:min(int64(total), q.Offset+int64(q.Limit))]...)
	}
	return total, page
}

// appendRanks appends the positions of the page of the whole rank run [lo, hi) of pos.
func appendRanks(page []int32, pos []int32, lo, hi int, q *query.Query) []int32 {
	n := int64(hi - lo)
	if q.Offset >= n || q.Limit <= 0 {
		return page
	}
	for j := range min(int64(q.Limit), n-q.Offset) {
		r := lo + int(q.Offset+j)
		if q.Desc {
			r = hi - 1 - int(q.Offset+j)
		}
		page = append(page, pos[r])
	}
	return page
}
