package orders

import (
	"bytes"

	"github.com/cryptofi/partner-mock/mock/internal/domain"
	"github.com/cryptofi/partner-mock/mock/internal/engine"
)

// source shows a world's orders to the engine. The order store's codes are indexes into the
// document's enums, which are the columns' values, so a cell is 1 + the code.
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

func (s *source) Len() int           { return s.orders.Len() }
func (s *source) Time(i int32) int64 { return s.orders.PlacedAt(i) }

func (s *source) Cell(i int32, col int) engine.Cell {
	product, side, status := s.orders.Codes(i)
	switch col {
	case colProduct:
		return engine.Static(product + 1)
	case colSide:
		return engine.Static(side + 1)
	}
	at := s.orders.SettledAt(i)
	if at == domain.Always {
		return engine.Static(status + 1)
	}
	return engine.Cell{Before: s.pending, After: status + 1, At: at}
}

func (s *source) Group(i int32, _ int) int32 { return s.orders.User(i) }
func (s *source) Groups(int) int             { return len(s.w.Users) }

func (s *source) IDOrder() []int32 { return s.ids.sorted }

func (s *source) ID(i int32) string { return s.orders.ID(i).String() }

// CompareID compares ids as bytes, which orders them as their lowercase hex text.
func (s *source) CompareID(i, j int32) int {
	a, b := s.orders.ID(i), s.orders.ID(j)
	return bytes.Compare(a[:], b[:])
}

func (s *source) Position(id string) (int32, bool) {
	u, ok := domain.ParseUUID(id)
	if !ok {
		return 0, false
	}
	return s.ids.find(s.orders, &u)
}

func (s *source) GroupOf(_ int, id string) (int32, bool) { return s.w.UserPosition(id) }
