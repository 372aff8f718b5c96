package engine

import (
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
	times    timeKeys
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
	// atoms counts the records of each combination of values per block of ranks (atoms.go).
	atoms atomState
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

// Len returns the number of records, at every instant.
func (t *Table) Len() int { return t.n }

// Source returns the records the table was built from.
func (t *Table) Source() Source { return t.src }

// Order returns the positions of every record in ranking k's ascending order, whatever their
// time. The slice is shared; callers must not modify it.
func (t *Table) Order(k int) []int32 { return t.rankings[k].pos }

// Warm prepares the snapshots of every changing column at instant at, so the first queries at
// that instant find them ready, and starts building the atom counts at that instant in the
// background (queries scan until they are ready; WarmAll waits for them).
func (t *Table) Warm(at int64) {
	t.warmSnapshots(at)
	for _, rk := range t.rankings {
		rk.atoms.building.Store(true)
	}
	go func() {
		t.warmAtoms(at)
		for _, rk := range t.rankings {
			rk.atoms.building.Store(false)
		}
	}()
}

// WarmAll is Warm, returning once the atom counts are built too.
func (t *Table) WarmAll(at int64) {
	t.warmSnapshots(at)
	t.warmAtoms(at)
}

func (t *Table) warmSnapshots(at int64) {
	var wg sync.WaitGroup
	for _, rk := range t.rankings {
		for c, col := range rk.cols {
			ev := t.events[c]
			wg.Go(func() {
				if e := ev.epoch(at); col.evRank != nil && e > 0 && e < ev.at.len() {
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
