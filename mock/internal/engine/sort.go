package engine

import (
	"encoding/binary"

	"github.com/cryptofi/partner-mock/mock/internal/radix"
)

// SortByKey returns the positions 0..n-1 ordered by key, with equal keys ordered by tie, which
// must be a total order. Comparing a million strings is the slow part of ordering them, so
// callers give a key that decides most comparisons (the first bytes that differ) and a tie-break
// for the rest: the radix sort does the bulk in a few linear passes.
func SortByKey(n int, key func(i int32) uint64, tie func(a, b int32) int) []int32 {
	keys := make([]uint64, n)
	radix.Parallel(n, func(a, b int) {
		for i := a; i < b; i++ {
			keys[i] = key(int32(i))
		}
	})
	return radix.ByUint64(keys, tie)
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
