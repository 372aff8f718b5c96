package engine

import (
	"encoding/binary"
	"slices"
	"strings"

	"github.com/cryptofi/partner-mock/mock/internal/domain"
)

// sortByID returns user positions in ascending id order. Comparing a million strings is the
// slow part of building an index, so it radix-sorts on the eight bytes that follow the prefix
// all ids share, then settles equal keys with a full string comparison. The result is exactly
// the order strings.Compare defines.
func sortByID(users []domain.User) []int32 {
	cp := commonPrefix(users)
	keys := make([]uint64, len(users))
	for i := range users {
		keys[i] = idKey(users[i].ID, cp)
	}
	order := radixSort(identity(len(users)), keys)
	for i := 0; i < len(order); {
		j := i + 1
		for j < len(order) && keys[order[j]] == keys[order[i]] {
			j++
		}
		if j-i > 1 {
			slices.SortFunc(order[i:j], func(a, b int32) int { return strings.Compare(users[a].ID, users[b].ID) })
		}
		i = j
	}
	return order
}

func commonPrefix(users []domain.User) int {
	if len(users) == 0 {
		return 0
	}
	p := users[0].ID
	for i := 1; i < len(users) && p != ""; i++ {
		id := users[i].ID
		n := 0
		for n < len(p) && n < len(id) && p[n] == id[n] {
			n++
		}
		p = p[:n]
	}
	return len(p)
}

// idKey is the big-endian value of id's bytes [cp, cp+8), zero-padded. Zero is the smallest
// byte, so a shorter id never gets a larger key than an id it is a prefix of.
func idKey(id string, cp int) uint64 {
	var buf [8]byte
	copy(buf[:], id[cp:])
	return binary.BigEndian.Uint64(buf[:])
}

// sortByCreated returns user positions in ascending created_at order, ties in the order of
// byID. The radix sort is stable, so sorting the id order by created_at keeps equal instants in
// id order.
func sortByCreated(users []domain.User, byID []int32) []int32 {
	keys := make([]uint64, len(users))
	for i := range users {
		// Flipping the sign bit makes unsigned order agree with signed order.
		keys[i] = uint64(users[i].CreatedAt) ^ (1 << 63)
	}
	return radixSort(slices.Clone(byID), keys)
}

// radixSort stably sorts positions by keys[position], a byte at a time from the least
// significant, skipping bytes every key shares.
func radixSort(order []int32, keys []uint64) []int32 {
	if len(keys) == 0 {
		return order
	}
	var counts [8][256]int
	for _, k := range keys {
		for d := range 8 {
			counts[d][byte(k>>(8*d))]++
		}
	}
	tmp := make([]int32, len(order))
	for d := range 8 {
		c := &counts[d]
		if c[byte(keys[0]>>(8*d))] == len(keys) {
			continue // every key has the same byte here
		}
		sum := 0
		for i, n := range c {
			c[i] = sum
			sum += n
		}
		shift := 8 * d
		for _, p := range order {
			b := byte(keys[p] >> shift)
			tmp[c[b]] = p
			c[b]++
		}
		order, tmp = tmp, order
	}
	return order
}

func identity(n int) []int32 {
	s := make([]int32, n)
	for i := range s {
		s[i] = int32(i)
	}
	return s
}
