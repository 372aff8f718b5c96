package engine

import (
	"math/bits"
	"slices"

	"github.com/cryptofi/partner-mock/mock/internal/query"
)

// matches are the table's matches of a query in a range of one ranking's ranks, counted:
// rangeCounts scans the query's sets once, removedCounts counts around the view's removed
// ranks when nothing else filters.
type matches interface {
	// count returns the number of matches.
	count() int
	// before returns the number of matches below rank r, for r in the range or at its ends.
	before(r int) int
	// page returns the positions (through pos, the ranking's rank -> position) of the matches
	// with ascending indexes [from, to).
	page(pos []int32, from, to int) []int32
}

// counts returns the table's matches over ranks [lo, hi) of rk: the ranks set in every one of
// sets, where filtered says whether any set but the view's alive one is there.
func (v *View) counts(rk *ranking, sets []bitmap, filtered bool, lo, hi int) matches {
	if !filtered {
		var removed []int32
		if v.removedRanks != nil {
			removed = v.removedRanks[slices.Index(v.t.rankings, rk)]
		}
		return newRemovedCounts(removed, lo, hi)
	}
	return newRangeCounts(sets, lo, hi)
}

// merge answers a query of a changed view: the table's matches are counted (matches), the
// added records' come from Match, and each added match goes where its key puts it among the
// table's. It works in ascending order and reverses a descending page at the end.
//
// It reads the range once at most, however many records were added: the number of the table's
// matches before each added one, the total and the page all come from one count, so a view
// with changes answers about as fast as its table.
func (v *View) merge(q *query.Query, rk *ranking, counts matches, page []int32) (int, []int32) {
	var extra []int32
	for _, p := range v.added {
		if v.Match(p, q) {
			extra = append(extra, p)
		}
	}
	slices.SortFunc(extra, func(a, b int32) int { return v.compare(rk, a, b) })
	// at[j] is the ascending index of extra[j] among all matches: the table's matches before it,
	// plus the added ones before it.
	at := make([]int, len(extra))
	for j, p := range extra {
		r, _ := slices.BinarySearchFunc(rk.pos, p, func(q, p int32) int { return v.compare(rk, q, p) })
		at[j] = counts.before(r) + j
	}
	total := counts.count() + len(extra)
	if q.Limit <= 0 || q.Offset >= int64(total) {
		return total, page
	}
	s, e := int(q.Offset), min(total, int(q.Offset)+q.Limit)
	if q.Desc {
		s, e = total-e, total-int(q.Offset)
	}
	before := func(i int) int { // added matches at ascending indexes below i
		n, _ := slices.BinarySearch(at, i)
		return n
	}
	fromTable := counts.page(rk.pos, s-before(s), e-before(e))
	first := len(page)
	j := before(s)
	for i := s; i < e; i++ {
		if j < len(at) && at[j] == i {
			page = append(page, extra[j])
			j++
			continue
		}
		page = append(page, fromTable[0])
		fromTable = fromTable[1:]
	}
	if q.Desc {
		slices.Reverse(page[first:])
	}
	return total, page
}

// rangeCounts counts the ranks of [lo, hi) set in every bitmap of sets (all of them when sets
// is empty), once per block of blockWords words, and answers from those counts how many lie
// before a rank and which are the k-th to the m-th, rereading one block or a few. It is a
// matches.
type rangeCounts struct {
	s      scanner
	first  int   // the range's first word
	prefix []int // prefix[b] is the count of the blocks before block b
	total  int
}

func newRangeCounts(sets []bitmap, lo, hi int) *rangeCounts {
	c := &rangeCounts{s: scanner{sets: sets, lo: lo, hi: hi}, first: lo >> 6}
	if hi <= lo || len(sets) == 0 {
		c.total = max(hi-lo, 0)
		return c
	}
	first, last := lo>>6, (hi-1)>>6
	nblocks := (last-first)/blockWords + 1
	c.prefix = make([]int, nblocks+1)
	for b := range nblocks {
		from := first + b*blockWords
		to := min(from+blockWords, last+1)
		n := andCount(sets, from, to)
		// The range's edge words count only their bits inside [lo, hi).
		if from == first {
			n -= bits.OnesCount64(c.s.word(first) &^ c.s.mask(first))
		}
		if to == last+1 && last != first {
			n -= bits.OnesCount64(c.s.word(last) &^ c.s.mask(last))
		}
		c.prefix[b+1] = c.prefix[b] + n
	}
	c.total = c.prefix[nblocks]
	return c
}

func (c *rangeCounts) count() int { return c.total }

// before returns the number of counted ranks below r (clamped to [lo, hi]).
func (c *rangeCounts) before(r int) int {
	lo, hi := c.s.lo, c.s.hi
	switch {
	case r <= lo:
		return 0
	case r >= hi:
		return c.total
	case len(c.s.sets) == 0:
		return r - lo
	}
	wr := r >> 6
	b := (wr - c.first) / blockWords
	n := c.prefix[b]
	for wi := c.first + b*blockWords; wi < wr; wi++ {
		n += bits.OnesCount64(c.s.word(wi) & c.s.mask(wi))
	}
	below := uint64(1)<<(uint(r)&63) - 1
	return n + bits.OnesCount64(c.s.word(wr)&c.s.mask(wr)&below)
}

// page returns the positions (through pos, a ranking's rank -> position) of the counted ranks
// with ascending indexes [from, to).
func (c *rangeCounts) page(pos []int32, from, to int) []int32 {
	if to <= from {
		return nil
	}
	out := make([]int32, 0, to-from)
	if len(c.s.sets) == 0 {
		return append(out, pos[c.s.lo+from:c.s.lo+to]...)
	}
	// The first block holding index from, then its words in order.
	b, _ := slices.BinarySearchFunc(c.prefix[1:], from, func(p, i int) int {
		if p <= i {
			return -1
		}
		return 1
	})
	skip := from - c.prefix[b]
	last := (c.s.hi - 1) >> 6
	for wi := c.first + b*blockWords; wi <= last && len(out) < to-from; wi++ {
		w := c.s.word(wi) & c.s.mask(wi)
		if n := bits.OnesCount64(w); skip >= n {
			skip -= n
			continue
		}
		for w != 0 && len(out) < to-from {
			bit := bits.TrailingZeros64(w)
			w &^= 1 << uint(bit)
			if skip > 0 {
				skip--
				continue
			}
			out = append(out, pos[wi<<6+bit])
		}
	}
	return out
}

// removedCounts are the ranks of [lo, hi) but the removed ones: found by counting around those,
// which are few, without reading a bitmap. It is a matches.
type removedCounts struct {
	removed []int32 // the removed ranks in [lo, hi), ascending
	lo, hi  int
}

func newRemovedCounts(removed []int32, lo, hi int) *removedCounts {
	hi = max(hi, lo)
	i, _ := slices.BinarySearch(removed, int32(lo))
	j, _ := slices.BinarySearch(removed, int32(hi))
	return &removedCounts{removed: removed[i:j], lo: lo, hi: hi}
}

func (c *removedCounts) count() int { return c.hi - c.lo - len(c.removed) }

func (c *removedCounts) before(r int) int {
	r = min(max(r, c.lo), c.hi)
	n, _ := slices.BinarySearch(c.removed, int32(r))
	return r - c.lo - n
}

func (c *removedCounts) page(pos []int32, from, to int) []int32 {
	if to <= from {
		return nil
	}
	out := make([]int32, 0, to-from)
	// The from-th rank not removed: each removed rank at or below the candidate moves it on.
	x, j := c.lo+from, 0
	for j < len(c.removed) && int(c.removed[j]) <= x {
		x++
		j++
	}
	for ; len(out) < to-from; x++ {
		if j < len(c.removed) && int(c.removed[j]) == x {
			j++
			continue
		}
		out = append(out, pos[x])
	}
	return out
}
