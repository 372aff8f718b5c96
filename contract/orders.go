package contract

import (
	"encoding/json"
	"fmt"
	"net/url"
	"time"
)

// ordersChecks are every check of the orders endpoints, in the order they run.
func ordersChecks() []Check {
	var all []Check
	for _, family := range [][]Check{
		schemaChecks(ordersOf, "order", "orders-schema"),
		authChecks(ordersOf, "order", "orders-auth"),
		envelopeChecks(ordersOf, "order", "orders-envelope"),
		pagingChecks(needOrders, "order", "orders-paging", shareOrderWalk, shareOrderFilteredWalk),
		ordersOrderingChecks,
		ordersFilterChecks,
		timeRangeChecks(needOrders, "order", "placed_at", "orders-timerange"),
		ordersDetailChecks,
		validationChecks(ordersOf, "order", "orders-validation"),
		ordersFieldChecks,
		relationChecks,
	} {
		all = append(all, family...)
	}
	return all
}

// needOrders is the order collection, for checks that need orders to look at: it skips the
// check, saying so, when the FI has none in the run's window.
func needOrders(t *T) *resource {
	res := ordersOf(t)
	if t.run.orderTotal == nil {
		_, p := t.List(res, CredPrimary, t.scope(res, q("per_page", "1")))
		t.run.orderTotal = &p.TotalRecords
	}
	if *t.run.orderTotal == 0 {
		t.Skipf("the FI has no orders placed before the run's window end (%s): nothing to check", t.window().UTC().Format(time.RFC3339))
	}
	return res
}

// The states and the product BEHAVIOUR.md's order rules name: completed_at belongs to a
// completed order, and crypto quantities have 8 decimal places where others have 6.
const (
	completedStatus = "completed"
	cryptoProduct   = "crypto"
)

// order is an order item as the checks read it: the raw bytes, and its fields in the order
// they came, absent and null told apart.
type order struct {
	raw  json.RawMessage
	node *jnode
	// The string fields, "" when absent or not a string.
	ID, User, Product, Side, Symbol, Status, PlacedAt string
}

func decodeOrder(raw json.RawMessage) (*order, error) {
	n, err := parseJSON(raw)
	if err != nil || n.kind != '{' {
		return nil, fmt.Errorf("order is not a JSON object: %s", clip(string(raw), 200))
	}
	str := func(k string) string {
		v := n.get(k)
		if v == nil || v.kind != 0 || len(v.raw) == 0 || v.raw[0] != '"' {
			return ""
		}
		return v.text()
	}
	o := &order{raw: raw, node: n, ID: str("order_id"), User: str("user_account_id"), Product: str("product"),
		Side: str("side"), Symbol: str("symbol"), Status: str("status"), PlacedAt: str("placed_at")}
	if o.ID == "" {
		return nil, fmt.Errorf("order without a string order_id: %s", clip(string(raw), 200))
	}
	return o, nil
}

// has reports whether the order has key, null or not; null reports whether it is null.
func (o *order) has(key string) bool  { return o.node.get(key) != nil }
func (o *order) null(key string) bool { v := o.node.get(key); return v != nil && v.raw == "null" }

// sampledOrder is an order the field and relation checks inspect, with the answer it came in.
type sampledOrder struct {
	*order
	ex *Exchange
}

// orderSample is how many orders the field and relation checks inspect when they cannot
// afford every order in the window.
const orderSample = 400

// orders returns the primary FI's orders the field and relation checks inspect, fetched once
// per run within the run's window: all of them when a walk fits the checks' allowance,
// otherwise the newest and the oldest. Orders that do not decode are failures of the check
// that first asks.
func (t *T) orders() []sampledOrder {
	r := t.run
	res := needOrders(t)
	if r.orderSample != nil {
		if r.orderSampleNote != "" {
			t.Sampled("%s", r.orderSampleNote)
		}
		return r.orderSample
	}
	total := *r.orderTotal
	var pages []*Exchange
	if walkCost(total, 100) <= int64(t.Allowance(shareOrderSample)) {
		pages = walk(t, res, CredPrimary, q(), 100, 0).pages
	} else {
		scope := t.scope(res, q())
		for _, dir := range []string{"desc", "asc"} {
			for cursor := 0; cursor < orderSample/2; cursor += 100 {
				ex, _ := t.List(res, CredPrimary, with(scope, "per_page", "100", "sort_order", dir, "last_record_number", itoa(cursor)))
				pages = append(pages, ex)
			}
		}
	}
	seen := map[string]bool{}
	r.orderSample = []sampledOrder{}
	for _, ex := range pages {
		for _, raw := range ex.page.Items {
			o, err := decodeOrder(raw)
			if err != nil {
				t.Errorf(ex, "%v", err)
				continue
			}
			if !seen[o.ID] {
				seen[o.ID] = true
				r.orderSample = append(r.orderSample, sampledOrder{o, ex})
			}
		}
	}
	if int64(len(r.orderSample)) < total {
		r.orderSampleNote = fmt.Sprintf("inspected %d of %d orders (the newest and the oldest)", len(r.orderSample), total)
		t.Sampled("%s", r.orderSampleNote)
	}
	return r.orderSample
}

// orderWindow is a range of placed_at holding at most one page (100) of orders, with the page
// that lists them all: every filter of the range is then one answer, compared with it.
type orderWindow struct {
	start, end time.Time
	// base lists every order of the range, newest first.
	base   []*order
	baseEx *Exchange
}

// bounds is the query selecting the window.
func (w orderWindow) bounds(res *resource) url.Values {
	return q(res.startParam, w.start.UTC().Format(time.RFC3339), res.endParam, w.end.UTC().Format(time.RFC3339))
}

// orderWindows returns up to n ranges of at most 100 orders each, inside the run's window:
// the newest orders, those around the middle, the oldest. Memoized for the run.
func (t *T) orderWindows(n int) []orderWindow {
	r := t.run
	res := needOrders(t)
	if r.windows != nil {
		return r.windows[:min(n, len(r.windows))]
	}
	total := *r.orderTotal
	scope := t.scope(res, q())
	end := t.window()
	// The ends: the run's window end, the placed_at shown by the order in the middle, and by
	// the 100th oldest; each range is the up to 99 orders placed before its end.
	ends := []time.Time{end}
	for _, pick := range []struct {
		dir    string
		cursor int64
	}{{"desc", total / 2}, {"asc", 99}} {
		if total <= 200 {
			break
		}
		ex, p := t.List(res, CredPrimary, with(scope, "per_page", "1", "sort_order", pick.dir, "last_record_number", itoa(pick.cursor)))
		if len(p.Items) != 1 {
			t.Fatalf(ex, "cannot pick an order at cursor %d: %d items", pick.cursor, len(p.Items))
		}
		o, err := decodeOrder(p.Items[0])
		if err != nil {
			t.Fatalf(ex, "%v", err)
		}
		at, err := time.Parse(time.RFC3339Nano, o.PlacedAt)
		if err != nil {
			t.Fatalf(ex, "order %q: placed_at %q is not a date-time", o.ID, o.PlacedAt)
		}
		ends = append(ends, at.Truncate(time.Second))
	}
	for _, e := range ends {
		// The 100 orders before e, newest first; the range starts after the 100th's second,
		// so it holds fewer than 100 orders, all of them among these.
		ex, p := t.List(res, CredPrimary, q(res.endParam, e.UTC().Format(time.RFC3339), "per_page", "100"))
		start := rangeFloor
		if p.TotalRecords > 100 {
			o, err := decodeOrder(p.Items[len(p.Items)-1])
			if err != nil {
				t.Fatalf(ex, "%v", err)
			}
			at, err := time.Parse(time.RFC3339Nano, o.PlacedAt)
			if err != nil {
				t.Fatalf(ex, "order %q: placed_at %q is not a date-time", o.ID, o.PlacedAt)
			}
			start = at.Truncate(time.Second).Add(time.Second)
		}
		w := orderWindow{start: start, end: e}
		bex, bp := t.List(res, CredPrimary, with(w.bounds(res), "per_page", "100"))
		if bp.TotalRecords == 0 || bp.TotalRecords > 100 {
			continue // the orders crowd one second; another range will do
		}
		w.baseEx = bex
		for _, raw := range bp.Items {
			o, err := decodeOrder(raw)
			if err != nil {
				t.Fatalf(bex, "%v", err)
			}
			w.base = append(w.base, o)
		}
		r.windows = append(r.windows, w)
	}
	if len(r.windows) == 0 {
		t.Skipf("no range of at most 100 orders found in the run's window")
	}
	return r.windows[:min(n, len(r.windows))]
}
