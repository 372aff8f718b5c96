package resource

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/mock/internal/engine"
	"github.com/cryptofi/partner-mock/mock/internal/query"
	"github.com/cryptofi/partner-mock/mock/internal/render"
)

// changingItems renders record p as its number and, from instant p on, "done": two variants.
type changingItems struct{}

func (changingItems) AppendItem(b []byte, p int32, at int64) []byte {
	if at >= int64(p) {
		return fmt.Appendf(b, `{"p":%d,"done":true}`, p)
	}
	return fmt.Appendf(b, `{"p":%d}`, p)
}

func (changingItems) SettledAt(p int32) int64 { return int64(p) }

func (changingItems) VariantAt(p int32, at int64) (uint32, bool) {
	if at >= int64(p) {
		return 1, true
	}
	return 0, true
}

// TestRenderCacheAnswersAsRenderingDoes reads records of both variants, with positions that
// share cache slots, in a random order, and compares every answer with a fresh rendering.
func TestRenderCacheAnswersAsRenderingDoes(t *testing.T) {
	rc := newRenderCache()
	it := changingItems{}
	r := rand.New(rand.NewPCG(1, 2))
	for range 200_000 {
		p := int32(r.IntN(4) * cacheSlots / 2 * 3)
		p += int32(r.IntN(8))
		at := int64(p) + r.Int64N(3) - 1
		v, _ := it.VariantAt(p, at)
		got := rc.appendItem([]byte("x"), p, v, func(b []byte) []byte { return it.AppendItem(b, p, at) })
		require.Equal(t, string(it.AppendItem([]byte("x"), p, at)), string(got), "p %d at %d", p, at)
	}
}

// seqSource is n records at instants 0..n-1 with ids "r<position>" and no columns.
type seqSource struct{ n int }

func (s seqSource) Len() int                          { return s.n }
func (s seqSource) Time(i int32) int64                { return int64(i) }
func (s seqSource) Cell(int32, int) engine.Cell       { return engine.Static(0) }
func (s seqSource) Group(int32, int) int32            { return 0 }
func (s seqSource) Groups(int) int                    { return 0 }
func (s seqSource) IDOrder() []int32                  { return nil }
func (s seqSource) ID(i int32) string                 { return fmt.Sprintf("r%09d", i) }
func (s seqSource) CompareID(i, j int32) int          { return int(i - j) }
func (s seqSource) Position(string) (int32, bool)     { return 0, false }
func (s seqSource) GroupOf(int, string) (int32, bool) { return 0, false }

// TestLargeCollectionsAnswerAsRenderingDoes lists pages of a collection too large to render at
// build time, at instants where its records change, and compares each answer with the items
// rendered directly.
func TestLargeCollectionsAnswerAsRenderingDoes(t *testing.T) {
	n := PrerenderMax + 1000
	table, err := engine.New(query.Schema{Rankings: []query.Ranking{{Name: "time"}}}, seqSource{n})
	require.NoError(t, err)
	c := NewCollection(table, changingItems{})
	require.NotNil(t, c.cache)
	r := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		at := r.Int64N(int64(n))
		q := query.Query{At: at, Desc: r.IntN(2) == 0, Offset: r.Int64N(at + 2), Limit: 1 + r.IntN(100)}
		s := c.Now()
		total, page := s.Find(&q, nil)
		got := s.AppendList(nil, page, render.Envelope{Total: total, LastRecordNumber: big.NewInt(q.Offset), Returned: len(page), PerPage: q.Limit}, at)
		want := []byte(`{"items":[`)
		for i, p := range page {
			if i > 0 {
				want = append(want, ',')
			}
			want = changingItems{}.AppendItem(want, p, at)
		}
		want = render.AppendEnvelope(want, render.Envelope{Total: total, LastRecordNumber: big.NewInt(q.Offset), Returned: len(page), PerPage: q.Limit})
		require.Equal(t, string(want), string(got), "query %+v", q)
	}
}
