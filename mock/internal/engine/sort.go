package engine

import (
	"encoding/binary"
	"slices"
)

// SortByKey returns the positions 0..n-1 ordered by key, with equal keys ordered by tie, which
// must be a total order. Comparing a million strings is the slow part of ordering them, so
// callers give a key that decides most comparisons (the first bytes that differ) and a tie-break
// for the rest: the radix sort does the bulk in a few linear passes.
func SortByKey(n int, key func(i int32) uint64, tie func(a, b int32) int) []int32 {
	keys := make([]uint64, n)
	for i := range keys {
		keys[i] = key(int32(i))
	}
	order := radixSort(identity(n), keys)
	for i := 0; i < len(order); {
		j := i + 1
		for j < len(order) && keys[order[j]] == keys[order[i]] {
			j++
		}
		if j-i > 1 {
			slices.SortFunc(order[i:j], tie)
		}
		i = j
	}
	return order
}

// CommonPrefix returns the length of the prefix all n strings share.
func CommonPrefix(n int, s func(i int32) string) int {
	if n == 0 {
		return 0
	}
	p := s(0)
	for i := 1; i < n && p != ""; i++ {
		id := s(int32(i))
		k := 0
		for k < len(p) && k < len(id) && p[k] == id[k] {
			k++
		}
		p = p[:k]
	}
	return len(p)
}

// StringKey is the big-endian value of s's bytes [from, from+8), zero-padded: a SortByKey key
// for strings that share their first from bytes. Zero is the smallest byte, so a shorter string
// never gets a larger key than a string it is a prefix of.
func StringKey(s string, from int) uint64 {
	var buf [8]byte
	if from < len(s) {
		copy(buf[:], s[from:])
	}
	return binary.BigEndian.Uint64(buf[:])
}

// sortByTime returns byID reordered by the time key, ties in the order of byID. The radix sort
// is stable, so equal instants keep their id order.
func sortByTime(src Source, byID []int32) []int32 {
	keys := make([]uint64, src.Len())
	for i := range keys {
		// Flipping the sign bit makes unsigned order agree with signed order.
		keys[i] = uint64(src.Time(int32(i))) ^ (1 << 63)
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
