package tenant

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/cryptofi/partner-mock/mock/internal/domain"
	"github.com/cryptofi/partner-mock/mock/internal/problem"
)

// pinnedOrderFile is the format of a pinned-orders file: the API's order objects under
// "orders" (YAML or JSON; a JSON dump of orders is one).
type pinnedOrderFile struct {
	Orders []pinnedOrder `yaml:"orders"`
}

type pinnedOrder struct {
	ID          string     `yaml:"order_id"`
	User        string     `yaml:"user_account_id"`
	Product     string     `yaml:"product"`
	Side        string     `yaml:"side"`
	Symbol      string     `yaml:"symbol"`
	Quantity    string     `yaml:"quantity"`
	Notional    string     `yaml:"notional"`
	Fee         string     `yaml:"fee"`
	Status      string     `yaml:"status"`
	PlacedAt    time.Time  `yaml:"placed_at"`
	CompletedAt *time.Time `yaml:"completed_at"`
	Recurring   *bool      `yaml:"is_recurring_order"`
	SeriesID    string     `yaml:"recurring_order_id"`
}

// PinnedOrder is a checked pinned order, before it joins a tenant's order book.
type PinnedOrder = domain.PinnedOrder

// ParseOrders decodes and checks a pinned-orders file against every rule the API's orders obey
// (BEHAVIOUR.md): each order belongs to one of users (the tenant's pinned users), on an account
// for its product that was approved no later than placed_at; decimals have their places;
// completed_at is there exactly when completed, recurring_order_id exactly when recurring, and a
// series is one user's buys of one symbol at a regular interval. Every problem names the line,
// the order and the field.
func (rules PinnedRules) ParseOrders(source string, data []byte, users []domain.User) ([]PinnedOrder, error) {
	var f pinnedOrderFile
	lines, problems := decodeFile(data, &f)
	var out []PinnedOrder
	if len(problems) == 0 {
		out, problems = checkPinnedOrders(f, lines, rules, users)
	}
	if len(problems) > 0 {
		sortProblems(problems)
		if len(problems) > maxPinnedProblems {
			more := len(problems) - maxPinnedProblems
			problems = append(problems[:maxPinnedProblems], problem.Problem{Msg: fmt.Sprintf("... and %d more problems", more)})
		}
		return nil, fileError(source, problems)
	}
	return out, nil
}

func checkPinnedOrders(f pinnedOrderFile, lines map[string]int, rules PinnedRules, users []domain.User) ([]PinnedOrder, []problem.Problem) {
	var problems []problem.Problem
	ids := map[domain.UUID]string{}
	out := make([]PinnedOrder, len(f.Orders))
	pinned := orderOwners{
		find: func(id string) (int, *domain.User) {
			i := slices.IndexFunc(users, func(u domain.User) bool { return u.ID == id })
			if i < 0 {
				return -1, nil
			}
			return i, &users[i]
		},
		who:  "pinned user",
		what: "pinned user of this tenant",
		hint: "pinned orders belong to the users of pinned_users",
	}
	for i, po := range f.Orders {
		var ps []problem.Problem
		out[i], ps = rules.checkOrder(po, fmt.Sprintf("orders[%d]", i), lines, ids, pinned)
		problems = append(problems, ps...)
	}
	if len(problems) == 0 {
		problems = append(problems, checkSeries(out, lines, users)...)
	}
	return out, problems
}

// orderOwners finds the users orders belong to.
type orderOwners struct {
	// find returns the index of the user with user_account_id id, as PinnedOrder.User holds
	// it, and the user; -1 when there is none.
	find func(id string) (int, *domain.User)
	// who names the kind of user an order needs ("pinned user"), what the users find knows
	// ("pinned user of this tenant"), and hint says where they come from.
	who, what, hint string
}

// checkOrder checks po, the order at path cur (empty for an order alone), against every rule
// but the series' (checkSeries), and returns it converted. ids maps the ids of the orders
// checked before to their paths, and gets po's; nil checks no uniqueness.
func (rules PinnedRules) checkOrder(po pinnedOrder, cur string, lines map[string]int, ids map[domain.UUID]string, users orderOwners) (PinnedOrder, []problem.Problem) {
	var problems []problem.Problem
	bad := func(field, format string, args ...any) {
		path := join(cur, field)
		problems = append(problems, problem.Problem{Line: lineOf(lines, path), Path: path, Msg: fmt.Sprintf(format, args...)})
	}
	v := rules.Vocab
	asOf := rules.AsOf.UTC().Format(time.RFC3339)
	var out PinnedOrder
	o := &out
	switch id, ok := domain.ParseUUID(po.ID); {
	case po.ID == "":
		bad("order_id", "required: the order's tx_id, a lowercase UUID such as 7f9c24e8-3b1a-4c5d-9e2f-0a1b2c3d4e5f")
	case !ok:
		bad("order_id", "%q is not a lowercase UUID (8-4-4-4-12 hex digits)", po.ID)
	case ids[id] != "":
		bad("order_id", "%s is also the id of %s; ids must be unique", po.ID, ids[id])
	default:
		o.ID = id
		if ids != nil {
			ids[id] = cur
		}
	}
	var u *domain.User
	o.User = -1
	switch {
	case po.User == "":
		bad("user_account_id", "required: the %s the order belongs to", users.who)
	default:
		if o.User, u = users.find(po.User); o.User < 0 {
			bad("user_account_id", "%q is not a %s; %s", po.User, users.what, users.hint)
		}
	}
	o.Product, o.Side, o.Status = domain.Product(po.Product), domain.OrderSide(po.Side), domain.OrderStatus(po.Status)
	productOK := slices.Contains(v.Products, o.Product)
	if !productOK {
		bad("product", "%q is not a product; want one of %s", po.Product, joinValues(v.Products))
	}
	if !slices.Contains(v.OrderSides, o.Side) {
		bad("side", "%q is not a side; want one of %s", po.Side, joinValues(v.OrderSides))
	}
	if !slices.Contains(v.OrderStatuses, o.Status) {
		bad("status", "%q is not an order status; want one of %s", po.Status, joinValues(v.OrderStatuses))
	}
	switch {
	case po.Symbol == "":
		bad("symbol", "required, e.g. symbol: BTC")
	case strings.IndexFunc(po.Symbol, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0:
		bad("symbol", "%q contains a space or a control character", po.Symbol)
	}
	o.Symbol = po.Symbol
	if productOK {
		q, err := domain.ParseDecimal(po.Quantity, domain.QuantityPlaces(o.Product))
		switch {
		case err != nil:
			bad("quantity", "%v (a %s quantity has %d places)", err, o.Product, domain.QuantityPlaces(o.Product))
		case q <= 0:
			bad("quantity", "%s is not more than 0", po.Quantity)
		}
		o.Quantity = q
	}
	if m, err := domain.ParseMoney(po.Notional); err != nil {
		bad("notional", "%v", err)
	} else if m <= 0 {
		bad("notional", "%s is not more than 0.00", po.Notional)
	} else {
		o.Notional = m
	}
	if m, err := domain.ParseMoney(po.Fee); err != nil {
		bad("fee", "%v", err)
	} else if m < 0 {
		bad("fee", "%s is negative; a fee is 0.00 or more", po.Fee)
	} else {
		o.Fee = m
	}
	placed := po.PlacedAt.UTC()
	switch {
	case po.PlacedAt.IsZero():
		bad("placed_at", "required: when the order was placed, e.g. placed_at: 2025-09-03T14:05:00Z")
	case placed.Nanosecond() != 0:
		bad("placed_at", "whole seconds only (the API renders YYYY-MM-DDTHH:MM:SSZ), got %s", placed.Format(time.RFC3339Nano))
	case !rules.AsOf.IsZero() && !placed.Before(rules.AsOf):
		bad("placed_at", "%s is not before the tenant's as_of %s; move it earlier or raise as_of", placed.Format(time.RFC3339), asOf)
	default:
		o.PlacedAt = placed.UnixMicro()
	}
	if o.User >= 0 && productOK && o.PlacedAt != 0 {
		switch a, ok := u.Account(o.Product); {
		case !ok:
			bad("product", "user %s has no %s account; an order is placed on an account of its user", u.ID, o.Product)
		case a.Status != domain.StatusApproved:
			bad("product", "user %s's %s account is %s; orders are placed on approved accounts only", u.ID, o.Product, a.Status)
		case a.ApprovedAt > placed.Unix():
			bad("placed_at", "%s is before user %s's %s account was approved (%s); an order comes after approval",
				placed.Format(time.RFC3339), u.ID, o.Product, time.Unix(a.ApprovedAt, 0).UTC().Format(time.RFC3339))
		}
	}
	completed := o.Status == domain.OrderCompleted
	switch c := po.CompletedAt; {
	case completed && c == nil:
		bad("completed_at", "required when status is completed, e.g. completed_at: 2025-09-03T14:05:02Z")
	case !completed && c != nil:
		bad("completed_at", "only completed orders have one (status is %s); remove it", po.Status)
	case completed:
		ct := c.UTC()
		switch {
		case ct.Nanosecond() != 0:
			bad("completed_at", "whole seconds only, got %s", ct.Format(time.RFC3339Nano))
		case ct.Before(placed):
			bad("completed_at", "%s is before placed_at %s; an order completes after it is placed", ct.Format(time.RFC3339), placed.Format(time.RFC3339))
		case !rules.AsOf.IsZero() && ct.After(rules.AsOf):
			bad("completed_at", "%s is after the tenant's as_of %s; move it earlier or raise as_of", ct.Format(time.RFC3339), asOf)
		default:
			o.CompletedAt = ct.UnixMicro()
		}
	}
	recurring := po.Recurring != nil && *po.Recurring
	switch sid, ok := domain.ParseUUID(po.SeriesID); {
	case recurring && po.SeriesID == "":
		bad("recurring_order_id", "required when is_recurring_order is true: the id the series' orders share, a lowercase UUID")
	case !recurring && po.SeriesID != "":
		bad("recurring_order_id", "only recurring orders have one; set is_recurring_order: true or remove it")
	case recurring && !ok:
		bad("recurring_order_id", "%q is not a lowercase UUID", po.SeriesID)
	case recurring:
		o.Series = &sid
	}
	if recurring && o.Side != "buy" && slices.Contains(v.OrderSides, o.Side) && slices.Contains(v.OrderSides, "buy") {
		bad("side", "%s, but a recurring order is a buy; set side: buy or make it a one-off order", po.Side)
	}
	return out, problems
}

// checkSeries checks that orders sharing a recurring_order_id are one user's buys of one
// symbol on one product at a regular interval: a fixed gap, or the same day and time of
// consecutive months.
func checkSeries(orders []PinnedOrder, lines map[string]int, users []domain.User) []problem.Problem {
	var problems []problem.Problem
	series := map[domain.UUID][]int{}
	var keys []domain.UUID
	for i, o := range orders {
		if o.Series == nil {
			continue
		}
		if _, ok := series[*o.Series]; !ok {
			keys = append(keys, *o.Series)
		}
		series[*o.Series] = append(series[*o.Series], i)
	}
	for _, k := range keys {
		idx := series[k]
		first := orders[idx[0]]
		for _, i := range idx[1:] {
			o := orders[i]
			path := fmt.Sprintf("orders[%d].recurring_order_id", i)
			if o.User != first.User || o.Product != first.Product || o.Symbol != first.Symbol || o.Side != first.Side {
				problems = append(problems, problem.Problem{Line: lineOf(lines, path), Path: path,
					Msg: fmt.Sprintf("%s is also the series of orders[%d], which is another user's, product, symbol or side; a series is one user's buys of one symbol", k, idx[0])})
			}
		}
		slices.SortFunc(idx, func(a, b int) int { return int(orders[a].PlacedAt - orders[b].PlacedAt) })
		if len(idx) >= 3 && !regular(orders, idx) {
			path := fmt.Sprintf("orders[%d].recurring_order_id", idx[0])
			problems = append(problems, problem.Problem{Line: lineOf(lines, path), Path: path,
				Msg: fmt.Sprintf("the orders of series %s are not at a regular interval (a fixed gap, or the same day and time of consecutive months)", k)})
		}
	}
	return problems
}

// regular reports whether the orders at idx (sorted by placed_at) are evenly spaced or monthly.
func regular(orders []PinnedOrder, idx []int) bool {
	times := make([]int64, len(idx))
	for k, i := range idx {
		times[k] = orders[i].PlacedAt
	}
	return domain.RegularSeries(times)
}

// addPinnedOrders appends checked pinned orders to a generated order store; their users are the
// tenant's pinned users, which follow the userBase generated ones.
func addPinnedOrders(book *domain.OrderStore, orders []PinnedOrder, userBase int32) {
	v := &book.Vocab
	series := map[domain.UUID]int32{}
	for _, po := range orders {
		sym := v.SymbolIndex(po.Symbol)
		if sym < 0 {
			sym = len(v.Symbols)
			v.Symbols = append(v.Symbols, po.Symbol)
		}
		s := int32(-1)
		if po.Series != nil {
			var ok bool
			if s, ok = series[*po.Series]; !ok {
				s = int32(len(book.Series))
				book.Series = append(book.Series, *po.Series)
				series[*po.Series] = s
			}
		}
		book.Append(po.Order(v, userBase+int32(po.User), uint16(sym), s))
	}
}
