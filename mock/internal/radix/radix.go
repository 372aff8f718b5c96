// Package radix orders millions of records by an integer key in a few linear passes: the
// mock's start-up sorts every tenant's records by time and by id, and a comparison sort of a
// million keys costs several times more. Results are stable (equal keys keep index order), so
// they do not depend on how the work is split between cores.
package radix

import (
	"math/bits"
	"runtime"
	"slices"
	"sync"
)

// digitBits is the digit of the packed sort: 2,048 buckets keep every pass's scatter within
// the first-level caches' reach.
const digitBits = 11

// parallelMin is the number of keys from which a pass is split between cores.
const parallelMin = 1 << 18

// ByInt64 returns the indexes 0..len(keys)-1 ordered by keys, equal keys ordered by tie (a
// total order of indexes), or in index order when tie is nil.
func ByInt64(keys []int64, tie func(a, b int32) int) []int32 {
	n := len(keys)
	if n == 0 {
		return []int32{}
	}
	lo, hi := keys[0], keys[0]
	for _, k := range keys {
		lo, hi = min(lo, k), max(hi, k)
	}
	// Keys that are all whole multiples of a unit apart (microsecond instants of whole seconds)
	// sort on fewer bits in units.
	unit := uint64(1)
	if hi > lo {
		unit = commonUnit(keys, lo)
	}
	span := uint64(hi-lo) / unit
	return byOffset(n, span, func(i int) uint64 { return uint64(keys[i]-lo) / unit }, tie)
}

// ByUint64 returns the indexes 0..len(keys)-1 ordered by keys, equal keys ordered by tie (a
// total order of indexes), or in index order when tie is nil.
func ByUint64(keys []uint64, tie func(a, b int32) int) []int32 {
	n := len(keys)
	if n == 0 {
		return []int32{}
	}
	lo, hi := keys[0], keys[0]
	for _, k := range keys {
		lo, hi = min(lo, k), max(hi, k)
	}
	return byOffset(n, hi-lo, func(i int) uint64 { return keys[i] - lo }, tie)
}

// commonUnit returns the largest of 1e6, 1e3 and 1 that divides every key's distance to lo.
func commonUnit(keys []int64, lo int64) uint64 {
	var r6, r3 uint64
	for _, k := range keys {
		d := uint64(k - lo)
		r6 |= d % 1_000_000
		r3 |= d % 1_000
		if r3 != 0 {
			return 1
		}
	}
	switch {
	case r6 == 0:
		return 1_000_000
	case r3 == 0:
		return 1_000
	}
	return 1
}

// byOffset orders n records by offset(i) in [0, span], ties by tie or by index.
func byOffset(n int, span uint64, offset func(i int) uint64, tie func(a, b int32) int) []int32 {
	ibits := bits.Len(uint(n - 1))
	kbits := bits.Len64(span)
	if kbits+ibits <= 64 {
		packed := make([]uint64, n)
		parallel(n, func(a, b int) {
			for i := a; i < b; i++ {
				packed[i] = offset(i)<<ibits | uint64(i)
			}
		})
		packed = sortPacked(packed, ibits, ibits+kbits)
		out := make([]int32, n)
		mask := uint64(1)<<ibits - 1
		parallel(n, func(a, b int) {
			for i := a; i < b; i++ {
				out[i] = int32(packed[i] & mask)
			}
		})
		if tie != nil {
			breakTies(out, func(i int) uint64 { return packed[i] >> ibits }, tie)
		}
		return out
	}
	keys := make([]uint64, n)
	parallel(n, func(a, b int) {
		for i := a; i < b; i++ {
			keys[i] = offset(i)
		}
	})
	out := indirect(keys)
	if tie != nil {
		breakTies(out, func(i int) uint64 { return keys[out[i]] }, tie)
	}
	return out
}

// breakTies sorts each run of order whose key(i) is equal by tie.
func breakTies(order []int32, key func(i int) uint64, tie func(a, b int32) int) {
	for i := 0; i < len(order); {
		j, k := i+1, key(i)
		for j < len(order) && key(j) == k {
			j++
		}
		if j-i > 1 {
			slices.SortFunc(order[i:j], tie)
		}
		i = j
	}
}

// sortPacked sorts values stably by their bits [from, to), digitBits at a time from the least
// significant, and returns the sorted slice (values or its scratch twin).
func sortPacked(values []uint64, from, to int) []uint64 {
	tmp := make([]uint64, len(values))
	for shift := from; shift < to; shift += digitBits {
		width := min(digitBits, to-shift)
		scatter(values, tmp, shift, uint64(1)<<width-1)
		values, tmp = tmp, values
	}
	return values
}

// scatter writes src into dst ordered by the digit (v >> shift) & mask, stably. Large inputs
// are split between cores: each part counts its digits, and the parts' counts place every part's
// values after those of the parts before it in each bucket, which keeps the order stable.
func scatter(src, dst []uint64, shift int, mask uint64) {
	parts := 1
	if len(src) >= parallelMin {
		parts = min(runtime.GOMAXPROCS(0), 8)
	}
	buckets := int(mask) + 1
	counts := make([][]int, parts)
	bounds := func(p int) (int, int) { return p * len(src) / parts, (p + 1) * len(src) / parts }
	run(parts, func(p int) {
		c := make([]int, buckets)
		a, b := bounds(p)
		for _, v := range src[a:b] {
			c[(v>>shift)&mask]++
		}
		counts[p] = c
	})
	sum := 0
	for d := range buckets {
		for p := range parts {
			c := counts[p][d]
			counts[p][d] = sum
			sum += c
		}
	}
	run(parts, func(p int) {
		c := counts[p]
		a, b := bounds(p)
		for _, v := range src[a:b] {
			d := (v >> shift) & mask
			dst[c[d]] = v
			c[d]++
		}
	})
}

// indirect orders positions by keys a byte at a time from the least significant, skipping
// bytes every key shares: for keys too wide to pack with their index.
func indirect(keys []uint64) []int32 {
	order := make([]int32, len(keys))
	for i := range order {
		order[i] = int32(i)
	}
	var counts [8][256]int
	for _, k := range keys {
		for d := range 8 {
			counts[d][byte(k>>(8*d))]++
		}
	}
	tmp := make([]int32, len(keys))
	for d := range 8 {
		c := &counts[d]
		if c[byte(keys[0]>>(8*d))] == len(keys) {
			continue
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

// parallel calls do over [0, n) split in one range per core when n is large.
func parallel(n int, do func(a, b int)) {
	parts := 1
	if n >= parallelMin {
		parts = min(runtime.GOMAXPROCS(0), 8)
	}
	run(parts, func(p int) { do(p*n/parts, (p+1)*n/parts) })
}

// run calls do(0..parts-1), concurrently when parts > 1.
func run(parts int, do func(p int)) {
	if parts == 1 {
		do(0)
		return
	}
	var wg sync.WaitGroup
	for p := range parts {
		wg.Go(func() { do(p) })
	}
	wg.Wait()
}

// Parallel calls do over [0, n) split in one range per core (a single call when n is small);
// the ranges cover [0, n) in order.
func Parallel(n int, do func(a, b int)) { parallel(n, do) }
