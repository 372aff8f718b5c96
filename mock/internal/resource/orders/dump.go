package orders

import (
	"strconv"

	"github.com/cryptofi/partner-mock/mock/internal/domain"
	"github.com/cryptofi/partner-mock/mock/internal/render"
)

// AppendDumpItem appends the order object as the API renders it: a JSON dump of orders is a
// valid pinned-orders file for the same users pinned.
func (orders) AppendDumpItem(b []byte, w *domain.World, p int32, at int64) []byte {
	o := w.Order(p)
	return AppendOrder(b, w, &o, at)
}

// csvHeader is the CSV dump's header: the order object's fields, in its key order.
var csvHeader = []string{
	"order_id", "user_account_id", "product", "side", "symbol", "quantity", "notional", "fee",
	"status", "placed_at", "completed_at", "is_recurring_order", "recurring_order_id",
}

func (orders) CSVHeader() []string { return csvHeader }

func (orders) CSVRows(w *domain.World, p int32, at int64, emit func([]string) error) error {
	o := w.Order(p)
	v := &w.Orders.Vocab
	status := v.Statuses[o.Status]
	if at < o.SettledAt {
		status = domain.OrderPending
	}
	row := []string{
		o.ID.String(), w.User(o.User).ID, string(v.Products[o.Product]), string(v.Sides[o.Side]), w.Symbol(o.Symbol),
		string(domain.AppendDecimal(nil, o.Quantity, o.QuantityPlaces)), o.Notional.String(), o.Fee.String(),
		string(status), string(render.AppendMicros(nil, o.PlacedAt)), "", strconv.FormatBool(o.Recurring()), "",
	}
	if status == domain.OrderCompleted {
		row[10] = string(render.AppendMicros(nil, o.SettledAt))
	}
	if o.Recurring() {
		row[12] = w.SeriesID(o.Series).String()
	}
	return emit(row)
}
