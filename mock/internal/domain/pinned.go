package domain

import "time"

// PinnedOrder is an order as a pinned-orders file or an admin request writes it, once checked:
// its user by position, its symbol and series by value, before it joins an order book.
type PinnedOrder struct {
	ID UUID
	// User is the order's user: its index among the tenant's pinned users in a file, its
	// identity (World.UserIdentity) in a request.
	User     int
	Product  Product
	Side     OrderSide
	Symbol   string
	Quantity int64
	Notional Money
	Fee      Money
	Status   OrderStatus
	// PlacedAt and CompletedAt are Unix microseconds; CompletedAt is 0 unless completed.
	PlacedAt, CompletedAt int64
	// Series is the recurring_order_id, or nil for a one-off order.
	Series *UUID
}

// Order returns the order po describes, placed by the user whose identity is user
// (World.UserIdentity), with its symbol's code and its series' index (-1 for none). Its
// product, side and status are coded by v. A completed order is pending until completed_at, so
// a time before it shows the order in flight; any other state holds from placement.
func (po *PinnedOrder) Order(v *OrderVocab, user int32, symbol uint16, series int32) Order {
	o := Order{
		ID: po.ID, User: user, Series: series, PlacedAt: po.PlacedAt, SettledAt: Always,
		Quantity: po.Quantity, Notional: po.Notional, Fee: po.Fee, Symbol: symbol,
		Product: uint8(v.ProductIndex(po.Product)), Side: uint8(v.SideIndex(po.Side)),
		Status: uint8(v.StatusIndex(po.Status)), QuantityPlaces: QuantityPlaces(po.Product),
	}
	if po.Status == OrderCompleted {
		o.SettledAt = po.CompletedAt
	}
	return o
}

// RegularSeries reports whether placed_at instants (Unix microseconds, ascending) are those of
// a recurring series: a fixed gap, or the same day and time of consecutive months. Fewer than
// three always are.
func RegularSeries(times []int64) bool {
	if len(times) < 3 {
		return true
	}
	gap := times[1] - times[0]
	even, monthly := gap > 0, true
	first := time.UnixMicro(times[0]).UTC()
	for k := 1; k < len(times); k++ {
		if times[k]-times[k-1] != gap {
			even = false
		}
		if !time.UnixMicro(times[k]).UTC().Equal(first.AddDate(0, k, 0)) {
			monthly = false
		}
	}
	return even || monthly
}
