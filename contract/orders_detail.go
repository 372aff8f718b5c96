package contract

import (
	"net/http"
	"strconv"
)

var ordersDetailChecks = []Check{
	{Name: "orders-detail/list-item", Family: "orders-detail",
		Description: "GET /orders/{order_id}/ returns the list's object for that order, byte for byte (a status that left pending in between excepted)",
		run:         ordersDetailListItem},
	{Name: "orders-detail/unknown-id", Family: "orders-detail",
		Description: `an order id this FI has no order for gets 404 {"detail":"Order not found"}`,
		run:         ordersDetailUnknown},
	{Name: "orders-detail/other-fi", Family: "orders-detail", NeedsSecondKey: true,
		Description: `another FI's orders get 404 {"detail":"Order not found"} by detail, in both directions`,
		run:         ordersDetailOtherFI},
}

// detailProbes is how many orders the detail checks look up.
const detailProbes = 8

func ordersDetailListItem(t *T) {
	res := needOrders(t)
	lex, p := t.List(res, CredPrimary, t.scope(res, q("per_page", "100")))
	ids, err := res.ids(p)
	if err != nil {
		t.Fatalf(lex, "%v", err)
	}
	// Spread over the page: first, last and evenly between.
	picked := map[int]bool{}
	for i := range detailProbes {
		picked[i*(len(ids)-1)/max(1, detailProbes-1)] = true
	}
	for i, id := range ids {
		if !picked[i] {
			continue
		}
		listed := &Exchange{Request: lex.Request, URL: lex.URL, Status: http.StatusOK, Body: p.Items[i]}
		dex := t.Get(Request{Path: res.detail(id), Cred: CredPrimary})
		if dex.Status != http.StatusOK {
			t.Errorf(dex, "detail of listed order %q answers %d, want 200: %s", id, dex.Status, clip(string(dex.Body), 200))
			continue
		}
		t.sameAnswer(res, listed, dex, "detail of order "+strconv.Quote(id)+" differs from its list item")
	}
}

func ordersDetailUnknown(t *T) {
	res := ordersOf(t)
	for _, id := range []string{probeID, "00000000-0000-0000-0000-000000000000"} {
		expectDetail(t, t.Get(Request{Path: res.detail(id), Cred: CredPrimary}), http.StatusNotFound, res.notFound)
	}
}

func ordersDetailOtherFI(t *T) {
	res := ordersOf(t)
	tried := 0
	for _, from := range []Cred{CredSecond, CredPrimary} {
		to := CredPrimary
		if from == CredPrimary {
			to = CredSecond
		}
		lex, p := t.List(res, from, q("per_page", itoa(detailProbes/2)))
		for _, raw := range p.Items {
			o, err := decodeOrder(raw)
			if err != nil {
				t.Errorf(lex, "%v", err)
				continue
			}
			tried++
			ex := t.Get(Request{Path: res.detail(o.ID), Cred: to})
			if ex.Status == http.StatusOK {
				t.Errorf(ex, "order %q of %s is visible by detail with %s", o.ID, fiName(from), fiName(to))
				continue
			}
			expectDetail(t, ex, http.StatusNotFound, res.notFound)
		}
	}
	if tried == 0 {
		t.Skipf("neither FI has an order to look up in the other")
	}
}
