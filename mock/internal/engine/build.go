package engine

import (
	"fmt"
	"math/bits"
	"slices"
	"sync"

	"github.com/cryptofi/partner-mock/mock/internal/query"
	"github.com/cryptofi/partner-mock/mock/internal/radix"
)

// New builds the Table of src's records described by schema.
//
// It asks the source for every record's time key, cells and groups once, in position order,
// and works from its own arrays after that. A source whose positions already follow the time
// key (ties by id), as the orders' store does, is indexed in sequential passes with no sort.
// Duplicate ids are refused where the records are ordered by id (a ranking by id); a source
// without one checks its ids itself.
func New(schema Schema, src Source) (*Table, error) {
	if err := checkSchema(&schema); err != nil {
		return nil, err
	}
	n := src.Len()
	t := &Table{schema: schema, src: src, n: n, scratch: newBitmapPool(n)}
	keys := make([]int64, n)
	radix.Parallel(n, func(a, b int) {
		for p := a; p < b; p++ {
			keys[p] = src.Time(int32(p))
		}
	})
	var byID []int32
	if slices.ContainsFunc(schema.Rankings, func(r query.Ranking) bool { return r.ByID }) {
		byID = src.IDOrder()
		if len(byID) != n {
			return nil, fmt.Errorf("engine: IDOrder has %d positions for %d records", len(byID), n)
		}
		if a, b, dup := adjacentDuplicate(src, byID); dup {
			return nil, fmt.Errorf("engine: two records share an id (positions %d and %d)", a, b)
		}
	}
	var cols []columnCells
	var byTime []int32
	var inOrder bool
	var wg sync.WaitGroup
	wg.Go(func() {
		byTime, inOrder = timeOrder(src, keys)
		if !inOrder {
			sorted := make([]int64, n)
			for r, p := range byTime {
				sorted[r] = keys[p]
			}
			keys = sorted
		}
		t.times = newTimeKeys(keys)
	})
	cols = make([]columnCells, len(schema.Columns))
	for c := range schema.Columns {
		wg.Go(func() { cols[c] = readColumn(src, n, c) })
	}
	wg.Wait()
	t.events = make([]*events, len(cols))
	for c := range cols {
		t.events[c] = cols[c].events
	}
	for _, rk := range schema.Rankings {
		if rk.ByID {
			t.rankings = append(t.rankings, t.newRanking(byID, false, cols))
		} else {
			t.rankings = append(t.rankings, t.newRanking(byTime, inOrder, cols))
		}
	}
	for k := 1; k < len(t.rankings); k++ {
		t.rankings[k].mask = newRangeMask(t.rankings[k].pos, byTime)
	}
	for g := range schema.Groups {
		t.groups = append(t.groups, newGroupIndex(src, g, byTime, inOrder))
	}
	t.base = &View{t: t, src: src}
	return t, nil
}

// adjacentDuplicate reports the first two neighbours of byID with the same id.
func adjacentDuplicate(src Source, byID []int32) (a, b int32, dup bool) {
	for i := 1; i < len(byID); i++ {
		if src.CompareID(byID[i-1], byID[i]) == 0 {
			return byID[i-1], byID[i], true
		}
	}
	return 0, 0, false
}

// timeOrder returns the positions in time-key order, ties by id, and whether that is position
// order. A source mostly in order (a sorted store with a few records appended) costs a sort of
// its tail and a merge.
func timeOrder(src Source, keys []int64) (order []int32, inOrder bool) {
	n := len(keys)
	before := func(a, b int32) bool {
		return keys[a] < keys[b] || keys[a] == keys[b] && src.CompareID(a, b) < 0
	}
	m := 1
	for m < n && before(int32(m-1), int32(m)) {
		m++
	}
	if n <= 1 || m == n {
		order = make([]int32, n)
		for i := range order {
			order[i] = int32(i)
		}
		return order, true
	}
	if n-m > n/8 {
		return radix.ByInt64(keys, src.CompareID), false
	}
	tail := radix.ByInt64(keys[m:], func(a, b int32) int { return src.CompareID(a+int32(m), b+int32(m)) })
	order = make([]int32, 0, n)
	i := int32(0)
	for _, t := range tail {
		t += int32(m)
		for i < int32(m) && before(i, t) {
			order = append(order, i)
			i++
		}
		order = append(order, t)
	}
	for ; i < int32(m); i++ {
		order = append(order, i)
	}
	return order, false
}

// columnCells is one column read from the source: each position's value after its change (1 +
// an index, 0 none) and the changes.
type columnCells struct {
	after  []uint8
	events *events
}

// readColumn reads column c of src's n records. A cell whose Before equals its After does not
// change, whatever its At. It reads the source twice: once for the values and to count the
// changes, once to collect them into arrays of the right size (growing them as they fill would
// copy millions of events, and fault in twice the memory).
func readColumn(src Source, n, c int) columnCells {
	cc := columnCells{after: make([]uint8, n)}
	changes := 0
	for p := range int32(n) {
		cell := src.Cell(p, c)
		cc.after[p] = cell.After
		if cell.Before != cell.After && cell.At != Always {
			changes++
		}
	}
	pos, at := make([]int32, 0, changes), make([]int64, 0, changes)
	before := make([]uint8, 0, changes)
	if changes > 0 {
		for p := range int32(n) {
			if cell := src.Cell(p, c); cell.Before != cell.After && cell.At != Always {
				pos, at, before = append(pos, p), append(at, cell.At), append(before, cell.Before)
			}
		}
	}
	// Events in order of instant, ties in position order.
	order := radix.ByInt64(at, nil)
	ev := &events{pos: make([]int32, changes), before: make([]uint8, changes), after: make([]uint8, changes)}
	sortedAt := make([]int64, changes)
	for k, j := range order {
		p := pos[j]
		ev.pos[k], sortedAt[k], ev.before[k], ev.after[k] = p, at[j], before[j], cc.after[p]
	}
	ev.at = newTimeKeys(sortedAt)
	cc.events = ev
	return cc
}

// newRanking builds the ranking whose rank r is position pos[r] (r itself when inOrder), with a
// rank column per column of cols.
func (t *Table) newRanking(pos []int32, inOrder bool, cols []columnCells) *ranking {
	rk := &ranking{pos: pos, cols: make([]*rankColumn, len(cols))}
	rankOf := pos
	if !inOrder {
		rankOf = make([]int32, t.n)
		radix.Parallel(t.n, func(a, b int) {
			for r := a; r < b; r++ {
				rankOf[pos[r]] = int32(r)
			}
		})
	}
	// A view's changes need ranks of positions (rankOf): they are at hand.
	rk.ranks = rankOf
	rk.rankOnce.Do(func() {})
	var wg sync.WaitGroup
	for c := range cols {
		wg.Go(func() {
			rk.cols[c] = newRankColumn(len(t.schema.Columns[c].Values), cols[c], pos, inOrder, rankOf)
		})
	}
	wg.Wait()
	return rk
}

// newRankColumn builds a column's bitmaps in one ranking. Its values are bitmaps of ranks: a
// pass over the ranks sets the value each holds after its change; the values before the
// changes are those, with each changing cell moved back to its earlier value.
func newRankColumn(values int, cells columnCells, pos []int32, inOrder bool, rankOf []int32) *rankColumn {
	n := len(cells.after)
	c := &rankColumn{present: newBitmap(n), after: make([]bitmap, values), afterCount: make([]int, values)}
	for v := range values {
		c.after[v] = newBitmap(n)
	}
	// Word by word: each word's 64 ranks are gathered, then stored once per value.
	for w := range c.present {
		var present uint64
		for b := range min(64, n-64*w) {
			r := 64*w + b
			p := r
			if !inOrder {
				p = int(pos[r])
			}
			if v := cells.after[p]; v != 0 {
				c.after[v-1][w] |= 1 << uint(b)
				present |= 1 << uint(b)
			}
		}
		c.present[w] = present
	}
	c.presentCount = popcount(c.present)
	for v := range values {
		c.afterCount[v] = popcount(c.after[v])
	}
	c.before, c.beforeCount = c.after, c.afterCount
	ev := cells.events
	if len(ev.pos) == 0 {
		return c
	}
	c.before, c.beforeCount = make([]bitmap, values), make([]int, values)
	for v := range values {
		c.before[v] = slices.Clone(c.after[v])
	}
	c.evRank = ev.pos
	if !inOrder {
		c.evRank = make([]int32, len(ev.pos))
		for k, p := range ev.pos {
			c.evRank[k] = rankOf[p]
		}
	}
	for k, r := range c.evRank {
		if a := ev.after[k]; a != 0 {
			c.before[a-1][r>>6] &^= 1 << (uint(r) & 63)
		}
		if b := ev.before[k]; b != 0 {
			c.before[b-1][r>>6] |= 1 << (uint(r) & 63)
		}
	}
	for v := range values {
		c.beforeCount[v] = popcount(c.before[v])
	}
	return c
}

func popcount(b bitmap) int {
	n := 0
	for _, w := range b {
		n += bits.OnesCount64(w)
	}
	return n
}

// newGroupIndex lists each group's time ranks, ascending: a counting sort of the ranks by
// group.
func newGroupIndex(src Source, key int, byTime []int32, inOrder bool) groupIndex {
	n := len(byTime)
	groupOf := make([]int32, n) // by position
	radix.Parallel(n, func(a, b int) {
		for p := a; p < b; p++ {
			groupOf[p] = src.Group(int32(p), key)
		}
	})
	g := groupIndex{start: make([]int32, src.Groups(key)+1), ranks: make([]int32, n)}
	for _, k := range groupOf {
		g.start[k+1]++
	}
	for i := 1; i < len(g.start); i++ {
		g.start[i] += g.start[i-1]
	}
	next := slices.Clone(g.start[:len(g.start)-1])
	for r := range n {
		p := r
		if !inOrder {
			p = int(byTime[r])
		}
		k := groupOf[p]
		g.ranks[next[k]] = int32(r)
		next[k]++
	}
	return g
}
