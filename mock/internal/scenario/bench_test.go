package scenario_test

import (
	"fmt"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/mock/internal/query"
	"github.com/cryptofi/partner-mock/mock/internal/render"
	"github.com/cryptofi/partner-mock/mock/internal/resource"
	"github.com/cryptofi/partner-mock/mock/internal/resource/users"
	"github.com/cryptofi/partner-mock/mock/internal/tenant"
)

// millionConfig is a tenant of a million users (and their orders).
const millionConfig = `tenants:
  - {name: big, fi_name: Big FI, api_keys: [k], seed: 5, users: 1000000, as_of: 2025-10-01T00:00:00Z}
`

var (
	millionOnce sync.Once
	million     *fixture
)

// sized returns the benchmarks' tenants: the built-in demo tenant (1,000 users) and a
// 1,000,000-user one, built once and reset before each use.
func sized(b *testing.B) []struct {
	name string
	f    *fixture
} {
	millionOnce.Do(func() { million = build(b, millionConfig) })
	out := []struct {
		name string
		f    *fixture
	}{{"demo", build(b, "")}, {"1M", million}}
	for _, s := range out {
		s.f.editor.Reset(s.f.tenants[0])
	}
	return out
}

// withOrders returns a user of tn that has orders, and its record as a body.
func withOrders(b *testing.B, tn *tenant.Tenant) (string, []byte) {
	w := tn.World()
	for p := range int32(min(1000, w.OrderLen())) {
		o := w.Order(p)
		if o.User < int32(len(w.Users)-w.PinnedUsers) {
			return w.User(o.User).ID, users.Resource.(resource.Mutable).AppendRecord(nil, w, o.User)
		}
	}
	b.Fatal("no generated user with orders")
	return "", nil
}

// BenchmarkChange measures one admin change of a tenant, from the request's body to the new
// records published. The first change of a tenant also indexes each ranking's positions
// (first-change-ms); later ones do not.
func BenchmarkChange(b *testing.B) {
	for _, s := range sized(b) {
		tn := s.f.tenants[0]
		b.Run(s.name, func(b *testing.B) {
			id, record := withOrders(b, tn)
			start := time.Now()
			_, err := s.f.editor.Put(tn, "users", id, record)
			require.NoError(b, err)
			first := time.Since(start)

			b.Run("replace a user with orders", func(b *testing.B) {
				for b.Loop() {
					if _, err := s.f.editor.Put(tn, "users", id, record); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(first.Microseconds())/1000, "first-change-ms")
				b.ReportMetric(float64(tn.World().Changed()), "changes-at-end")
			})
			b.Run("put a new user", func(b *testing.B) {
				i := 0
				for b.Loop() {
					i++
					nid := fmt.Sprintf("bench-%d", i)
					if _, err := s.f.editor.Put(tn, "users", nid, []byte(userBody(nid, "2025-09-01T00:00:00Z", "crypto:approved:2025-09-02T00:00:00Z"))); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("put a new order", func(b *testing.B) {
				i := 0
				for b.Loop() {
					i++
					oid := fmt.Sprintf("00000000-0000-4000-8000-%012d", i)
					if _, err := s.f.editor.Put(tn, "orders", oid, []byte(orderBody(oid, "bench-1", "crypto", "BTC", "2025-09-03T00:00:00Z"))); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("delete a user with orders", func(b *testing.B) {
				for b.Loop() {
					if err := s.f.editor.Delete(tn, "users", id); err != nil {
						b.Fatal(err)
					}
					b.StopTimer()
					s.f.editor.Reset(tn)
					b.StartTimer()
				}
			})
		})
	}
}

// BenchmarkRead measures the default list page (the newest 25 users, rendered) and a filtered
// one, without changes and with a few: the cost changes add to reads.
func BenchmarkRead(b *testing.B) {
	for _, s := range sized(b) {
		tn := s.f.tenants[0]
		for _, changes := range []int{0, 1, 10, 100} {
			s.f.editor.Reset(tn)
			id, record := withOrders(b, tn)
			for i := range changes {
				var err error
				if i%2 == 0 {
					_, err = s.f.editor.Put(tn, "users", id, record) // a table record removed, one added
				} else {
					nid := fmt.Sprintf("bench-%d", i)
					_, err = s.f.editor.Put(tn, "users", nid, []byte(userBody(nid, "2025-09-01T00:00:00Z", "crypto:approved:2025-09-02T00:00:00Z")))
				}
				require.NoError(b, err)
			}
			for _, q := range []struct {
				name string
				q    query.Query
			}{
				{"default page", query.Query{Desc: true, Limit: 25}},
				{"crypto approved", query.Query{Desc: true, Limit: 25, Conds: []query.Cond{{Column: colCrypto, Value: statusApproved}}}},
				{"deep page", query.Query{Desc: true, Limit: 25, Offset: 500}},
			} {
				b.Run(fmt.Sprintf("%s/%s/%d changes", s.name, q.name, changes), func(b *testing.B) {
					buf := make([]byte, 0, 64<<10)
					cursor := big.NewInt(q.q.Offset)
					var positions [128]int32
					for b.Loop() {
						c := tn.Collections[usersC].Now()
						q := q.q
						q.At = tn.AsOf()
						total, page := c.Find(&q, positions[:0])
						buf = c.AppendList(buf[:0], page, render.Envelope{Total: total, LastRecordNumber: cursor, Returned: len(page), PerPage: 25}, q.At)
						if len(page) != 25 {
							b.Fatal(len(page))
						}
					}
				})
			}
		}
		s.f.editor.Reset(tn)
	}
}
