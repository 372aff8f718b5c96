package app_test

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/mock/app"
	"github.com/cryptofi/partner-mock/mock/internal/domain"
	"github.com/cryptofi/partner-mock/mock/internal/tenant"
)

// largeUsers is the population of TestPropertiesOnAMillionUsers: the size the engine's fast
// paths are built for.
const largeUsers = 1_000_000

// TestPropertiesOnAMillionUsers samples the core properties on a million-user tenant, so the
// engine's bitmaps, radix sorts and created_at masks are checked at the scale they serve. Each
// sampled page is checked against brute force without sorting a million users: one pass over
// the population counts the matches, the matches that sort before the page, and any match that
// falls between two consecutive items (there must be none).
func TestPropertiesOnAMillionUsers(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a million-user tenant; run without -short")
	}
	const key = "large-key"
	cfg, err := tenant.ParseConfig("large", []byte(fmt.Sprintf(`tenants:
  - name: large
    fi_name: Large Credit Union
    api_keys: [%s]
    seed: 6
    users: %d
    as_of: "2025-10-01T00:00:00Z"
`, key, largeUsers)))
	require.NoError(t, err)
	a, err := app.New(app.Config{Tenants: cfg})
	require.NoError(t, err)
	tn, ok := a.Tenants.Lookup(key)
	require.True(t, ok)
	all := tn.Index.Users("user_account_id")
	require.Len(t, all, largeUsers)

	r := rand.New(rand.NewPCG(66, 0))
	for i := range 16 {
		q := randomFilters(r, a, key)
		q.Set("sort_order", []string{"asc", "desc"}[r.IntN(2)])
		t.Run(fmt.Sprintf("%d/%s", i, q.Encode()), func(t *testing.T) {
			first := list(t, a.Handler, key, withPaging(q, 100, 0))
			total := first.TotalRecords
			cursors := []int{0, r.IntN(max(total, 1)), max(0, total-100)}
			pages := make([][]*domain.User, len(cursors))
			for p, c := range cursors {
				lr := list(t, a.Handler, key, withPaging(q, 100, c))
				require.Equal(t, total, lr.TotalRecords, "total_records is the same on every page")
				require.Len(t, lr.Items, min(100, total-c))
				for j, raw := range lr.Items {
					checkUser(t, a, key, raw, q)
					u, ok := tn.Index.Get(decodeUser(t, raw).UserAccountID)
					require.True(t, ok)
					pages[p] = append(pages[p], u)
					if j > 0 {
						require.Negative(t, resultOrder(q)(pages[p][j-1], u), "items are in sort order")
					}
				}
				checkSmallerPages(t, a.Handler, key, q, c, lr)
			}
			checkAgainstBruteForce(t, all, q, total, cursors, pages)
			checkAscIsReverse(t, a.Handler, key, q, total, cursors[1], pages[1])
		})
	}
}

// checkSmallerPages asserts that four pages of 25 from cursor c are the page of 100 from c.
func checkSmallerPages(t *testing.T, h http.Handler, key string, q url.Values, c int, page100 listResponse) {
	t.Helper()
	var got []string
	for k := range 4 {
		lr := list(t, h, key, withPaging(q, 25, c+25*k))
		for _, raw := range lr.Items {
			got = append(got, string(raw))
		}
	}
	var want []string
	for _, raw := range page100.Items {
		want = append(want, string(raw))
	}
	assert.Equal(t, want, got, "pages of 25 from %d are the page of 100", c)
}

// checkAscIsReverse asserts that the page at cursor c in one order is the reverse of the
// matching page in the other.
func checkAscIsReverse(t *testing.T, h http.Handler, key string, q url.Values, total, c int, page []*domain.User) {
	t.Helper()
	if len(page) == 0 {
		return
	}
	other := cloneValues(q)
	other.Set("sort_order", map[string]string{"asc": "desc", "desc": "asc"}[q.Get("sort_order")])
	lr := list(t, h, key, withPaging(other, len(page), total-c-len(page)))
	var got []string
	for _, raw := range lr.Items {
		got = append(got, decodeUser(t, raw).UserAccountID)
	}
	slices.Reverse(got)
	want := make([]string, len(page))
	for i, u := range page {
		want[i] = u.ID
	}
	assert.Equal(t, want, got, "the other order's matching page, reversed")
}

// checkAgainstBruteForce makes one pass over the population with its own reading of the
// filters and asserts each page is exactly the matches at its cursor.
func checkAgainstBruteForce(t *testing.T, all []*domain.User, q url.Values, total int, cursors []int, pages [][]*domain.User) {
	t.Helper()
	match := bruteFilter(t, q)
	order := resultOrder(q)
	matches := 0
	before := make([]int, len(pages))
	between := make([]int, len(pages))
	for _, u := range all {
		if !match(u) {
			continue
		}
		matches++
		for p, page := range pages {
			if len(page) == 0 {
				continue
			}
			// j is the number of page items that sort before u.
			j := sort.Search(len(page), func(k int) bool { return order(page[k], u) >= 0 })
			switch {
			case j == 0 && order(page[0], u) != 0:
				before[p]++
			case j < len(page) && order(page[j], u) == 0:
				// u is item j.
			case j > 0 && j < len(page):
				between[p]++
			}
		}
	}
	assert.Equal(t, matches, total, "total_records counts every match")
	for p, c := range cursors {
		if len(pages[p]) == 0 {
			continue
		}
		assert.Equal(t, c, before[p], "page at %d: the matches before it", c)
		assert.Zero(t, between[p], "page at %d: no match is skipped inside it", c)
	}
}

// bruteFilter reads q's filters independently of the mock's parser and engine.
func bruteFilter(t *testing.T, q url.Values) func(*domain.User) bool {
	t.Helper()
	bound := func(name string) *int64 {
		s := q.Get(name)
		if s == "" {
			return nil
		}
		tm, err := time.Parse(time.RFC3339Nano, s)
		require.NoError(t, err)
		v := tm.UnixMicro()
		return &v
	}
	start, end := bound("created_at_start"), bound("created_at_end")
	product := domain.Product(q.Get("product"))
	var kyc []domain.Account
	for _, p := range products {
		if s := q.Get(p + "_kyc_status"); s != "" {
			kyc = append(kyc, domain.Account{Product: domain.Product(p), Status: domain.KycStatus(s)})
		}
	}
	has := func(u *domain.User, p domain.Product) (domain.KycStatus, bool) {
		for _, a := range u.Accounts {
			if a.Product == p {
				return a.Status, true
			}
		}
		return "", false
	}
	return func(u *domain.User) bool {
		if (start != nil && u.CreatedAt < *start) || (end != nil && u.CreatedAt >= *end) {
			return false
		}
		if _, ok := has(u, product); product != "" && !ok {
			return false
		}
		for _, want := range kyc {
			if got, ok := has(u, want.Product); !ok || got != want.Status {
				return false
			}
		}
		return true
	}
}

// resultOrder compares two users in the order q asks for: negative when a comes first.
func resultOrder(q url.Values) func(a, b *domain.User) int {
	byCreated := q.Get("sort_key") != "user_account_id"
	desc := q.Get("sort_order") != "asc"
	return func(a, b *domain.User) int {
		c := 0
		if byCreated && a.CreatedAt != b.CreatedAt {
			c = -1
			if a.CreatedAt > b.CreatedAt {
				c = 1
			}
		}
		if c == 0 {
			c = strings.Compare(a.ID, b.ID)
		}
		if desc {
			c = -c
		}
		return c
	}
}
