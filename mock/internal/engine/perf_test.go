//go:build perf

package engine

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/mock/internal/gen"
)

// The perf harness prints rows of the one table `make bench` shows (header in the Makefile):
// | area | case | value | vs | ratio | target | met |. It is behind the perf build tag: it
// measures, it does not assert, and it needs a quiet machine to mean anything.

// queryRuns is the number of timed runs per engine cell; the table shows their median.
const queryRuns = 201

// engineTarget is the bound on a query's median time over a million users.
const engineTarget = 50 * time.Microsecond

// maxDepthRatio is how much dearer than the first page a deep page may be and still count as
// "costs the same": the scan reads every word whatever the depth, so the ratio is noise.
const maxDepthRatio = 1.5

func row(area, name, value, vs, ratio, target string, met bool) {
	mark := "yes"
	if !met {
		mark = "NO"
	}
	fmt.Printf("| %s | %s | %s | %s | %s | %s | %s |\n", area, name, value, vs, ratio, target, mark)
}

func medianOf(d []time.Duration) time.Duration {
	slices.Sort(d)
	return d[len(d)/2]
}

func TestPerfEngine(t *testing.T) {
	ix, err := benchIndex()
	require.NoError(t, err)
	runtime.GC()
	firsts := map[string]time.Duration{}
	for _, c := range benchCases(ix) {
		for range 10 {
			ix.Query(c.Query)
		}
		runs := make([]time.Duration, queryRuns)
		for i := range runs {
			start := time.Now()
			ix.Query(c.Query)
			runs[i] = time.Since(start)
		}
		med := medianOf(runs)
		key := fmt.Sprintf("%s / %s / per_page=%d", c.Filters, c.Sort, c.PerPage)
		name := key + " / " + c.Depth + " page"
		value := fmt.Sprintf("%.1f µs median", float64(med)/1e3)
		if c.Depth == "first" {
			firsts[key] = med
			row("engine 1M", name, value, "", "", "≤ 50 µs", med <= engineTarget)
			continue
		}
		ratio := float64(med) / float64(max(firsts[key], 1))
		row("engine 1M", name, value, "first page", fmt.Sprintf("%.2f", ratio),
			fmt.Sprintf("≤ 50 µs, ≤ %.1f× first", maxDepthRatio), med <= engineTarget && (ratio <= maxDepthRatio || med-firsts[key] < time.Microsecond))
	}
}

// TestPerfDetail times Index.Get at three population sizes: constant time means the million-user
// lookup costs about what the thousand-user one does.
func TestPerfDetail(t *testing.T) {
	var small time.Duration
	for _, n := range []int{1_000, 100_000, benchUsers} {
		users, err := gen.Generate(gen.Params{Seed: 3, Users: n, AsOf: time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC),
			Products: testProducts, Statuses: testStatuses})
		require.NoError(t, err)
		ix, err := New(users)
		require.NoError(t, err)
		r := rand.New(rand.NewPCG(4, 0))
		ids := make([]string, 1000)
		for i := range ids {
			ids[i] = users[r.IntN(n)].ID
		}
		runs := make([]time.Duration, 101)
		for i := range runs {
			start := time.Now()
			for _, id := range ids {
				if _, ok := ix.Get(id); !ok {
					t.Fatalf("lost %s", id)
				}
			}
			runs[i] = time.Since(start) / time.Duration(len(ids))
		}
		med := medianOf(runs)
		name := fmt.Sprintf("detail lookup (Index.Get), %s users", thousands(n))
		if n == 1_000 {
			small = med
			row("detail", name, fmt.Sprintf("%d ns", med.Nanoseconds()), "", "", "", true)
			continue
		}
		// The lookup is one hash and, almost always, one probe; what grows with the population
		// is cache misses, since a million users' table and records do not fit in the caches.
		ratio := float64(med) / float64(small)
		row("detail", name, fmt.Sprintf("%d ns", med.Nanoseconds()), "1,000 users", fmt.Sprintf("%.2f", ratio),
			fmt.Sprintf("O(1): ≤ %.0f× at 1,000× the users", maxDetailRatio), ratio <= maxDetailRatio)
	}
}

// maxDetailRatio bounds the million-user lookup's cost relative to the thousand-user one.
const maxDetailRatio = 4.0

// thousands writes n with comma separators, as the table's other figures are.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
