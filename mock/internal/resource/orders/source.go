package orders

import (
	"bytes"

	"github.com/cryptofi/partner-mock/mock/internal/domain"
	"github.com/cryptofi/partner-mock/mock/internal/engine"
)

// source shows a world's orders to the engine. The order store's codes are indexes into the
// document's enums, which are the columns' values, so a cell is 1 + the code. The group of an
// order is its user's identity (domain.World.UserIdentity), which a replaced user keeps. The
// orders as built are read from the store; those changes added, from the world.
type source struct {
	w       *domain.World
	orders  *domain.OrderStore
	ids     idIndex
	pending uint8
}

func newSource(w *domain.World) (*source, error) {
	s := &source{w: w, orders: w.Orders}
	if i := w.Orders.Vocab.StatusIndex(domain.OrderPending); i >= 0 {
		s.pending = uint8(i + 1)
	}
	var err error
	s.ids, err = newIDIndex(w.Orders)
	return s, err
}

// added reports whether position i is an order a change added.
func (s *source) added(i int32) bool { return int(i) >= s.orders.Len() }

func (s *source) Len() int { return s.w.OrderLen() }

func (s *source) Time(i int32) int64 {
	if s.added(i) {
		return s.w.Order(i).PlacedAt
	}
	return s.orders.PlacedAt(i)
}

func (s *source) Cell(i int32, col int) engine.Cell {
	if s.added(i) {
		o := s.w.Order(i)
		return s.cell(col, o.Product, o.Side, o.Status, o.SettledAt)
	}
	product, side, status := s.orders.Codes(i)
	if col != colStatus {
		return s.cell(col, product, side, status, domain.Always)
	}
	return s.cell(col, product, side, status, s.orders.SettledAt(i))
}

// cell is column col's cell of an order with these codes, settling at settled.
func (s *source) cell(col int, product, side, status uint8, settled int64) engine.Cell {
	switch col {
	case colProduct:
		return engine.Static(product + 1)
	case colSide:
		return engine.Static(side + 1)
	}
	if settled == domain.Always {
		return engine.Static(status + 1)
	}
	return engine.Cell{Before: s.pending, After: status + 1, At: settled}
}

func (s *source) Group(i int32, _ int) int32 {
	if s.added(i) {
		return s.w.Order(i).User
	}
	return s.orders.User(i)
}

func (s *source) Groups(int) int { return s.w.UserLen() }

// IDOrder is called when the table is built, on the orders as built.
func (s *source) IDOrder() []int32 { return s.ids.sorted }

// id returns the order_id of the order at i.
func (s *source) id(i int32) domain.UUID {
	if s.added(i) {
		return s.w.Order(i).ID
	}
	return s.orders.ID(i)
}

func (s *source) ID(i int32) string { return s.id(i).String() }

// CompareID compares ids as bytes, which orders them as their lowercase hex text.
func (s *source) CompareID(i, j int32) int {
	a, b := s.id(i), s.id(j)
	return bytes.Compare(a[:], b[:])
}

func (s *source) Position(id string) (int32, bool) {
	u, ok := domain.ParseUUID(id)
	if !ok {
		return 0, false
	}
	if p, edited := s.w.OrderEdit(u); edited {
		return p, p >= 0
	}
	return s.ids.find(s.orders, &u)
}

func (s *source) GroupOf(_ int, id string) (int32, bool) { return s.w.UserIdentity(id) }
