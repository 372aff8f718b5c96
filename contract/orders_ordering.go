package contract

var ordersOrderingChecks = []Check{
	{Name: "orders-ordering/placed_at", Family: "orders-ordering",
		Description: "sort_order=asc and desc list orders by placed_at in that direction, ties broken by order_id in the same direction (the first and last 100 in each direction; equal seconds told apart by bisection)",
		run:         ordersOrderingPlacedAt},
	{Name: "orders-ordering/reverse", Family: "orders-ordering",
		Description: "asc is the exact reverse of desc (a total order, ties broken the same way in both directions), within the run's fixed window",
		run:         func(t *T) { orderingReverse(t, needOrders(t), q(), shareOrderReverse) }},
	{Name: "orders-ordering/default", Family: "orders-ordering",
		Description: "with no sort_order the order is the document's default (desc), within the run's fixed window",
		run:         func(t *T) { orderingDefault(t, needOrders(t)) }},
}

func ordersOrderingPlacedAt(t *T) {
	res := needOrders(t)
	scope := t.scope(res, q())
	total := *t.run.orderTotal
	for _, dir := range []string{"asc", "desc"} {
		cursors := []int64{0}
		if total > 100 {
			cursors = append(cursors, total-100)
		}
		for _, c := range cursors {
			ex, p := t.List(res, CredPrimary, with(scope, "sort_order", dir, "per_page", "100", "last_record_number", itoa(c)))
			ids, err := res.ids(p)
			if err != nil {
				t.Fatalf(ex, "%v", err)
			}
			t.checkSorted(res, walked{ids: ids, items: p.Items, pages: []*Exchange{ex}, starts: []int{0}}, dir)
		}
	}
}
