package engine

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/mock/internal/query"
)

// viewSource is a testSource that grew records past the table's and whose ids resolve to the
// current record: an added record replacing a removed one takes its id.
type viewSource struct {
	*testSource
	current map[string]int32
	live    func(p int32) bool
}

func (s *viewSource) Position(id string) (int32, bool) {
	p, ok := s.current[id]
	return p, ok
}

// TestViewsAgreeWithBruteForce changes a table step by step — removing table records, adding
// records (some replacing a removed record's id), removing added ones — and checks every query
// against brute force over the view's records at each step.
func TestViewsAgreeWithBruteForce(t *testing.T) {
	for _, n := range []int{0, 1, 70, 900, 5000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			base := randomSource(n, uint64(n)+40)
			tab, err := New(testSchema, base)
			require.NoError(t, err)
			r := rand.New(rand.NewPCG(uint64(n), 41))
			extra := randomSource(60, uint64(n)+42) // records to add, from the same distribution
			recs := slices.Clone(base.recs)
			src := &viewSource{testSource: &testSource{recs: recs, groups: base.groups}, current: map[string]int32{}}
			live := map[int32]bool{}
			for i := range recs {
				live[int32(i)] = true
				src.current[recs[i].id] = int32(i)
			}
			v := tab.Base()
			span := int64(n/4 + 1)
			for step := range 25 {
				var removed, added []int32
				for range r.IntN(4) {
					if len(live) == 0 {
						break
					}
					keys := make([]int32, 0, len(live))
					for p := range live {
						keys = append(keys, p)
					}
					slices.Sort(keys)
					p := keys[r.IntN(len(keys))]
					removed = append(removed, p)
					delete(live, p)
					delete(src.current, src.recs[p].id)
				}
				for range r.IntN(4) {
					rec := extra.recs[r.IntN(len(extra.recs))]
					rec.id = fmt.Sprintf("added-%d-%d", step, len(src.recs))
					if len(removed) > 0 && r.IntN(2) == 0 {
						rec.id = src.recs[removed[0]].id // a replacement keeps the id
						removed = append(removed[1:], removed[0])
						if _, taken := src.current[rec.id]; taken {
							rec.id = fmt.Sprintf("%s-again-%d", rec.id, len(src.recs))
						}
					}
					rec.group = int32(r.IntN(max(base.groups, 1)))
					p := int32(len(src.recs))
					src.recs = append(src.recs, rec)
					src.current[rec.id] = p
					live[p] = true
					added = append(added, p)
				}
				next := &viewSource{testSource: &testSource{recs: slices.Clone(src.recs), groups: base.groups}, current: maps(src.current)}
				v = v.Change(next, removed, added)
				src = next

				for range 40 {
					q := randomQuery(r, &testSource{recs: next.recs, groups: base.groups}, r.Int64N(3*span)-span/2)
					if q.ID != nil && r.IntN(2) == 0 {
						id := next.recs[r.IntN(len(next.recs))].id
						q.ID = &id
					}
					wantTotal, wantPage := bruteForce(next, func(p int32) bool { return live[p] }, &q)
					total, page := v.Find(&q, nil)
					require.Equal(t, wantTotal, total, "step %d query %+v", step, q)
					require.Equal(t, wantPage, page, "step %d query %+v", step, q)
				}
			}
			// The table itself is untouched by its views.
			q := query.Query{At: 1 << 62, Limit: n + 1}
			total, _ := tab.Find(&q, nil)
			require.Equal(t, n, total)
		})
	}
}

func maps(m map[string]int32) map[string]int32 {
	out := make(map[string]int32, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
