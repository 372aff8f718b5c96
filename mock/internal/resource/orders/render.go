package orders

import (
	"github.com/cryptofi/partner-mock/mock/internal/domain"
	"github.com/cryptofi/partner-mock/mock/internal/pyjson"
	"github.com/cryptofi/partner-mock/mock/internal/render"
	"github.com/cryptofi/partner-mock/mock/internal/resource"
)

// items renders a world's orders, with the vocabulary's names quoted once.
type items struct {
	w *domain.World
	q *quoted
}

// quoted holds a vocabulary's names as JSON strings.
type quoted struct {
	products, sides, statuses, symbols resource.Quoted
}

func newItems(w *domain.World) items {
	v := &w.Orders.Vocab
	return items{w: w, q: &quoted{
		products: resource.QuoteAll(v.Products), sides: resource.QuoteAll(v.Sides),
		statuses: resource.QuoteAll(v.Statuses), symbols: resource.QuoteAll(v.Symbols),
	}}
}

func (it items) AppendItem(b []byte, p int32, at int64) []byte {
	o := it.w.Order(p)
	q := it.q
	if q == nil {
		q = &noQuotes // items of a changed world (Over)
	}
	return appendOrder(b, it.w, &o, at, q)
}

func (it items) SettledAt(p int32) int64 {
	if int(p) < it.w.Orders.Len() {
		return it.w.Orders.SettledAt(p)
	}
	return it.w.Order(p).SettledAt
}

// VariantAt tells an order's two renderings apart: pending, and settled.
func (it items) VariantAt(p int32, at int64) (uint32, bool) {
	if at < it.w.Orders.SettledAt(p) {
		return 0, true
	}
	return 1, true
}

// AppendOrder appends the order object of o, one of w's orders, in its state at instant at
// (Unix microseconds). Keys come in the live API's order; completed_at is there exactly when
// the order is completed at at, recurring_order_id exactly when the order is recurring.
func AppendOrder(b []byte, w *domain.World, o *domain.Order, at int64) []byte {
	return appendOrder(b, w, o, at, &noQuotes)
}

// noQuotes quotes every name as it is rendered.
var noQuotes quoted

func appendOrder(b []byte, w *domain.World, o *domain.Order, at int64, q *quoted) []byte {
	v := &w.Orders.Vocab
	b = append(b, `{"order_id":"`...)
	b = o.ID.Append(b)
	b = append(b, `","user_account_id":`...)
	b = pyjson.AppendString(b, w.User(o.User).ID)
	b = append(b, `,"product":`...)
	b = q.products.Append(b, int(o.Product), string(v.Products[o.Product]))
	b = append(b, `,"side":`...)
	b = q.sides.Append(b, int(o.Side), string(v.Sides[o.Side]))
	b = append(b, `,"symbol":`...)
	b = q.symbols.Append(b, int(o.Symbol), w.Symbol(o.Symbol))
	b = append(b, `,"quantity":"`...)
	b = domain.AppendDecimal(b, o.Quantity, o.QuantityPlaces)
	b = append(b, `","notional":"`...)
	b = o.Notional.Append(b)
	b = append(b, `","fee":"`...)
	b = o.Fee.Append(b)
	b = append(b, `","status":`...)
	status, code := v.Statuses[o.Status], int(o.Status)
	if at < o.SettledAt {
		status, code = domain.OrderPending, v.StatusIndex(domain.OrderPending)
	}
	b = q.statuses.Append(b, code, string(status))
	b = append(b, `,"placed_at":"`...)
	b = render.AppendMicros(b, o.PlacedAt)
	b = append(b, '"')
	if status == domain.OrderCompleted {
		b = append(b, `,"completed_at":"`...)
		b = render.AppendMicros(b, o.SettledAt)
		b = append(b, '"')
	}
	b = append(b, `,"is_recurring_order":`...)
	if o.Recurring() {
		b = append(b, `true,"recurring_order_id":"`...)
		b = w.SeriesID(o.Series).Append(b)
		return append(b, `"}`...)
	}
	return append(b, `false}`...)
}
