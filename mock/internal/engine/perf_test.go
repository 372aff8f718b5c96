//go:build perf

package engine_test

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/mock/internal/domain"
	"github.com/cryptofi/partner-mock/mock/internal/perftable"
	"github.com/cryptofi/partner-mock/mock/internal/resource"
	"github.com/cryptofi/partner-mock/mock/internal/resource/orders"
	"github.com/cryptofi/partner-mock/mock/internal/resource/users"
	"github.com/cryptofi/partner-mock/mock/internal/tenant"
	"github.com/cryptofi/partner-mock/spec"
)

// The engine half of `make bench` (the HTTP half is mock/internal/httpapi/perf_test.go): the
// time the engine takes to answer a list query (Find: count every match and pick the page),
// for users and orders of a 1,000,000-user tenant with orders at the default density, over
// every combination of the list's filters, each at its first, middle and last page, in both
// sort orders (and both sort keys for users). Each query runs perfRepeats times; a
// combination's figure is its median, and the table shows the worst combination next to the
// target, with the median of all combinations.

const (
	perfUsers   = 1_000_000
	perfRepeats = 31
	perfTarget  = 50 * time.Microsecond
)

func perfTenant(t *testing.T) (*tenant.Tenant, []*resource.Bound) {
	t.Helper()
	s, problems := spec.Inspect("embedded", spec.Embedded())
	require.Empty(t, problems)
	bound, vocab, problems := resource.BindAll(s, []resource.Resource{users.Resource, orders.Resource})
	require.Empty(t, problems)
	cfg, err := tenant.ParseConfig("perf", []byte(fmt.Sprintf(`tenants:
  - name: perf
    fi_name: Perf Credit Union
    api_keys: [perf-key]
    seed: 1
    users: %d
    as_of: "2025-10-01T00:00:00Z"
    id_format: "CIF{n:09d}"
`, perfUsers)))
	require.NoError(t, err)
	ts, err := tenant.Build(bound, vocab, cfg, nil)
	require.NoError(t, err)
	for _, c := range ts[0].Collections {
		c.Table().WarmAll(ts[0].AsOf())
	}
	return ts[0], bound
}

// filter is one of a list's filters with the value the benchmark gives it.
type filter struct{ name, value string }

// combinations returns every subset of filters, as query strings, the empty one first.
func combinations(filters []filter) []string {
	var out []string
	for mask := range 1 << len(filters) {
		var parts []string
		for i, f := range filters {
			if mask&(1<<i) != 0 {
				parts = append(parts, f.name+"="+url.QueryEscape(f.value))
			}
		}
		out = append(out, strings.Join(parts, "&"))
	}
	return out
}

// timing is the median time of each combination at one depth.
type timing struct {
	medians []time.Duration
	worst   string
	max     time.Duration
}

func (tm *timing) add(q string, d time.Duration) {
	tm.medians = append(tm.medians, d)
	if d > tm.max {
		tm.max, tm.worst = d, q
	}
}

func (tm *timing) median() time.Duration {
	s := slices.Clone(tm.medians)
	slices.Sort(s)
	return s[len(s)/2]
}

// measure runs every query string of qs (with each of sorts appended) at its first, middle
// and last page, and returns the timings by depth.
func measure(t *testing.T, tn *tenant.Tenant, b *resource.Bound, coll int, qs, sorts []string) [3]timing {
	c := tn.Collections[coll].Now()
	at := tn.AsOf()
	var out [3]timing
	runs := make([]time.Duration, perfRepeats)
	var page [128]int32
	for _, base := range qs {
		for _, sort := range sorts {
			raw := strings.Trim(base+"&"+sort, "&")
			req, errs := b.Parser.Parse(raw)
			require.Nil(t, errs, raw)
			q := req.Query
			q.At = at
			total, _ := c.Find(&q, page[:0])
			for depth, offset := range []int64{0, int64(total / 2), int64(max(total-q.Limit, 0))} {
				q.Offset = offset
				for i := range runs {
					start := time.Now()
					c.Find(&q, page[:0])
					runs[i] = time.Since(start)
				}
				slices.Sort(runs)
				out[depth].add(fmt.Sprintf("%s&last_record_number=%d", raw, offset), runs[len(runs)/2])
			}
		}
	}
	return out
}

func TestPerfEngine(t *testing.T) {
	tn, bound := perfTenant(t)
	w := tn.World()
	// A user with many orders: the user_account_id filter reads that user's orders.
	busiest, most := int32(0), 0
	counts := map[int32]int{}
	for p := range int32(w.Orders.Len()) {
		u := w.Orders.User(p)
		counts[u]++
		if counts[u] > most {
			busiest, most = u, counts[u]
		}
	}
	mid := time.UnixMicro(w.AsOf).UTC().AddDate(-1, 0, 0)
	userFilters := []filter{
		{"product", "crypto"},
		{"crypto_kyc_status", "approved"},
		{"securities_kyc_status", "approved"},
		{"roth_ira_kyc_status", "pending"},
		{"robo_kyc_status", "approved"},
		{"created_at_start", mid.Format(time.RFC3339)},
		{"created_at_end", mid.AddDate(0, 6, 0).Format(time.RFC3339)},
	}
	userQueries := append(combinations(userFilters), "user_account_id="+url.QueryEscape(w.Users[busiest].ID))
	orderFilters := []filter{
		{"user_account_id", w.Users[busiest].ID},
		{"product", "crypto"},
		{"side", "buy"},
		{"status", "completed"},
		{"placed_at_start", mid.Format(time.RFC3339)},
		{"placed_at_end", mid.AddDate(0, 6, 0).Format(time.RFC3339)},
	}
	orderQueries := combinations(orderFilters)
	userSorts := []string{"", "sort_order=asc", "sort_key=user_account_id", "sort_key=user_account_id&sort_order=asc"}
	orderSorts := []string{"", "sort_order=asc"}

	report := func(name string, n int, tm [3]timing) {
		for depth, label := range []string{"first", "middle", "last"} {
			d := tm[depth]
			perftable.Row("engine", fmt.Sprintf("%s: Find, %s page, worst of %d queries (%s)", name, label, n, d.worst),
				us(d.max), "median of all: "+us(d.median()), "", "≤ "+us(perfTarget), d.max <= perfTarget)
		}
	}
	uq := measure(t, tn, bound[0], 0, userQueries, userSorts)
	report(fmt.Sprintf("users (%d)", tn.Collections[0].Table().Len()), len(userQueries)*len(userSorts), uq)
	oq := measure(t, tn, bound[1], 1, orderQueries, orderSorts)
	report(fmt.Sprintf("orders (%d)", tn.Collections[1].Table().Len()), len(orderQueries)*len(orderSorts), oq)
	_ = domain.Always
}

func us(d time.Duration) string {
	return fmt.Sprintf("%.1f µs", float64(d)/float64(time.Microsecond))
}
