package engine

import (
	"math/bits"
	"slices"
	"sync/atomic"
)

// events are the changes of one column, ordered by instant: the cells whose value changes.
type events struct {
	at            timeKeys
	before, after []uint8 // 1 + value index, as in Cell
	pos           []int32 // the records, in event order
}

// epoch returns the number of the column's changes that have happened at instant at.
func (e *events) epoch(at int64) int { return e.at.countUpTo(at) }

// countUpTo returns the number of instants of sorted that are at or before at.
func countUpTo(sorted []int64, at int64) int {
	n, _ := slices.BinarySearchFunc(sorted, at, func(x, t int64) int {
		if x <= t {
			return -1
		}
		return 1
	})
	return n
}

// rankColumn is one column in one ranking: a bitmap of the ranks holding each value before
// and after the column's changes, and the state at some instant, kept as a snapshot.
type rankColumn struct {
	present      bitmap
	presentCount int
	// before[v] and after[v] hold the ranks whose cell holds value v (an index) before and after
	// its change. A cell that never changes is in both. For a column without changes they are
	// the same bitmaps.
	before, after           []bitmap
	beforeCount, afterCount []int
	// evRank holds the rank of each of the column's events, in event order; nil without events.
	evRank []int32
	snap   atomic.Pointer[snapshot]
}

// snapshot is a column's state after its first epoch events: value v's ranks in bits[v].
type snapshot struct {
	epoch int
	bits  []bitmap
	count []int
}

// valueSet returns the ranks whose cell holds value v at the column's epoch e (see
// events.epoch), with their count. When the set had to be assembled for this call, done
// returns its memory to scratch; otherwise done is nil and the set is shared and read-only.
func (c *rankColumn) valueSet(ev *events, v int, e int, scratch *bitmapPool) (set bitmap, count int, done func()) {
	switch {
	case c.evRank == nil || e == len(c.evRank):
		return c.after[v], c.afterCount[v], nil
	case e == 0:
		return c.before[v], c.beforeCount[v], nil
	}
	s := c.snap.Load()
	if s != nil && s.epoch == e {
		return s.bits[v], s.count[v], nil
	}
	// A snapshot far from e is cheaper to rebuild than to patch on every query; near it, one
	// bitmap copy and a few bit flips answer this query without disturbing the shared one.
	if s == nil || abs(s.epoch-e) > len(c.present)/4 {
		s = c.build(ev, e)
		c.snap.Store(s)
		return s.bits[v], s.count[v], nil
	}
	bp := scratch.get()
	out := *bp
	copy(out, s.bits[v])
	n := s.count[v]
	val := uint8(v + 1)
	lo, hi, forward := s.epoch, e, true
	if e < s.epoch {
		lo, hi, forward = e, s.epoch, false
	}
	for k := lo; k < hi; k++ {
		r := c.evRank[k]
		from, to := ev.before[k], ev.after[k]
		if !forward {
			from, to = to, from
		}
		if from == val {
			out[r>>6] &^= 1 << (uint(r) & 63)
			n--
		}
		if to == val {
			out[r>>6] |= 1 << (uint(r) & 63)
			n++
		}
	}
	return out, n, func() { scratch.put(bp) }
}

// build makes the snapshot at epoch e from whichever side needs fewer events replayed.
func (c *rankColumn) build(ev *events, e int) *snapshot {
	s := &snapshot{epoch: e, bits: make([]bitmap, len(c.after)), count: make([]int, len(c.after))}
	fromAfter := len(c.evRank)-e < e
	for v := range s.bits {
		if fromAfter {
			s.bits[v] = slices.Clone(c.after[v])
		} else {
			s.bits[v] = slices.Clone(c.before[v])
		}
	}
	move := func(r int32, from, to uint8) {
		if from != 0 {
			s.bits[from-1][r>>6] &^= 1 << (uint(r) & 63)
		}
		if to != 0 {
			s.bits[to-1][r>>6] |= 1 << (uint(r) & 63)
		}
	}
	if fromAfter {
		for k := e; k < len(c.evRank); k++ {
			move(c.evRank[k], ev.after[k], ev.before[k])
		}
	} else {
		for k := range e {
			move(c.evRank[k], ev.before[k], ev.after[k])
		}
	}
	for v, b := range s.bits {
		for _, w := range b {
			s.count[v] += bits.OnesCount64(w)
		}
	}
	return s
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
