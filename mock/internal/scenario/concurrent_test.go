package scenario_test

import (
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/mock/internal/query"
)

// TestConcurrentChangesAndReads changes a tenant from several goroutines while others read it,
// for the race detector, and checks what each read sees is one consistent state: every id a
// page lists is found by its detail in the same snapshot, and renders as JSON.
func TestConcurrentChangesAndReads(t *testing.T) {
	f := build(t, "")
	tn := f.dcu()
	var stop atomic.Bool
	var reads atomic.Int64
	var readers, writers sync.WaitGroup
	for r := range 4 {
		readers.Go(func() {
			for i := 0; !stop.Load() || i < 20; i++ {
				c := []int{usersC, ordersC}[(r+i)%2]
				s := tn.Collections[c].Now()
				q := &query.Query{At: tn.AsOf(), Desc: i%3 == 0, Offset: int64(i % 7), Limit: 25}
				if c == ordersC && i%4 == 0 {
					q.Groups = []query.Group{{Key: 0, Value: "member-001"}}
				}
				total, page := s.Find(q, nil)
				if !assert.GreaterOrEqual(t, total, len(page)) {
					return
				}
				seen := map[int32]bool{}
				for _, p := range page {
					assert.False(t, seen[p], "a position listed twice")
					seen[p] = true
					id := s.View().Source().ID(p)
					got, ok := s.Lookup(id, tn.AsOf())
					assert.True(t, ok && got == p, "listed %s is its detail", id)
					assert.True(t, json.Valid(s.AppendItem(nil, p, tn.AsOf())))
				}
				_ = tn.World().Name
				reads.Add(1)
			}
		})
	}
	var writes atomic.Int64
	for w := range 3 {
		writers.Go(func() {
			for i := range 60 {
				id := fmt.Sprintf("w%d-%d", w, i%5)
				switch i % 6 {
				case 0, 1:
					_, err := f.put(tn, "users", id, userBody(id, "2025-09-01T00:00:00Z", "crypto:approved:2025-09-02T00:00:00Z"))
					assert.NoError(t, err)
				case 2:
					oid := fmt.Sprintf("00000000-0000-4000-8000-%06d%06d", w, i)
					_, err := f.put(tn, "orders", oid, orderBody(oid, "member-001", "crypto", "ETH", "2025-09-10T00:00:00Z"))
					assert.NoError(t, err)
				case 3:
					err := f.editor.Delete(tn, "users", id)
					_ = err // another writer may have reset it away
				case 4:
					_, err := f.put(tn, "users", "member-001", userBody("member-001", "2025-08-12T15:40:00Z",
						"securities:approved:2025-08-14T17:02:31Z", "robo:approved:2025-08-14T17:02:31Z", "crypto:approved:2025-09-02T11:18:09Z"))
					assert.NoError(t, err)
				case 5:
					if i%12 == 5 {
						f.editor.Reset(tn)
					}
				}
				writes.Add(1)
			}
		})
	}
	writers.Wait()
	stop.Store(true)
	readers.Wait()
	require.Equal(t, int64(180), writes.Load())
	require.Greater(t, reads.Load(), int64(80))

	// A final reset leaves the built records, whatever the interleaving was.
	f.editor.Reset(tn)
	fresh := build(t, "").dcu()
	_, want := find(fresh, usersC, query.Query{})
	_, got := find(tn, usersC, query.Query{})
	assert.Equal(t, want, got)
}
