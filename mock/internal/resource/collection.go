package resource

import (
	"slices"
	"sync/atomic"

	"github.com/cryptofi/partner-mock/mock/internal/engine"
	"github.com/cryptofi/partner-mock/mock/internal/query"
	"github.com/cryptofi/partner-mock/mock/internal/render"
)

// Items renders a resource's records.
type Items interface {
	// AppendItem appends the JSON object of the record at position p in its state at instant
	// at (Unix microseconds).
	AppendItem(b []byte, p int32, at int64) []byte
	// SettledAt returns the instant from which the record's rendering no longer changes, or
	// engine.Always.
	SettledAt(p int32) int64
}

// PrerenderMax is the largest collection whose items are rendered once at build time. An item
// is a few hundred bytes, so this caps the cost near 60 MB per collection; larger ones render
// each page as it is served (a few microseconds more per page), which keeps a million-user
// tenant's heap small.
const PrerenderMax = 250_000

// Collection is one resource's records for one tenant, ready to answer: the engine's view of
// them and their renderings. Its records can be changed (the admin API): Swap publishes a new
// view with the items that render it, atomically, so a request sees either the old records or
// the new ones, never a mix.
type Collection struct {
	state atomic.Pointer[state]
	base  state
	// store holds every record of the table rendered in its settled state, when the collection
	// is small enough; settled holds each one's SettledAt next to it.
	store   *render.Store
	settled []int64
	// cache keeps recent renderings when there is no store and the items tell their variants.
	cache *renderCache
}

// state is what one request reads: a view and the items of the same records.
type state struct {
	view  *engine.View
	items Items
}

// NewCollection prepares a collection over table, rendered by items.
func NewCollection(table *engine.Table, items Items) *Collection {
	c := &Collection{base: state{view: table.Base(), items: items}}
	c.state.Store(&c.base)
	if n := table.Len(); n > 0 && n <= PrerenderMax {
		settled := make([]int64, n)
		for p := range int32(n) {
			settled[p] = items.SettledAt(p)
		}
		// The settled state is the state at the latest instant, and the time ranking is the
		// order default pages are read in.
		c.store = render.NewStore(n, table.Order(0), func(b []byte, p int32) []byte {
			return items.AppendItem(b, p, maxInstant)
		})
		c.settled = settled
	} else if _, ok := items.(Variants); ok && n > PrerenderMax {
		c.cache = newRenderCache()
	}
	return c
}

const maxInstant = 1<<63 - 1

// Snapshot is the collection's records as one request sees them: read them through one
// snapshot for the whole request, so a concurrent change cannot show half.
type Snapshot struct {
	c *Collection
	s *state
}

// Now returns the collection's current records.
func (c *Collection) Now() Snapshot { return Snapshot{c: c, s: c.state.Load()} }

// Table returns the table the collection was built on.
func (c *Collection) Table() *engine.Table { return c.base.view.Table() }

// Swap publishes changed records: a view of the table and the items that render its records.
func (c *Collection) Swap(view *engine.View, items Items) {
	c.state.Store(&state{view: view, items: items})
}

// Reset publishes the records as built.
func (c *Collection) Reset() { c.state.Store(&c.base) }

// View returns the snapshot's engine view.
func (s Snapshot) View() *engine.View { return s.s.view }

// Find answers q; see engine.View.Find.
func (s Snapshot) Find(q *query.Query, into []int32) (int, []int32) {
	return s.s.view.Find(q, into)
}

// Lookup finds the record with primary id id that exists at instant at.
func (s Snapshot) Lookup(id string, at int64) (int32, bool) {
	src := s.s.view.Source()
	p, ok := src.Position(id)
	if !ok || s.s.view.Removed(p) || src.Time(p) > at {
		return 0, false
	}
	return p, true
}

// AppendItem appends the record at position p in its state at instant at.
func (s Snapshot) AppendItem(b []byte, p int32, at int64) []byte {
	c := s.c
	if c.store != nil && int(p) < len(c.settled) && c.settled[p] <= at {
		return append(b, c.store.Bytes(p)...)
	}
	// The cache serves the records as built; a changed collection's renders as it goes.
	if c.cache != nil && s.s == &c.base {
		items := s.s.items
		if v, ok := items.(Variants).VariantAt(p, at); ok {
			return c.cache.appendItem(b, p, v, func(b []byte) []byte { return items.AppendItem(b, p, at) })
		}
	}
	return s.s.items.AppendItem(b, p, at)
}

// AppendList appends the list answer whose items are the records at positions, in their state
// at instant at.
func (s Snapshot) AppendList(b []byte, positions []int32, env render.Envelope, at int64) []byte {
	if c := s.c; c.store != nil && !s.s.view.Changed() {
		// One allocation at most: room for the longest item on every position, and the envelope.
		b = slices.Grow(b, len(positions)*(c.store.MaxLen()+1)+128)
		c.store.Touch(positions)
	}
	b = append(b, `{"items":[`...)
	for i, p := range positions {
		if i > 0 {
			b = append(b, ',')
		}
		b = s.AppendItem(b, p, at)
	}
	return render.AppendEnvelope(b, env)
}
