package engine

import (
	"slices"

	"github.com/cryptofi/partner-mock/mock/internal/query"
)

// View is a Table with changes on top: records removed from it and records added after it was
// built (the admin API's edits). A view is immutable; Change returns a new one, so readers of
// the old view are never disturbed, and a change costs a copy of one bitmap per ranking, not a
// rebuild. A view without changes answers exactly as fast as its table.
type View struct {
	t   *Table
	src Source
	// gone marks the removed positions of the table; nil when none is.
	gone bitmap
	// alive holds, per ranking, the ranks not removed; nil when none is.
	alive []bitmap
	// removedRanks holds, per ranking, the ranks removed, ascending: few, so a query whose one
	// set would be alive counts around them instead of scanning it (removedCounts).
	removedRanks [][]int32
	// added are the positions (at or past the table's Len) of records added since the table
	// was built and not removed since, ascending.
	added []int32
}

// Base returns the view of the table as built.
func (t *Table) Base() *View { return t.base }

// Table returns the table under the view.
func (v *View) Table() *Table { return v.t }

// Source returns the view's records: the table's positions and the added ones.
func (v *View) Source() Source { return v.src }

// Removed reports whether the view has removed record p (a table record, or an added one).
func (v *View) Removed(p int32) bool {
	if int(p) >= v.t.n {
		_, found := slices.BinarySearch(v.added, p)
		return !found
	}
	return v.gone != nil && v.gone[p>>6]&(1<<(uint(p)&63)) != 0
}

// Changed reports whether the view differs from its table.
func (v *View) Changed() bool { return v.gone != nil || len(v.added) > 0 }

// Change returns a view over src (which holds every record of v's source, and the added ones
// past them) with the records at positions removed and those at added added. Removing an added
// record forgets it; a table record stays removed.
func (v *View) Change(src Source, removed, added []int32) *View {
	t := v.t
	nv := &View{t: t, src: src, gone: v.gone, alive: v.alive, removedRanks: v.removedRanks, added: slices.Clone(v.added)}
	var base []int32
	for _, p := range removed {
		if int(p) >= t.n {
			nv.added = slices.DeleteFunc(nv.added, func(a int32) bool { return a == p })
		} else if !nv.Removed(p) {
			base = append(base, p)
		}
	}
	if len(base) > 0 {
		if nv.gone == nil {
			nv.gone = newBitmap(t.n)
			nv.alive = make([]bitmap, len(t.rankings))
			nv.removedRanks = make([][]int32, len(t.rankings))
			for k := range t.rankings {
				nv.alive[k] = allRanks(t.n)
			}
		} else {
			nv.gone = slices.Clone(nv.gone)
			nv.removedRanks = slices.Clone(nv.removedRanks)
			for k := range nv.alive {
				nv.alive[k] = slices.Clone(nv.alive[k])
			}
		}
		for k := range nv.removedRanks {
			nv.removedRanks[k] = slices.Clip(nv.removedRanks[k]) // appends below copy, never share
		}
		for _, p := range base {
			nv.gone.set(int(p))
			for k, rk := range t.rankings {
				r := rk.rankOf(p)
				nv.alive[k][r>>6] &^= 1 << (uint(r) & 63)
				i, _ := slices.BinarySearch(nv.removedRanks[k], r)
				nv.removedRanks[k] = slices.Insert(nv.removedRanks[k], i, r)
			}
		}
	}
	for _, p := range added {
		if i, found := slices.BinarySearch(nv.added, p); int(p) >= t.n && !found {
			nv.added = slices.Insert(nv.added, i, p)
		}
	}
	return nv
}

// allRanks returns a bitmap of n ranks, all set.
func allRanks(n int) bitmap {
	b := newBitmap(n)
	for i := range b {
		b[i] = ^uint64(0)
	}
	if n%64 != 0 {
		b[len(b)-1] = ^uint64(0) >> (64 - uint(n%64))
	}
	return b
}

// rankOf returns the rank of position p in the ranking, found once per ranking and kept.
func (rk *ranking) rankOf(p int32) int32 {
	rk.rankOnce.Do(func() {
		rk.ranks = make([]int32, len(rk.pos))
		for r, q := range rk.pos {
			rk.ranks[q] = int32(r)
		}
	})
	return rk.ranks[p]
}

// aliveIn returns the ranks of q's ranking the view has not removed, or nil when it removed
// none.
func (v *View) aliveIn(q *query.Query) bitmap {
	if v.alive == nil {
		return nil
	}
	return v.alive[slices.Index(v.t.rankings, v.t.ranking(q))]
}

// compare orders records a and b of the view as ranking rk does: by time key then id, or by id.
func (v *View) compare(rk *ranking, a, b int32) int {
	if rk.mask == nil {
		ta, tb := v.src.Time(a), v.src.Time(b)
		switch {
		case ta < tb:
			return -1
		case ta > tb:
			return 1
		}
	}
	return v.src.CompareID(a, b)
}
