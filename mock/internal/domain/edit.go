package domain

import (
	"fmt"
	"maps"
	"math"
	"slices"
)

// edits are the admin API's changes to a world as built. Records only ever get added: a
// replaced record is a new one at a new position, and the old position stays readable for the
// versions that still show it.
type edits struct {
	// users, orders and series are the records added, at positions (indexes) that follow the
	// world's records as built.
	users  []User
	orders []Order
	series []UUID
	// symbols are the orders' symbols when a change named a new one; nil while the
	// vocabulary's are enough.
	symbols []string
	// userAt and orderAt map the ids whose record changed to their current position, or -1
	// when deleted.
	userAt  map[string]userRef
	orderAt map[UUID]int32
}

// userRef is where a changed user is: its current position (-1 when deleted) and its identity
// (World.UserIdentity).
type userRef struct {
	pos, identity int32
}

// Edit returns a new version of w to change and then publish in its place: its changes are
// invisible to the readers of w. It shares w's records: the new version's additions go after
// them, into room no reader of w reads. So at most one version may be edited at a time, always
// the latest one published (or the world as built): callers serialize their changes.
func (w *World) Edit() *World {
	nw := *w
	e := &edits{userAt: map[string]userRef{}, orderAt: map[UUID]int32{}}
	if w.edits != nil {
		e.users, e.orders, e.series, e.symbols = w.edits.users, w.edits.orders, w.edits.series, w.edits.symbols
		e.userAt, e.orderAt = maps.Clone(w.edits.userAt), maps.Clone(w.edits.orderAt)
	}
	nw.edits = e
	return &nw
}

// maxPositions bounds the positions of each kind of record: positions are int32.
const maxPositions = math.MaxInt32

// PutUser adds u to a world being edited (Edit), replacing the user with the same id if there
// is one, and returns the position of the new record and of the one it replaces (-1 when it
// replaces none). A replaced user keeps its identity, so its orders stay its own.
func (w *World) PutUser(u User) (pos, old int32, err error) {
	if w.UserLen() >= maxPositions {
		return 0, 0, fmt.Errorf("the FI holds %d user records, the most it can", w.UserLen())
	}
	pos = int32(w.UserLen())
	old, identity := int32(-1), pos
	if p, ok := w.FindUser(u.ID); ok {
		old = p
		identity, _ = w.UserIdentity(u.ID)
	}
	w.edits.users = append(w.edits.users, u)
	w.edits.userAt[u.ID] = userRef{pos: pos, identity: identity}
	return pos, old, nil
}

// DeleteUser deletes the user with user_account_id id from a world being edited and returns
// its position; false when there is none. The user's orders are the caller's to delete.
func (w *World) DeleteUser(id string) (int32, bool) {
	p, ok := w.FindUser(id)
	if ok {
		w.edits.userAt[id] = userRef{pos: -1, identity: -1}
	}
	return p, ok
}

// PutOrder adds o to a world being edited and returns its position; o replaces the order with
// the same order_id, whose position the caller knows (the world knows the positions of the
// orders changes put, not of those as built). o.User is its user's identity (UserIdentity)
// and o.Series an index SeriesID knows, or -1.
func (w *World) PutOrder(o Order) (int32, error) {
	if w.OrderLen() >= maxPositions {
		return 0, fmt.Errorf("the FI holds %d order records, the most it can", w.OrderLen())
	}
	pos := int32(w.OrderLen())
	w.edits.orders = append(w.edits.orders, o)
	w.edits.orderAt[o.ID] = pos
	return pos, nil
}

// DeleteOrder deletes the order with order_id id from a world being edited.
func (w *World) DeleteOrder(id UUID) {
	w.edits.orderAt[id] = -1
}

// AddSeries adds the recurring_order_id id to a world being edited and returns its index.
func (w *World) AddSeries(id UUID) int32 {
	w.edits.series = append(w.edits.series, id)
	return int32(len(w.Orders.Series) + len(w.edits.series) - 1)
}

// maxSymbols is how many symbols orders can name: Order.Symbol is a uint16.
const maxSymbols = math.MaxUint16 + 1

// SymbolCode returns the code of symbol s in a world being edited, adding s to the symbols
// when it is new.
func (w *World) SymbolCode(s string) (uint16, error) {
	symbols := w.Orders.Vocab.Symbols
	if w.edits.symbols != nil {
		symbols = w.edits.symbols
	}
	if i := slices.Index(symbols, s); i >= 0 {
		return uint16(i), nil
	}
	if len(symbols) >= maxSymbols {
		return 0, fmt.Errorf("the FI's orders name %d symbols, the most they can; use one of them", len(symbols))
	}
	// The symbols are few and shared with the versions before (and the store as built): copy
	// them, never write into them.
	w.edits.symbols = append(slices.Clip(symbols), s)
	return uint16(len(w.edits.symbols) - 1), nil
}
