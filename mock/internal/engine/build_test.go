package engine

import (
	"hash/maphash"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

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

// TestAtomCountsAgreeWithBruteForce checks the answers the atom counts give (at the warmed
// instant), and those of a background build at another instant, against brute force.
func TestAtomCountsAgreeWithBruteForce(t *testing.T) {
	const n = 40_000
	s := randomSource(n, 77)
	tab, err := New(testSchema, s)
	require.NoError(t, err)
	span := int64(n/4 + 1)
	check := func(at int64, queries int, seed uint64) {
		r := rand.New(rand.NewPCG(seed, 9))
		for range queries {
			q := randomQuery(r, s, at)
			q.ID, q.Groups = nil, nil
			if r.IntN(2) == 0 {
				q.Offset = r.Int64N(n)
			}
			wantTotal, wantPage := oracle(s, &q)
			total, page := tab.Find(&q, nil)
			require.Equal(t, wantTotal, total, "at %d, query %+v", at, q)
			require.Equal(t, wantPage, page, "at %d, query %+v", at, q)
		}
	}
	at := span / 2
	tab.WarmAll(at)
	for _, rk := range tab.rankings {
		require.NotNil(t, rk.atoms.idx.Load(), "WarmAll builds every ranking's atoms")
	}
	check(at, 400, 1)
	// Another instant: the first queries scan and start a build; once it is there, they use it.
	other := span + span/3
	check(other, 50, 2)
	require.Eventually(t, func() bool {
		for _, rk := range tab.rankings {
			if ix := rk.atoms.idx.Load(); ix == nil || ix.epochs[1] != tab.events[1].epoch(other) {
				return false
			}
		}
		return true
	}, 10*time.Second, 10*time.Millisecond)
	check(other, 400, 3)
}
