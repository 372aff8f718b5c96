package engine

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/mock/internal/domain"
)

var (
	testProducts = []domain.Product{"crypto", "securities", "roth_ira", "robo"}
	testStatuses = []domain.KycStatus{"not_started", "pending", "approved", "rejected"}
)

// randomUsers builds a population with many created_at ties, so the id tie-break matters.
func randomUsers(n int, seed uint64) []domain.User {
	r := rand.New(rand.NewPCG(seed, 0))
	users := make([]domain.User, n)
	for i := range users {
		u := &users[i]
		// Ids of different lengths sharing long prefixes exercise the radix sort's tie-breaks.
		u.ID = fmt.Sprintf("u%05d", r.IntN(10*n)*10+i%10)
		u.ID = fmt.Sprintf("%s-%d", u.ID, i)
		if i%7 == 0 {
			u.ID = fmt.Sprintf("user-with-a-long-shared-prefix-%d", i)
		}
		u.CreatedAt = int64(r.IntN(n/4+1)) * 1_000_000
		for _, p := range testProducts {
			if r.IntN(2) == 0 || (p == "robo" && len(u.Accounts) == 0) {
				u.Accounts = append(u.Accounts, domain.Account{Product: p, Status: testStatuses[r.IntN(4)], Value: domain.Money(r.IntN(100000))})
			}
		}
		u.Total = u.SumAccounts()
	}
	return users
}

// oracle answers q by brute force: filter everything, sort with an explicit comparator, slice.
func oracle(users []domain.User, q Query) Page {
	var matched []*domain.User
	for i := range users {
		if q.Matches(&users[i]) {
			matched = append(matched, &users[i])
		}
	}
	slices.SortFunc(matched, func(a, b *domain.User) int {
		c := 0
		if q.SortKey == SortCreatedAt {
			c = int(a.CreatedAt - b.CreatedAt)
		}
		if c == 0 {
			c = strings.Compare(a.ID, b.ID)
		}
		if q.Desc {
			c = -c
		}
		return c
	})
	page := Page{Total: len(matched)}
	if q.Offset < int64(len(matched)) {
		end := min(int(q.Offset)+q.Limit, len(matched))
		page.Users = matched[q.Offset:end]
	}
	return page
}

func ptr[T any](v T) *T { return &v }

func randomQuery(r *rand.Rand, users []domain.User) Query {
	q := Query{SortKey: SortKeys[r.IntN(2)], Desc: r.IntN(2) == 0, Limit: 1 + r.IntN(30), Offset: int64(r.IntN(40))}
	if r.IntN(4) == 0 {
		// Deep pages, up to and past the end.
		q.Offset = r.Int64N(int64(len(users)) + 10)
	}
	if r.IntN(4) == 0 {
		q.Product = ptr(testProducts[r.IntN(4)])
	}
	for _, p := range testProducts {
		if r.IntN(5) == 0 {
			q.Kyc = append(q.Kyc, KycFilter{Product: p, Status: testStatuses[r.IntN(4)]})
		}
	}
	if r.IntN(20) == 0 {
		// Two statuses for one product, or a value no user has: both match nobody.
		q.Kyc = append(q.Kyc, KycFilter{Product: testProducts[r.IntN(4)], Status: []domain.KycStatus{"approved", "frozen"}[r.IntN(2)]})
	}
	if r.IntN(3) == 0 {
		q.CreatedFrom = ptr(users[r.IntN(len(users))].CreatedAt + int64(r.IntN(3)-1))
	}
	if r.IntN(3) == 0 {
		q.CreatedBefore = ptr(users[r.IntN(len(users))].CreatedAt + int64(r.IntN(3)-1))
	}
	if r.IntN(10) == 0 {
		q.UserAccountID = ptr(users[r.IntN(len(users))].ID)
	}
	return q
}

// TestQueryAgreesWithOracle compares the bitmap scans with brute force over Query.Matches, on
// populations whose sizes straddle the 64-bit words and the created_at buckets.
func TestQueryAgreesWithOracle(t *testing.T) {
	for _, n := range []int{1, 63, 64, 65, 300, 2000, 20_000} {
		t.Run(fmt.Sprintf("users=%d", n), func(t *testing.T) {
			users := randomUsers(n, uint64(n))
			ix, err := New(users)
			require.NoError(t, err)
			r := rand.New(rand.NewPCG(2, uint64(n)))
			// Brute force costs a pass per query: fewer queries on the larger populations.
			for i := range min(1500, 6_000_000/n) {
				q := randomQuery(r, users)
				want := oracle(users, q)
				got := ix.Query(q)
				if !assert.Equal(t, want.Total, got.Total, "query %d %+v: total", i, q) ||
					!assert.Equal(t, ids(want.Users), ids(got.Users), "query %d %+v: page", i, q) {
					return
				}
				for j, u := range got.Users {
					require.Same(t, u, ix.At(got.Positions[j]), "positions point at the page's users")
				}
				prefix := []int32{-1, -2, -3}
				total, positions := ix.Find(q, prefix)
				require.Equal(t, want.Total, total, "Find: total")
				require.Equal(t, prefix, positions[:3], "Find appends")
				require.Equal(t, got.Positions, nilIfEmpty32(positions[3:]), "Find: the page")
			}
		})
	}
}

func ids(us []*domain.User) []string {
	out := make([]string, len(us))
	for i, u := range us {
		out[i] = u.ID
	}
	return out
}

func TestQueryPaging(t *testing.T) {
	users := randomUsers(500, 3)
	ix, err := New(users)
	require.NoError(t, err)
	for _, key := range SortKeys {
		for _, limit := range []int{1, 7, 25, 100} {
			t.Run(fmt.Sprintf("%s/per_page=%d", key, limit), func(t *testing.T) {
				var walked []string
				for off := int64(0); ; {
					page := ix.Query(Query{SortKey: key, Desc: true, Limit: limit, Offset: off})
					require.Equal(t, len(users), page.Total)
					if len(page.Users) == 0 {
						break
					}
					walked = append(walked, ids(page.Users)...)
					off += int64(len(page.Users))
				}
				all := ids(ix.Query(Query{SortKey: key, Desc: true, Limit: len(users)}).Users)
				assert.Equal(t, all, walked, "walking pages visits every user once, in order")
				asc := ids(ix.Query(Query{SortKey: key, Limit: len(users)}).Users)
				slices.Reverse(asc)
				assert.Equal(t, all, asc, "asc is the exact reverse of desc")
			})
		}
	}
}

func TestQueryEdges(t *testing.T) {
	users := []domain.User{
		{ID: "b", CreatedAt: 10, Accounts: []domain.Account{{Product: "crypto", Status: "approved"}}},
		{ID: "a", CreatedAt: 10, Accounts: []domain.Account{{Product: "robo", Status: "pending"}}},
		{ID: "c", CreatedAt: 5, Accounts: []domain.Account{{Product: "crypto", Status: "pending"}}},
	}
	ix, err := New(users)
	require.NoError(t, err)
	tests := []struct {
		name  string
		q     Query
		want  []string
		total int
	}{
		{"created desc breaks ties by id desc", Query{SortKey: SortCreatedAt, Desc: true, Limit: 10}, []string{"b", "a", "c"}, 3},
		{"created asc breaks ties by id asc", Query{SortKey: SortCreatedAt, Limit: 10}, []string{"c", "a", "b"}, 3},
		{"id asc", Query{SortKey: SortUserAccountID, Limit: 10}, []string{"a", "b", "c"}, 3},
		{"start is inclusive", Query{SortKey: SortCreatedAt, CreatedFrom: ptr(int64(10)), Limit: 10}, []string{"a", "b"}, 2},
		{"end is exclusive", Query{SortKey: SortCreatedAt, CreatedBefore: ptr(int64(10)), Limit: 10}, []string{"c"}, 1},
		{"empty range", Query{SortKey: SortCreatedAt, CreatedFrom: ptr(int64(10)), CreatedBefore: ptr(int64(5)), Limit: 10}, nil, 0},
		{"kyc needs the account", Query{SortKey: SortUserAccountID, Kyc: []KycFilter{{"robo", "pending"}}, Limit: 10}, []string{"a"}, 1},
		{"product", Query{SortKey: SortUserAccountID, Product: ptr(domain.Product("crypto")), Limit: 10}, []string{"b", "c"}, 2},
		{"past the end", Query{SortKey: SortUserAccountID, Offset: 3, Limit: 10}, nil, 3},
		{"huge offset", Query{SortKey: SortUserAccountID, Offset: 1 << 62, Limit: 10}, nil, 3},
		{"id filter", Query{SortKey: SortUserAccountID, UserAccountID: ptr("c"), Limit: 10}, []string{"c"}, 1},
		{"id filter and other filter", Query{SortKey: SortUserAccountID, UserAccountID: ptr("c"), Product: ptr(domain.Product("robo")), Limit: 10}, nil, 0},
		{"id filter past the end", Query{SortKey: SortUserAccountID, UserAccountID: ptr("c"), Offset: 1, Limit: 10}, nil, 1},
		{"unknown id", Query{SortKey: SortUserAccountID, UserAccountID: ptr(""), Limit: 10}, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ix.Query(tt.q)
			assert.Equal(t, tt.total, got.Total)
			assert.Equal(t, tt.want, nilIfEmpty(ids(got.Users)))
		})
	}
}

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}

func TestNewRejectsDuplicateIDs(t *testing.T) {
	_, err := New([]domain.User{{ID: "x"}, {ID: "x"}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `duplicate user_account_id "x"`)
}

func TestEmptyIndex(t *testing.T) {
	ix, err := New(nil)
	require.NoError(t, err)
	for _, key := range SortKeys {
		page := ix.Query(Query{SortKey: key, Limit: 10, CreatedFrom: ptr(int64(0)), Product: ptr(domain.Product("crypto"))})
		assert.Zero(t, page.Total)
		assert.Empty(t, page.Users)
		assert.Zero(t, ix.Query(Query{SortKey: key, Limit: 10}).Total)
	}
	_, ok := ix.Get("x")
	assert.False(t, ok)
}

// TestSortByIDIsStringOrder checks the radix sort's tie-breaks on ids built to defeat it: shared
// prefixes longer than eight bytes, prefixes of each other, zero bytes and multi-byte runes.
func TestSortByIDIsStringOrder(t *testing.T) {
	ids := []string{"", "a", "a\x00", "a\x00\x00", "ab", "abcdefghij", "abcdefghi", "abcdefghijk", "abcdefgh\xff",
		"é", "e\u0301", "Z", "abcdefghijklmnop-1", "abcdefghijklmnop-0", "abcdefghijklmnop"}
	users := make([]domain.User, len(ids))
	for i, id := range ids {
		users[i].ID = id
	}
	var got []string
	for _, p := range sortByID(users) {
		got = append(got, users[p].ID)
	}
	want := slices.Clone(ids)
	slices.Sort(want)
	assert.Equal(t, want, got)
}

// TestConcurrentQueriesAgree runs id-ordered created_at ranges (the queries that borrow a
// scratch mask) from several goroutines; under -race this checks the masks are never shared.
func TestConcurrentQueriesAgree(t *testing.T) {
	users := randomUsers(5000, 12)
	ix, err := New(users)
	require.NoError(t, err)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(g), 13))
			for range 200 {
				q := randomQuery(r, users)
				q.SortKey, q.UserAccountID = SortUserAccountID, nil
				q.CreatedFrom = ptr(users[r.IntN(len(users))].CreatedAt)
				want := oracle(users, q)
				got := ix.Query(q)
				if !assert.Equal(t, want.Total, got.Total) || !assert.Equal(t, ids(want.Users), ids(got.Users)) {
					return
				}
			}
		})
	}
	wg.Wait()
}

func nilIfEmpty32(s []int32) []int32 {
	if len(s) == 0 {
		return nil
	}
	return s
}
