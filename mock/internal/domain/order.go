package domain

// OrderSide is an order's side ("buy", "sell"); OrderStatus its lifecycle state ("pending",
// "completed", ...). Their valid values come from the loaded OpenAPI document.
type (
	OrderSide   string
	OrderStatus string
)

// The order states with a meaning of their own: an order waits in OrderPending until it
// settles, and only completed orders carry completed_at.
const (
	OrderPending   OrderStatus = "pending"
	OrderCompleted OrderStatus = "completed"
)

// Order is one order of a user. A tenant holds millions, so an order stores small codes into
// its OrderBook's vocabulary instead of strings, and its user as a position.
type Order struct {
	ID UUID
	// User is the position of the order's user in the tenant's users.
	User int32
	// Series is the index of the order's recurring series in OrderBook.Series, or -1 for a
	// one-off order.
	Series int32
	// PlacedAt is when the order was placed, in Unix microseconds; the order exists from then.
	PlacedAt int64
	// SettledAt is when the order leaves OrderPending for Status, in Unix microseconds, and for a
	// completed order its completed_at. Always means the order is in Status from its placement.
	SettledAt int64
	// Quantity is in units of 10^-QuantityPlaces.
	Quantity int64
	Notional Money
	Fee      Money
	// Symbol, Product, Side and Status index the vocabulary's lists; Status is the state the
	// order settles in.
	Symbol                uint16
	Product, Side, Status uint8
	QuantityPlaces        uint8
}

// Recurring reports whether the order belongs to a recurring series.
func (o *Order) Recurring() bool { return o.Series >= 0 }

// StatusAt returns the index of the order's state at mock time at (Unix microseconds): pending
// is the index pending.
func (o *Order) StatusAt(at int64, pending uint8) uint8 {
	if at < o.SettledAt {
		return pending
	}
	return o.Status
}

// OrderVocab names the codes orders store. Products, sides and statuses are the document's
// enums, in document order.
type OrderVocab struct {
	Products []Product
	Sides    []OrderSide
	Statuses []OrderStatus
	Symbols  []string
}

// StatusIndex returns the index of status s, or -1.
func (v *OrderVocab) StatusIndex(s OrderStatus) int { return indexOf(v.Statuses, s) }

// ProductIndex returns the index of product p, or -1.
func (v *OrderVocab) ProductIndex(p Product) int { return indexOf(v.Products, p) }

// SideIndex returns the index of side s, or -1.
func (v *OrderVocab) SideIndex(s OrderSide) int { return indexOf(v.Sides, s) }

// SymbolIndex returns the index of symbol s, or -1.
func (v *OrderVocab) SymbolIndex(s string) int { return indexOf(v.Symbols, s) }

func indexOf[T comparable](list []T, v T) int {
	for i, x := range list {
		if x == v {
			return i
		}
	}
	return -1
}

// OrderBook is a tenant's orders with what their codes mean.
type OrderBook struct {
	Vocab  OrderVocab
	Orders []Order
	// Series holds the recurring_order_id of each recurring series.
	Series []UUID
}

// QuantityPlaces returns the number of decimal places of a quantity of product p: crypto trades
// in fractions of a coin to 8 places, everything else to 6.
func QuantityPlaces(p Product) uint8 {
	if p == "crypto" {
		return 8
	}
	return 6
}
