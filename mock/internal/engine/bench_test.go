package engine

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/mock/internal/domain"
	"github.com/cryptofi/partner-mock/mock/internal/gen"
)

// benchUsers is the size of the benchmark population: the million users per FI.
const benchUsers = 1_000_000

var benchIndex = sync.OnceValues(func() (*Index, error) {
	users, err := gen.Generate(gen.Params{
		Seed:     1,
		Users:    benchUsers,
		AsOf:     time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC),
		Products: testProducts,
		Statuses: testStatuses,
	})
	if err != nil {
		return nil, err
	}
	return New(users)
})

// benchCase is one cell of the engine table: a filter combination, a sort, a page size and a
// depth.
type benchCase struct {
	Filters, Sort, Depth string
	PerPage              int
	Query                Query
}

// benchCases crosses every kind of documented filter with both sort keys and orders, two page
// sizes and three depths: the first page, the middle and the last page of the matches.
func benchCases(ix *Index) []benchCase {
	users := ix.Users(SortCreatedAt)
	quarter, threeQ := users[len(users)/4].CreatedAt, users[3*len(users)/4].CreatedAt
	filters := []struct {
		name string
		q    Query
	}{
		{"none", Query{}},
		{"product", Query{Product: ptr(domain.Product("crypto"))}},
		{"kyc", Query{Kyc: []KycFilter{{"securities", "approved"}}}},
		{"4 kyc", Query{Kyc: []KycFilter{{"crypto", "approved"}, {"securities", "approved"}, {"roth_ira", "pending"}, {"robo", "not_started"}}}},
		{"created range", Query{CreatedFrom: &quarter, CreatedBefore: &threeQ}},
		{"product+kyc+range", Query{Product: ptr(domain.Product("robo")), Kyc: []KycFilter{{"crypto", "pending"}}, CreatedFrom: &quarter, CreatedBefore: &threeQ}},
		{"all + 4 kyc", Query{Product: ptr(domain.Product("crypto")), Kyc: []KycFilter{{"crypto", "approved"}, {"securities", "approved"}, {"roth_ira", "not_started"}, {"robo", "approved"}}, CreatedFrom: &quarter}},
		{"user_account_id", Query{UserAccountID: ptr(users[len(users)/2].ID)}},
	}
	sorts := []struct {
		name string
		key  SortKey
		desc bool
	}{{"created_at desc", SortCreatedAt, true}, {"user_account_id asc", SortUserAccountID, false}}
	var out []benchCase
	for _, f := range filters {
		for _, s := range sorts {
			for _, perPage := range []int{25, 100} {
				q := f.q
				q.SortKey, q.Desc, q.Limit = s.key, s.desc, perPage
				total := int64(ix.Query(q).Total)
				last := max(0, (total-1)/int64(perPage)*int64(perPage))
				for _, d := range []struct {
					name   string
					offset int64
				}{{"first", 0}, {"middle", last / 2}, {"last", last}} {
					q.Offset = d.offset
					out = append(out, benchCase{Filters: f.name, Sort: s.name, Depth: d.name, PerPage: perPage, Query: q})
				}
			}
		}
	}
	return out
}

// BenchmarkQuery runs every cell of the engine table over a million generated users.
func BenchmarkQuery(b *testing.B) {
	ix, err := benchIndex()
	require.NoError(b, err)
	for _, c := range benchCases(ix) {
		b.Run(fmt.Sprintf("%s/%s/per_page=%d/%s", c.Filters, c.Sort, c.PerPage, c.Depth), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				ix.Query(c.Query)
			}
		})
	}
}

// BenchmarkNew builds the index of a million generated users.
func BenchmarkNew(b *testing.B) {
	ix, err := benchIndex()
	require.NoError(b, err)
	users := ix.users
	for b.Loop() {
		if _, err := New(users); err != nil {
			b.Fatal(err)
		}
	}
}
