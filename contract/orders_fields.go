package contract

import (
	"fmt"
	"math/big"
	"regexp"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
)

// The field checks read each order on its own, so they hold at any instant of a live server:
// a status that leaves pending takes its completed_at with it, in the same answer.
var ordersFieldChecks = []Check{
	{Name: "orders-fields/decimals", Family: "orders-fields",
		Description: "quantity is a decimal string with 8 places for crypto and 6 for other products; notional and fee are decimal strings with exactly 2",
		run:         ordersFieldDecimals},
	{Name: "orders-fields/amounts", Family: "orders-fields",
		Description: "quantity and notional are greater than 0, fee is at least 0",
		run:         ordersFieldAmounts},
	{Name: "orders-fields/completed-at", Family: "orders-fields",
		Description: "completed_at is present (never null) exactly when status is completed, and is not before placed_at",
		run:         ordersFieldCompletedAt},
	{Name: "orders-fields/recurring", Family: "orders-fields",
		Description: "is_recurring_order is a boolean; recurring_order_id is present (a string, never null) exactly when it is true",
		run:         ordersFieldRecurring},
	{Name: "orders-fields/date-times", Family: "orders-fields",
		Description: "placed_at and completed_at are UTC date-times to the second, YYYY-MM-DDTHH:MM:SSZ",
		run:         ordersFieldDateTimes},
	{Name: "orders-fields/key-order", Family: "orders-fields",
		Description: "an order's keys come in the document's property order (order_id, user_account_id, product, side, symbol, quantity, notional, fee, status, placed_at, completed_at, is_recurring_order, recurring_order_id), as FastAPI writes them",
		run:         ordersFieldKeyOrder},
}

var decimalRE = regexp.MustCompile(`^-?[0-9]+\.([0-9]+)$`)

// decimal reads a JSON string holding a decimal number; it returns the value and its number of
// decimal places.
func decimal(n *jnode) (*big.Rat, int, error) {
	if n == nil {
		return nil, 0, fmt.Errorf("missing")
	}
	if n.kind != 0 || len(n.raw) == 0 || n.raw[0] != '"' {
		return nil, 0, fmt.Errorf("%s is not a string (a JSON number loses digits to float rounding)", clip(render(n), 40))
	}
	m := decimalRE.FindStringSubmatch(n.text())
	if m == nil {
		return nil, 0, fmt.Errorf("%s is not a decimal with a point", n.raw)
	}
	v, ok := new(big.Rat).SetString(n.text())
	if !ok {
		return nil, 0, fmt.Errorf("%s is not a number", n.raw)
	}
	return v, len(m[1]), nil
}

func ordersFieldDecimals(t *T) {
	for _, o := range t.orders() {
		want := 6
		if o.Product == cryptoProduct {
			want = 8
		}
		for _, f := range []struct {
			key    string
			places int
		}{{"quantity", want}, {"notional", 2}, {"fee", 2}} {
			_, places, err := decimal(o.node.get(f.key))
			switch {
			case err != nil:
				t.Errorf(o.ex, "order %q: %s %v", o.ID, f.key, err)
			case places != f.places:
				t.Errorf(o.ex, "order %q (%s): %s %s has %d decimal places, want %d", o.ID, o.Product, f.key, o.node.get(f.key).raw, places, f.places)
			}
		}
	}
}

func ordersFieldAmounts(t *T) {
	for _, o := range t.orders() {
		for _, f := range []struct {
			key      string
			zeroOK   bool
			relation string
		}{{"quantity", false, "greater than 0"}, {"notional", false, "greater than 0"}, {"fee", true, "at least 0"}} {
			v, _, err := decimal(o.node.get(f.key))
			if err != nil {
				continue // orders-fields/decimals names it
			}
			if s := v.Sign(); s < 0 || (s == 0 && !f.zeroOK) {
				t.Errorf(o.ex, "order %q: %s is %s, want %s", o.ID, f.key, o.node.get(f.key).raw, f.relation)
			}
		}
	}
}

func ordersFieldCompletedAt(t *T) {
	for _, o := range t.orders() {
		completed := o.Status == completedStatus
		switch {
		case o.null("completed_at"):
			t.Errorf(o.ex, "order %q (%s) has completed_at null; it must be absent unless the order is completed", o.ID, o.Status)
		case completed && !o.has("completed_at"):
			t.Errorf(o.ex, "order %q is completed but has no completed_at", o.ID)
		case !completed && o.has("completed_at"):
			t.Errorf(o.ex, "order %q is %s but has completed_at %s", o.ID, o.Status, o.node.get("completed_at").raw)
		case completed:
			done, err1 := time.Parse(time.RFC3339Nano, o.node.get("completed_at").text())
			placed, err2 := time.Parse(time.RFC3339Nano, o.PlacedAt)
			if err1 == nil && err2 == nil && done.Before(placed) {
				t.Errorf(o.ex, "order %q: completed_at %s is before placed_at %s", o.ID, done.Format(time.RFC3339), o.PlacedAt)
			}
		}
	}
}

func ordersFieldRecurring(t *T) {
	for _, o := range t.orders() {
		flag := o.node.get("is_recurring_order")
		if flag == nil || (flag.raw != "true" && flag.raw != "false") {
			t.Errorf(o.ex, "order %q: is_recurring_order is %s, want true or false", o.ID, orMissing(flag))
			continue
		}
		id := o.node.get("recurring_order_id")
		switch {
		case id != nil && id.raw == "null":
			t.Errorf(o.ex, "order %q has recurring_order_id null; it must be absent unless the order is recurring", o.ID)
		case flag.raw == "true" && id == nil:
			t.Errorf(o.ex, "order %q is recurring but has no recurring_order_id", o.ID)
		case flag.raw == "false" && id != nil:
			t.Errorf(o.ex, "order %q is not recurring but has recurring_order_id %s", o.ID, id.raw)
		case id != nil && (id.kind != 0 || id.raw[0] != '"' || id.text() == ""):
			t.Errorf(o.ex, "order %q: recurring_order_id %s is not a non-empty string", o.ID, clip(render(id), 40))
		}
	}
}

func orMissing(n *jnode) string {
	if n == nil {
		return "missing"
	}
	return clip(render(n), 40)
}

// secondRE is the date-time form BEHAVIOUR.md gives: UTC, to the second.
var secondRE = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$`)

func ordersFieldDateTimes(t *T) {
	for _, o := range t.orders() {
		for _, key := range []string{"placed_at", "completed_at"} {
			v := o.node.get(key)
			if v == nil || v.raw == "null" {
				continue // orders-fields/completed-at and the schema name those
			}
			s := v.text()
			if _, err := time.Parse(time.RFC3339, s); err != nil || !secondRE.MatchString(s) {
				t.Errorf(o.ex, "order %q: %s is %s, want YYYY-MM-DDTHH:MM:SSZ", o.ID, key, v.raw)
			}
		}
	}
}

func ordersFieldKeyOrder(t *T) {
	res := needOrders(t)
	want, err := itemProperties(t.run.spec.Doc, t.run.spec.Raw, res.list)
	if err != nil {
		t.Skipf("the document's order properties are not known in order: %v", err)
	}
	rank := map[string]int{}
	for i, k := range want {
		rank[k] = i
	}
	for _, o := range t.orders() {
		prev := -1
		for _, k := range o.node.keys {
			r, ok := rank[k]
			if !ok {
				continue // not the document's; the schema checks say what it allows
			}
			if r < prev {
				t.Errorf(o.ex, "order %q: keys [%s] are not in the document's order [%s]", o.ID, strings.Join(o.node.keys, ", "), strings.Join(want, ", "))
				break
			}
			prev = r
		}
	}
}

// itemProperties returns, in document order, the properties of the schema of the items of
// the list at path (its 200 response's "items" array). kin-openapi keeps properties in a map,
// so their order is read from the document's JSON text.
func itemProperties(doc *openapi3.T, raw []byte, path string) ([]string, error) {
	item := doc.Paths.Find(path)
	if item == nil || item.Get == nil || item.Get.Responses == nil {
		return nil, fmt.Errorf("no GET %s", path)
	}
	resp := item.Get.Responses.Status(200)
	if resp == nil || resp.Value == nil || resp.Value.Content.Get("application/json") == nil {
		return nil, fmt.Errorf("GET %s declares no JSON 200", path)
	}
	list := resp.Value.Content.Get("application/json").Schema
	if list == nil || list.Value == nil || list.Value.Properties["items"] == nil || list.Value.Properties["items"].Value.Items == nil {
		return nil, fmt.Errorf("GET %s's 200 has no items array", path)
	}
	ref := list.Value.Properties["items"].Value.Items.Ref
	name, ok := strings.CutPrefix(ref, "#/components/schemas/")
	if !ok {
		return nil, fmt.Errorf("the items' schema is not a component (%q)", ref)
	}
	root, err := parseJSON(raw)
	if err != nil {
		return nil, fmt.Errorf("the document is not JSON")
	}
	node := root
	for _, k := range []string{"components", "schemas", name, "properties"} {
		if node = node.get(k); node == nil || node.kind != '{' {
			return nil, fmt.Errorf("no components.schemas.%s.properties object", name)
		}
	}
	return node.keys, nil
}
