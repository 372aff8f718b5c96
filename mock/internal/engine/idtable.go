package engine

import "github.com/cryptofi/partner-mock/mock/internal/radix"

// IDTable finds a record's position from a hash of its id in constant time. It is an
// open-addressing hash table of positions: a quarter the memory of a map[string]int32 at a
// million records, and faster to build. The resource hashes and compares its own ids (strings
// for users, UUIDs for orders), so the table stores nothing but positions.
type IDTable struct {
	slots []int32 // position+1; 0 is an empty slot
	mask  uint64
}

// NewIDTable builds the table over positions 0..n-1 with hash(i) the hash of record i's id and
// same(i, j) whether records i and j have the same id. It returns the first duplicate found, as
// (i, j, false).
//
// The records are inserted in the order of their home slots (a radix sort of the slots), so
// the table fills from one end to the other instead of taking a cache miss per record.
func NewIDTable(n int, hash func(i int32) uint64, same func(i, j int32) bool) (t IDTable, dupA, dupB int32, ok bool) {
	size := 1
	for size < 2*n {
		size <<= 1
	}
	t = IDTable{slots: make([]int32, size), mask: uint64(size - 1)}
	home := make([]uint64, n)
	radix.Parallel(n, func(a, b int) {
		for i := a; i < b; i++ {
			home[i] = hash(int32(i)) & t.mask
		}
	})
	for _, i := range radix.ByUint64(home, nil) {
		s := home[i]
		for t.slots[s] != 0 {
			if p := t.slots[s] - 1; same(p, i) {
				return IDTable{}, min(p, i), max(p, i), false
			}
			s = (s + 1) & t.mask
		}
		t.slots[s] = i + 1
	}
	return t, 0, 0, true
}

// Find returns the position whose id hashes to h and for which is(position) holds.
func (t *IDTable) Find(h uint64, is func(i int32) bool) (int32, bool) {
	if len(t.slots) == 0 {
		return 0, false
	}
	for s := h & t.mask; ; s = (s + 1) & t.mask {
		p := t.slots[s]
		if p == 0 {
			return 0, false
		}
		if is(p - 1) {
			return p - 1, true
		}
	}
}
