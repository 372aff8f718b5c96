package orders

import (
	"github.com/cryptofi/partner-mock/mock/internal/domain"
	"github.com/cryptofi/partner-mock/mock/internal/pyjson"
	"github.com/cryptofi/partner-mock/mock/internal/render"
)

// items renders a world's orders.
type items struct {
	w *domain.World
}

func (it items) AppendItem(b []byte, p int32, at int64) []byte {
	o := it.w.Order(p)
	return AppendOrder(b, it.w, &o, at)
}

func (it items) SettledAt(p int32) int64 {
	if int(p) < it.w.Orders.Len() {
		return it.w.Orders.SettledAt(p)
	}
	return it.w.Order(p).SettledAt
}

// AppendOrder appends the order object of o, one of w's orders, in its state at instant at
// (Unix microseconds). Keys come in the live API's order; completed_at is there exactly when
// the order is completed at at, recurring_order_id exactly when the order is recurring.
func AppendOrder(b []byte, w *domain.World, o *domain.Order, at int64) []byte {
	v := &w.Orders.Vocab
	b = append(b, `{"order_id":"`...)
	b = o.ID.Append(b)
	b = append(b, `","user_account_id":`...)
	b = pyjson.AppendString(b, w.User(o.User).ID)
	b = append(b, `,"product":`...)
	b = pyjson.AppendString(b, string(v.Products[o.Product]))
	b = append(b, `,"side":`...)
	b = pyjson.AppendString(b, string(v.Sides[o.Side]))
	b = append(b, `,"symbol":`...)
	b = pyjson.AppendString(b, w.Symbol(o.Symbol))
	b = append(b, `,"quantity":"`...)
	b = domain.AppendDecimal(b, o.Quantity, o.QuantityPlaces)
	b = append(b, `","notional":"`...)
	b = o.Notional.Append(b)
	b = append(b, `","fee":"`...)
	b = o.Fee.Append(b)
	b = append(b, `","status":`...)
	status := v.Statuses[o.Status]
	if at < o.SettledAt {
		status = domain.OrderPending
	}
	b = pyjson.AppendString(b, string(status))
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
