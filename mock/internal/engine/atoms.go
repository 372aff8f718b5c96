package engine

import (
	"math/bits"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cryptofi/partner-mock/mock/internal/query"
)

// A list query's total counts every match, which a scan does by reading every word of every
// condition's bitmap: at five million orders that is 83,000 words a bitmap, tens of
// microseconds for two or three filters. The atom counts answer the total, and find the page,
// without reading them.
//
// An atom is one combination of the columns' values (no value included) at one instant: each
// record is in exactly one, and a query's conditions keep a set of atoms (a product and a
// status keep every atom with that product and that status, whatever the other columns hold).
// For each block of atomBlock ranks of a ranking, the index counts the records of each atom
// that exist at the instant, cumulatively. The matches in whole blocks are then sums over the
// kept atoms; only the two part blocks at the range's ends are scanned, and the page is found
// by a binary search over the blocks and a scan of the words that hold it. A deep page costs
// what the first costs.
//
// The index describes one instant's state: a query uses it when the columns it filters on are
// in the same state (same epoch) and, in a ranking that is not the time key's, the same
// records exist. Otherwise the query scans, exactly as it would without the index, and asks for
// an index at its own instant, built in the background.

const (
	atomBlockShift = 12
	atomBlock      = 1 << atomBlockShift
	// maxAtoms bounds the combinations: a schema with more scans.
	maxAtoms = 1 << 12
	// atomRebuildEvery is the least time between two background builds of one ranking's index,
	// so a fast live clock does not keep a core building them.
	atomRebuildEvery = 2 * time.Second
)

// atoms is one ranking's atom counts at one instant.
type atoms struct {
	// epochs holds each column's epoch (events.epoch) the counts describe.
	epochs []int
	// existing is the number of time ranks that exist, for a ranking with a mask; -1 for the
	// time ranking, where existence is the range of ranks a query reads.
	existing int
	// strides, radix: atom = sum over columns of value * strides[c], with value in
	// [0, radix[c]): 0 is no value.
	strides, radix []int
	n              int
	// cum[b*n+a] counts the records of atom a in the blocks before block b.
	cum []uint32
}

// atomState is a ranking's index and its background builds.
type atomState struct {
	idx      atomic.Pointer[atoms]
	building atomic.Bool
	mu       sync.Mutex
	last     time.Time
}

// atomLayout returns the strides of t's atoms, or false when there are too many.
func (t *Table) atomLayout() (strides, radix []int, n int, ok bool) {
	n = 1
	for _, c := range t.schema.Columns {
		strides = append(strides, n)
		radix = append(radix, len(c.Values)+1)
		n *= len(c.Values) + 1
		if n > maxAtoms {
			return nil, nil, 0, false
		}
	}
	return strides, radix, n, true
}

// buildAtoms counts rk's atoms at instant at.
func (t *Table) buildAtoms(rk *ranking, at int64) *atoms {
	strides, radix, n, ok := t.atomLayout()
	if !ok {
		return nil
	}
	ix := &atoms{strides: strides, radix: radix, n: n, existing: -1, epochs: make([]int, len(t.events))}
	for c, ev := range t.events {
		ix.epochs[c] = ev.epoch(at)
	}
	var exists bitmap
	if rk.mask != nil {
		ix.existing = t.existing(at)
		if ix.existing < t.n {
			bp := rk.mask.get(0, ix.existing)
			defer rk.mask.put(bp)
			exists = *bp
		}
	}
	blocks := (t.n + atomBlock - 1) >> atomBlockShift
	ix.cum = make([]uint32, (blocks+1)*n)
	atomOf := make([]uint16, t.n)
	for c, col := range rk.cols {
		ev := t.events[c]
		for v := range col.after {
			set, _, done := col.valueSet(ev, v, ix.epochs[c], &t.scratch)
			d := uint16((v + 1) * strides[c])
			for w, word := range set {
				for word != 0 {
					atomOf[w<<6+bits.TrailingZeros64(word)] += d
					word &= word - 1
				}
			}
			if done != nil {
				done()
			}
		}
	}
	// Each block's counts go to its row; a prefix sum over the rows makes them cumulative.
	parallelBlocks(blocks, func(b0, b1 int) {
		for b := b0; b < b1; b++ {
			row := ix.cum[(b+1)*n : (b+2)*n]
			for r := b << atomBlockShift; r < min((b+1)<<atomBlockShift, t.n); r++ {
				if exists != nil && exists[r>>6]&(1<<(uint(r)&63)) == 0 {
					continue
				}
				row[atomOf[r]]++
			}
		}
	})
	for b := 1; b <= blocks; b++ {
		prev, row := ix.cum[(b-1)*n:b*n], ix.cum[b*n:(b+1)*n]
		for a := range row {
			row[a] += prev[a]
		}
	}
	return ix
}

func parallelBlocks(blocks int, do func(b0, b1 int)) {
	if blocks < 64 {
		do(0, blocks)
		return
	}
	var wg sync.WaitGroup
	mid := blocks / 2
	wg.Go(func() { do(mid, blocks) })
	do(0, mid)
	wg.Wait()
}

// warmAtoms builds every ranking's index at instant at.
func (t *Table) warmAtoms(at int64) {
	var wg sync.WaitGroup
	for _, rk := range t.rankings {
		wg.Go(func() {
			if ix := t.buildAtoms(rk, at); ix != nil {
				rk.atoms.idx.Store(ix)
			}
		})
	}
	wg.Wait()
}

// atomsFor returns rk's index when it answers q's conditions at q.At; otherwise it starts a
// background build at q.At (at most one at a time, and not too often) and returns nil.
func (t *Table) atomsFor(rk *ranking, q *query.Query) *atoms {
	ix := rk.atoms.idx.Load()
	if ix != nil && ix.answers(t, rk, q) {
		return ix
	}
	st := &rk.atoms
	if st.building.CompareAndSwap(false, true) {
		st.mu.Lock()
		due := time.Since(st.last) >= atomRebuildEvery
		if due {
			st.last = time.Now()
		}
		st.mu.Unlock()
		if !due {
			st.building.Store(false)
			return nil
		}
		at := q.At
		go func() {
			defer st.building.Store(false)
			if ix := t.buildAtoms(rk, at); ix != nil {
				st.idx.Store(ix)
			}
		}()
	}
	return nil
}

// answers reports whether the index describes the state q's conditions read at q.At.
func (ix *atoms) answers(t *Table, rk *ranking, q *query.Query) bool {
	if rk.mask != nil && ix.existing != t.existing(q.At) {
		return false
	}
	for _, c := range q.Conds {
		if c.Column < 0 || c.Column >= len(ix.epochs) || ix.epochs[c.Column] != t.events[c.Column].epoch(q.At) {
			return false
		}
	}
	return true
}

// selected appends the atoms q's conditions keep to into: for each column the values its
// conditions allow (all of them, no value included, when it has none), and every combination of
// those, enumerated directly rather than by testing every atom.
func (ix *atoms) selected(q *query.Query, into []uint16) []uint16 {
	// lo[c], hi[c]: column c's allowed values are the range [lo, hi), or the one value lo when
	// exact[c].
	var loBuf, hiBuf [16]int
	lo, hi := loBuf[:0], hiBuf[:0]
	for c := range ix.radix {
		lo, hi = append(lo, 0), append(hi, ix.radix[c])
	}
	for _, cd := range q.Conds {
		c := cd.Column
		if cd.Value == query.Present {
			lo[c] = max(lo[c], 1)
			continue
		}
		v := cd.Value + 1
		if v < lo[c] || v >= hi[c] {
			return into // two different values, or a value with none: nothing is kept
		}
		lo[c], hi[c] = v, v+1
	}
	var digitBuf [16]int
	digit := append(digitBuf[:0], lo...)
	for {
		a := 0
		for c, d := range digit {
			a += d * ix.strides[c]
		}
		into = append(into, uint16(a))
		c := 0
		for ; c < len(digit); c++ {
			if digit[c]++; digit[c] < hi[c] {
				break
			}
			digit[c] = lo[c]
		}
		if c == len(digit) {
			return into
		}
	}
}

// sum counts the records of the atoms sel in blocks [b0, b1).
func (ix *atoms) sum(sel []uint16, b0, b1 int) int {
	if b1 <= b0 {
		return 0
	}
	lo, hi := ix.cum[b0*ix.n:(b0+1)*ix.n], ix.cum[b1*ix.n:(b1+1)*ix.n]
	s := 0
	for _, a := range sel {
		s += int(hi[a] - lo[a])
	}
	return s
}

// findByAtoms answers a query over ranks [lo, hi) of rk whose matches are the ranks set in
// every bitmap of sets (the conditions' and, for a ranking with a mask, the existing records'),
// which the atoms sel of ix count block by block.
func (ix *atoms) find(sel []uint16, sets []bitmap, lo, hi int, q *query.Query, page []int32) (int, []int32, bool) {
	bl := (lo + atomBlock - 1) >> atomBlockShift
	bh := hi >> atomBlockShift
	if bh-bl < 2 {
		return 0, page, false // a short range: the scan is as quick
	}
	count := func(from, to int) int {
		if to <= from {
			return 0
		}
		s := scanner{sets: sets, lo: from, hi: to}
		n, _ := s.run(nil)
		return n
	}
	edgeLo := count(lo, bl<<atomBlockShift)
	whole := ix.sum(sel, bl, bh)
	total := edgeLo + whole + count(bh<<atomBlockShift, hi)
	if q.Limit <= 0 || q.Offset >= int64(total) {
		return total, page, true
	}
	// The page's matches, as ascending indexes among all matches: [s, s+k).
	k := int(min(int64(q.Limit), int64(total)-q.Offset))
	s := int(q.Offset)
	if q.Desc {
		s = total - int(q.Offset) - k
	}
	from, skip := lo, s
	switch {
	case s < edgeLo:
	case s < edgeLo+whole:
		// The last block whose preceding blocks hold at most s-edgeLo matches.
		want := s - edgeLo
		a, b := bl, bh-1
		for a < b {
			m := (a + b + 1) / 2
			if ix.sum(sel, bl, m) <= want {
				a = m
			} else {
				b = m - 1
			}
		}
		from, skip = a<<atomBlockShift, want-ix.sum(sel, bl, a)
	default:
		from, skip = bh<<atomBlockShift, s-edgeLo-whole
	}
	first := len(page)
	page = collect(sets, from, hi, skip, k, page)
	if q.Desc {
		p := page[first:]
		for i, j := 0, len(p)-1; i < j; i, j = i+1, j-1 {
			p[i], p[j] = p[j], p[i]
		}
	}
	return total, page, true
}

// countRange counts the matches in ranks [lo, hi) of the index's ranking: whole blocks from the
// counts of the atoms sel, the part blocks at the ends by scanning sets (the conditions'
// bitmaps in that ranking; none: every rank matches).
func (ix *atoms) countRange(sel []uint16, sets []bitmap, lo, hi int) int {
	scan := func(from, to int) int {
		switch {
		case to <= from:
			return 0
		case len(sets) == 0:
			return to - from
		}
		s := scanner{sets: sets, lo: from, hi: to}
		n, _ := s.run(nil)
		return n
	}
	bl := (lo + atomBlock - 1) >> atomBlockShift
	bh := hi >> atomBlockShift
	if bh <= bl {
		return scan(lo, hi)
	}
	return scan(lo, bl<<atomBlockShift) + ix.sum(sel, bl, bh) + scan(bh<<atomBlockShift, hi)
}

// findInTimeRange answers a query in a ranking other than the time key's (rk, with a mask) that
// bounds the time key: its matches are the ranks of rk set in every bitmap of sets (conditions
// and the time range's mask). The total comes from the time ranking's atom counts, where the
// range is a run of ranks; the page is then collected from the nearer end of rk, so no scan
// counts every match. False when the time ranking's counts do not answer q.
func (t *Table) findInTimeRange(q *query.Query, rk *ranking, sets []bitmap, a, b int, page []int32) (int, []int32, bool) {
	if len(sets) == 0 {
		return 0, page, false // the range holds every record: the ranking is the page
	}
	rk0 := t.rankings[0]
	ix := t.atomsFor(rk0, q)
	if ix == nil {
		return 0, page, false
	}
	var setsBuf [8]bitmap
	sets0 := setsBuf[:0]
	for i, c := range q.Conds {
		if c.Value == query.Present && t.impliedPresent(q, i) {
			continue
		}
		set, _, done, ok := t.condSet(rk0, c, q.At)
		if !ok {
			return 0, page, false
		}
		if done != nil {
			defer done()
		}
		sets0 = append(sets0, set)
	}
	var selBuf [1024]uint16
	total := ix.countRange(ix.selected(q, selBuf[:0]), sets0, a, b)
	if q.Limit <= 0 || q.Offset >= int64(total) {
		return total, page, true
	}
	k := int(min(int64(q.Limit), int64(total)-q.Offset))
	s := int(q.Offset) // the page's first match, as an ascending index
	if q.Desc {
		s = total - int(q.Offset) - k
	}
	first := len(page)
	if s < total-s-k {
		page = collect(sets, 0, t.n, s, k, page)
	} else {
		page = collectDesc(sets, 0, t.n, total-s-k, k, page)
		slices.Reverse(page[first:])
	}
	if q.Desc {
		slices.Reverse(page[first:])
	}
	for i, r := range page[first:] {
		page[first+i] = rk.pos[r]
	}
	return total, page, true
}

// collectDesc is collect from hi down: it appends the ranks in [lo, hi) set in every bitmap of
// sets, descending, after skipping the first skip of them, until it has appended want. Whole
// blocks of words it skips are counted a block at a time.
func collectDesc(sets []bitmap, lo, hi, skip, want int, page []int32) []int32 {
	first, last := lo>>6, (hi-1)>>6
	for wi := last; wi >= first && want > 0; {
		if wi != last && wi-blockWords+1 > first {
			if n := andCount(sets, wi-blockWords+1, wi+1); skip >= n {
				skip -= n
				wi -= blockWords
				continue
			}
		}
		w := sets[0][wi]
		for _, s := range sets[1:] {
			w &= s[wi]
		}
		if wi == first {
			w &= ^uint64(0) << (uint(lo) & 63)
		}
		if wi == last {
			w &= ^uint64(0) >> (63 - (uint(hi-1) & 63))
		}
		if n := bits.OnesCount64(w); skip >= n {
			skip -= n
			wi--
			continue
		}
		for w != 0 && want > 0 {
			b := 63 - bits.LeadingZeros64(w)
			w &^= 1 << uint(b)
			if skip > 0 {
				skip--
				continue
			}
			page = append(page, int32(wi<<6+b))
			want--
		}
		wi--
	}
	return page
}

// collect appends the ranks in [from, hi) set in every bitmap of sets, ascending, after
// skipping the first skip of them, until it has appended want. Whole blocks of words it skips
// are counted a block at a time.
func collect(sets []bitmap, from, hi, skip, want int, page []int32) []int32 {
	first, last := from>>6, (hi-1)>>6
	for wi := first; wi <= last && want > 0; {
		if wi != first && wi+blockWords-1 < last {
			if n := andCount(sets, wi, wi+blockWords); skip >= n {
				skip -= n
				wi += blockWords
				continue
			}
		}
		w := sets[0][wi]
		for _, s := range sets[1:] {
			w &= s[wi]
		}
		if wi == first {
			w &= ^uint64(0) << (uint(from) & 63)
		}
		if wi == last {
			w &= ^uint64(0) >> (63 - (uint(hi-1) & 63))
		}
		if n := bits.OnesCount64(w); skip >= n {
			skip -= n
			wi++
			continue
		}
		for w != 0 && want > 0 {
			b := bits.TrailingZeros64(w)
			w &= w - 1
			if skip > 0 {
				skip--
				continue
			}
			page = append(page, int32(wi<<6+b))
			want--
		}
		wi++
	}
	return page
}
