package orders

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/cryptofi/partner-mock/mock/internal/domain"
	"github.com/cryptofi/partner-mock/mock/internal/engine"
)

// source shows a world's orders to the engine. The order book's codes are indexes into the
// document's enums, which are the columns' values, so a cell is 1 + the code.
type source struct {
	w       *domain.World
	ids     engine.IDTable
	pending uint8
}

func newSource(w *domain.World) (*source, error) {
	orders := w.Orders.Orders
	s := &source{w: w}
	if i := w.Orders.Vocab.StatusIndex(domain.OrderPending); i >= 0 {
		s.pending = uint8(i + 1)
	}
	var ok bool
	var a, b int32
	s.ids, a, b, ok = engine.NewIDTable(len(orders), func(i int32) uint64 { return hashUUID(&orders[i].ID) },
		func(i, j int32) bool { return orders[i].ID == orders[j].ID })
	if !ok {
		return nil, fmt.Errorf("orders %d and %d share the order_id %s", a, b, orders[a].ID)
	}
	return s, nil
}

// hashUUID hashes an order id: generated ids are random, so their first bytes already are a
// good hash.
func hashUUID(u *domain.UUID) uint64 {
	return binary.LittleEndian.Uint64(u[:8]) ^ binary.LittleEndian.Uint64(u[8:])
}

func (s *source) Len() int           { return len(s.w.Orders.Orders) }
func (s *source) Time(i int32) int64 { return s.w.Orders.Orders[i].PlacedAt }

func (s *source) Cell(i int32, col int) engine.Cell {
	o := &s.w.Orders.Orders[i]
	switch col {
	case colProduct:
		return engine.Static(o.Product + 1)
	case colSide:
		return engine.Static(o.Side + 1)
	}
	if o.SettledAt == domain.Always {
		return engine.Static(o.Status + 1)
	}
	return engine.Cell{Before: s.pending, After: o.Status + 1, At: o.SettledAt}
}

func (s *source) Group(i int32, _ int) int32 { return s.w.Orders.Orders[i].User }
func (s *source) Groups(int) int             { return len(s.w.Users) }

func (s *source) IDOrder() []int32 {
	orders := s.w.Orders.Orders
	return engine.SortByKey(len(orders), func(i int32) uint64 { return binary.BigEndian.Uint64(orders[i].ID[:8]) }, s.CompareID)
}

func (s *source) ID(i int32) string { return s.w.Orders.Orders[i].ID.String() }

// CompareID compares ids as bytes, which orders them as their lowercase hex text.
func (s *source) CompareID(i, j int32) int {
	orders := s.w.Orders.Orders
	return bytes.Compare(orders[i].ID[:], orders[j].ID[:])
}

func (s *source) Position(id string) (int32, bool) {
	u, ok := domain.ParseUUID(id)
	if !ok {
		return 0, false
	}
	orders := s.w.Orders.Orders
	return s.ids.Find(hashUUID(&u), func(i int32) bool { return orders[i].ID == u })
}

func (s *source) GroupOf(_ int, id string) (int32, bool) { return s.w.UserPosition(id) }
