package resource

import (
	"slices"

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

// Collection is one resource's records for one tenant, ready to answer: the engine's table and
// the records' renderings.
type Collection struct {
	Table *engine.Table
	Items Items
	// store holds every item rendered in its settled state, when the collection is small
	// enough.
	store *render.Store
	// settled holds each position's SettledAt, next to the store, so a page need not ask Items.
	settled []int64
}

// NewCollection prepares a collection over table, rendered by items.
func NewCollection(table *engine.Table, items Items) *Collection {
	c := &Collection{Table: table, Items: items}
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
	}
	return c
}

const maxInstant = 1<<63 - 1

// Find answers q; see engine.Table.Find.
func (c *Collection) Find(q *query.Query, into []int32) (int, []int32) {
	return c.Table.Find(q, into)
}

// Lookup finds the record with primary id id that exists at instant at.
func (c *Collection) Lookup(id string, at int64) (int32, bool) {
	src := c.Table.Source()
	p, ok := src.Position(id)
	if !ok || src.Time(p) > at {
		return 0, false
	}
	return p, true
}

// AppendItem appends the record at position p in its state at instant at.
func (c *Collection) AppendItem(b []byte, p int32, at int64) []byte {
	if c.store != nil && c.settled[p] <= at {
		return append(b, c.store.Bytes(p)...)
	}
	return c.Items.AppendItem(b, p, at)
}

// AppendList appends the list answer whose items are the records at positions, in their state
// at instant at.
func (c *Collection) AppendList(b []byte, positions []int32, env render.Envelope, at int64) []byte {
	if c.store != nil {
		// One allocation at most: room for the longest item on every position, and the envelope.
		b = slices.Grow(b, len(positions)*(c.store.MaxLen()+1)+128)
		c.store.Touch(positions)
	}
	b = append(b, `{"items":[`...)
	for i, p := range positions {
		if i > 0 {
			b = append(b, ',')
		}
		b = c.AppendItem(b, p, at)
	}
	return render.AppendEnvelope(b, env)
}
