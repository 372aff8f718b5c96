package radix

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

func checkOrder[K int64 | uint64](t *testing.T, keys []K, got []int32) {
	t.Helper()
	want := make([]int32, len(keys))
	for i := range want {
		want[i] = int32(i)
	}
	slices.SortStableFunc(want, func(a, b int32) int {
		switch {
		case keys[a] < keys[b]:
			return -1
		case keys[a] > keys[b]:
			return 1
		}
		return 0
	})
	require.Equal(t, want, got)
}

func TestByInt64(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 2, 7, 1000, parallelMin + 17} {
		for name, gen := range map[string]func() int64{
			"whole seconds in micros": func() int64 { return (1_600_000_000 + r.Int64N(200_000_000)) * 1_000_000 },
			"millis":                  func() int64 { return -5_000_000 + r.Int64N(10_000)*1000 },
			"few distinct":            func() int64 { return r.Int64N(3) - 1 },
			"full range":              func() int64 { return int64(r.Uint64()) },
			"micros":                  func() int64 { return r.Int64N(1 << 50) },
		} {
			keys := make([]int64, n)
			for i := range keys {
				keys[i] = gen()
			}
			t.Run(name, func(t *testing.T) { checkOrder(t, keys, ByInt64(keys, nil)) })
		}
	}
}

func TestByUint64(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 1, 5000, parallelMin + 3} {
		keys := make([]uint64, n)
		for i := range keys {
			keys[i] = r.Uint64()
			if i%3 == 0 && i > 0 {
				keys[i] = keys[i-1]
			}
		}
		checkOrder(t, keys, ByUint64(keys, nil))
		narrow := make([]uint64, n)
		for i := range narrow {
			narrow[i] = 1<<40 + r.Uint64N(1<<20)
		}
		checkOrder(t, narrow, ByUint64(narrow, nil))
	}
}

func TestTiesByTheGivenOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, wide := range []bool{false, true} {
		keys := make([]int64, 10_000)
		for i := range keys {
			keys[i] = r.Int64N(50) * 1_000_000
			if wide {
				keys[i] = int64(r.Uint64()>>60) << 59
			}
		}
		// Ties by descending index: the opposite of the default.
		got := ByInt64(keys, func(a, b int32) int { return int(b - a) })
		want := make([]int32, len(keys))
		for i := range want {
			want[i] = int32(i)
		}
		slices.SortFunc(want, func(a, b int32) int {
			if keys[a] != keys[b] {
				if keys[a] < keys[b] {
					return -1
				}
				return 1
			}
			return int(b - a)
		})
		require.Equal(t, want, got)
	}
}
