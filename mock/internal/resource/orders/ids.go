package orders

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/bits"

	"github.com/cryptofi/partner-mock/mock/internal/domain"
	"github.com/cryptofi/partner-mock/mock/internal/radix"
)

// idIndex finds an order by order_id: the positions in id order, and a directory of where each
// value of the ids' first bits starts among them. Generated ids are random, so a directory
// entry holds a few positions, and a lookup compares a few ids: no hashing, and it is built in a
// few sequential passes rather than millions of random writes into a hash table.
type idIndex struct {
	sorted []int32 // positions in ascending id order
	dir    []int32 // dir[b]: the first index of sorted whose id starts with bits >= b
	shift  uint
}

func newIDIndex(s *domain.OrderStore) (idIndex, error) {
	n := s.Len()
	dirBits := min(max(bits.Len(uint(n))-2, 4), 24)
	ix := idIndex{shift: uint(64 - dirBits)}
	const sortBits = 24 // ids ordered by their first bits; the rest decide only ties
	keys := make([]uint64, n)
	radix.Parallel(n, func(a, b int) {
		for p := a; p < b; p++ {
			id := s.ID(int32(p))
			keys[p] = binary.BigEndian.Uint64(id[:8]) >> (64 - sortBits)
		}
	})
	dupA, dupB := int32(-1), int32(-1)
	ix.sorted = radix.ByUint64(keys, func(a, b int32) int {
		ia, ib := s.ID(a), s.ID(b)
		c := bytes.Compare(ia[:], ib[:])
		if c == 0 && a != b {
			dupA, dupB = min(a, b), max(a, b)
		}
		return c
	})
	if dupA >= 0 {
		return idIndex{}, fmt.Errorf("orders %d and %d share the order_id %s", dupA, dupB, s.ID(dupA))
	}
	ix.dir = make([]int32, 1<<dirBits+1)
	b := 0
	for i, p := range ix.sorted {
		id := s.ID(p)
		top := int(binary.BigEndian.Uint64(id[:8]) >> ix.shift)
		for b <= top {
			ix.dir[b] = int32(i)
			b++
		}
	}
	for ; b < len(ix.dir); b++ {
		ix.dir[b] = int32(n)
	}
	return ix, nil
}

// find returns the position of the order with id u.
func (ix *idIndex) find(s *domain.OrderStore, u *domain.UUID) (int32, bool) {
	top := binary.BigEndian.Uint64(u[:8]) >> ix.shift
	for _, p := range ix.sorted[ix.dir[top]:ix.dir[top+1]] {
		if s.ID(p) == *u {
			return p, true
		}
	}
	return 0, false
}
