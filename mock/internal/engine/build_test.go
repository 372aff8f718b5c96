package engine

import (
	"hash/maphash"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSourcesInTimeOrderAgreeWithBruteForce checks the paths New takes for a source already in
// time order (no sort), and for one in order but for a tail (sort the tail, merge).
func TestSourcesInTimeOrderAgreeWithBruteForce(t *testing.T) {
	for _, tail := range []int{0, 1, 37, 400} {
		s := randomSource(3000, uint64(tail)+11)
		head := s.recs[:len(s.recs)-tail]
		slices.SortFunc(head, func(a, b testRecord) int {
			if a.time != b.time {
				return int(a.time - b.time)
			}
			return compareStrings(a.id, b.id)
		})
		s = rebuildIDs(s)
		tab, err := New(testSchema, s)
		require.NoError(t, err)
		r := rand.New(rand.NewPCG(uint64(tail), 5))
		for range 300 {
			q := randomQuery(r, s, r.Int64N(3000))
			wantTotal, wantPage := oracle(s, &q)
			total, page := tab.Find(&q, nil)
			require.Equal(t, wantTotal, total, "tail %d, query %+v", tail, q)
			require.Equal(t, wantPage, page, "tail %d, query %+v", tail, q)
		}
	}
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// rebuildIDs rebuilds s's id table after its records moved.
func rebuildIDs(s *testSource) *testSource {
	n := randomSource(0, 0)
	n.recs, n.groups = s.recs, s.groups
	var ok bool
	n.ids, _, _, ok = NewIDTable(len(n.recs), func(i int32) uint64 { return maphash.String(n.seed, n.recs[i].id) },
		func(i, j int32) bool { return n.recs[i].id == n.recs[j].id })
	if !ok {
		panic("duplicate id")
	}
	return n
}

func TestTimeKeysCountLikeASortedSlice(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	for name, gen := range map[string]func() int64{
		"whole seconds": func() int64 { return (1_700_000_000 + r.Int64N(1<<20)) * 1_000_000 },
		"millis":        func() int64 { return r.Int64N(1<<30) * 1000 },
		"micros":        func() int64 { return r.Int64N(1 << 31) },
		"too wide":      func() int64 { return r.Int64N(1<<62) - 1<<61 },
	} {
		t.Run(name, func(t *testing.T) {
			sorted := make([]int64, 5000)
			for i := range sorted {
				sorted[i] = gen()
			}
			slices.Sort(sorted)
			k := newTimeKeys(sorted)
			assert.Equal(t, name == "too wide", k.wide != nil, "compact unless too wide")
			probes := []int64{math.MinInt64, math.MaxInt64, sorted[0] - 1, sorted[0], sorted[len(sorted)-1], sorted[len(sorted)-1] + 1}
			for range 2000 {
				probes = append(probes, sorted[r.IntN(len(sorted))]+r.Int64N(3)-1)
			}
			for _, at := range probes {
				require.Equal(t, countUpTo(sorted, at), k.countUpTo(at), "countUpTo(%d)", at)
				lower, _ := slices.BinarySearch(sorted, at)
				require.Equal(t, lower, k.countBefore(at), "countBefore(%d)", at)
			}
			for i := range sorted {
				require.Equal(t, sorted[i], k.at(i))
			}
		})
	}
}
