package engine

import (
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
)

// Table is one resource's records for one tenant, prepared for queries. It is immutable once
// built (its caches aside, which never change an answer) and safe for concurrent use.
type Table struct {
	schema Schema
	src    Source
	n      int
	// times holds the time keys in time-ranking order, for binary searches that do not chase
	// pointers.
	times    []int64
	rankings []*ranking
	events   []*events // per column
	groups   []groupIndex
	scratch  bitmapPool
	// base is the table as built, without changes.
	base *View
}

// ranking is the records in one order, with each column's bitmaps in that order.
type ranking struct {
	pos  []int32 // rank -> position
	cols []*rankColumn
	// mask maps time ranks to this ranking's ranks; nil for the time ranking itself.
	mask *rangeMask
	// visible caches the mask of the most recent instant's existing records, the one every
	// query of a frozen clock asks for.
	visible atomic.Pointer[visibleMask]
	// ranks maps a position to its rank, built on the first change of a view (rankOf).
	ranks    []int32
	rankOnce sync.Once
}

type visibleMask struct {
	b    int
	bits bitmap
}

// groupIndex lists, for each group of a group key, its records' time ranks in ascending order.
type groupIndex struct {
	start []int32 // group g's ranks are ranks[start[g]:start[g+1]]
	ranks []int32
}

// New builds the Table of src's records described by schema.
func New(schema Schema, src Source) (*Table, error) {
	if err := checkSchema(&schema); err != nil {
		return nil, err
	}
	n := src.Len()
	t := &Table{schema: schema, src: src, n: n, scratch: newBitmapPool(n)}
	byID := src.IDOrder()
	if len(byID) != n {
		return nil, fmt.Errorf("engine: IDOrder has %d positions for %d records", len(byID), n)
	}
	for i := 1; i < n; i++ {
		if src.CompareID(byID[i-1], byID[i]) == 0 {
			return nil, fmt.Errorf("engine: two records share an id (positions %d and %d)", byID[i-1], byID[i])
		}
	}
	byTime := sortByTime(src, byID)
	t.times = make([]int64, n)
	for r, p := range byTime {
		t.times[r] = src.Time(p)
	}
	t.events = make([]*events, len(schema.Columns))
	var wg sync.WaitGroup
	for c := range schema.Columns {
		wg.Go(func() { t.events[c] = newEvents(n, func(i int32) Cell { return t.cell(i, c) }) })
	}
	wg.Wait()
	for _, rk := range schema.Rankings {
		pos := byTime
		if rk.ByID {
			pos = byID
		}
		t.rankings = append(t.rankings, t.newRanking(pos))
	}
	for k := 1; k < len(t.rankings); k++ {
		t.rankings[k].mask = newRangeMask(t.rankings[k].pos, byTime)
	}
	for g := range schema.Groups {
		t.groups = append(t.groups, newGroupIndex(src, g, byTime))
	}
	t.base = &View{t: t, src: src}
	return t, nil
}

// cell returns record i's cell in column c, with At set to Always when the value does not
// actually change.
func (t *Table) cell(i int32, c int) Cell {
	cell := t.src.Cell(i, c)
	if cell.Before == cell.After {
		cell.At = Always
	}
	return cell
}

// newEvents collects the changes of a column of n cells, ordered by instant (ties by position).
func newEvents(n int, cell func(i int32) Cell) *events {
	ev := &events{}
	var keys []uint64
	for i := range int32(n) {
		if c := cell(i); c.At != Always {
			ev.pos = append(ev.pos, i)
			ev.at = append(ev.at, c.At)
			ev.before = append(ev.before, c.Before)
			ev.after = append(ev.after, c.After)
			keys = append(keys, uint64(c.At)^(1<<63))
		}
	}
	order := radixSort(identity(len(keys)), keys)
	sorted := &events{pos: make([]int32, len(order)), at: make([]int64, len(order)),
		before: make([]uint8, len(order)), after: make([]uint8, len(order))}
	for k, j := range order {
		sorted.pos[k], sorted.at[k], sorted.before[k], sorted.after[k] = ev.pos[j], ev.at[j], ev.before[j], ev.after[j]
	}
	return sorted
}

func (t *Table) newRanking(pos []int32) *ranking {
	rankOf := make([]int32, t.n)
	for r, p := range pos {
		rankOf[p] = int32(r)
	}
	rk := &ranking{pos: pos, cols: make([]*rankColumn, len(t.schema.Columns))}
	var wg sync.WaitGroup
	for c := range t.schema.Columns {
		wg.Go(func() {
			rk.cols[c] = newRankColumn(t.n, len(t.schema.Columns[c].Values), func(i int32) Cell { return t.cell(i, c) }, pos, rankOf, t.events[c])
		})
	}
	wg.Wait()
	return rk
}

func newGroupIndex(src Source, key int, byTime []int32) groupIndex {
	g := groupIndex{start: make([]int32, src.Groups(key)+1), ranks: make([]int32, len(byTime))}
	for _, p := range byTime {
		g.start[src.Group(p, key)+1]++
	}
	for i := 1; i < len(g.start); i++ {
		g.start[i] += g.start[i-1]
	}
	next := slices.Clone(g.start[:len(g.start)-1])
	for r, p := range byTime {
		k := src.Group(p, key)
		g.ranks[next[k]] = int32(r)
		next[k]++
	}
	return g
}

// Len returns the number of records, at every instant.
func (t *Table) Len() int { return t.n }

// Source returns the records the table was built from.
func (t *Table) Source() Source { return t.src }

// Order returns the positions of every record in ranking k's ascending order, whatever their
// time. The slice is shared; callers must not modify it.
func (t *Table) Order(k int) []int32 { return t.rankings[k].pos }

// Warm prepares the snapshots of every changing column at instant at, so the first queries at
// that instant find them ready.
func (t *Table) Warm(at int64) {
	var wg sync.WaitGroup
	for _, rk := range t.rankings {
		for c, col := range rk.cols {
			ev := t.events[c]
			wg.Go(func() {
				if e := ev.epoch(at); col.evRank != nil && e > 0 && e < len(ev.at) {
					col.snap.Store(col.build(ev, e))
				}
			})
		}
	}
	wg.Wait()
}

// bitmapPool recycles bitmaps of one length.
type bitmapPool struct{ p *sync.Pool }

func newBitmapPool(n int) bitmapPool {
	return bitmapPool{&sync.Pool{New: func() any { b := newBitmap(n); return &b }}}
}

func (p bitmapPool) get() *bitmap  { return p.p.Get().(*bitmap) }
func (p bitmapPool) put(b *bitmap) { p.p.Put(b) }
