// Package orders is the Partner API's order resource: GET /orders/ and GET /orders/{order_id}/.
// Its engine columns are product, side and status (pending until the order settles), and its
// one group key is the order's user, so a user_account_id filter reads that user's orders only.
package orders

import (
	"fmt"
	"net/url"
	"slices"

	"github.com/cryptofi/partner-mock/mock/internal/domain"
	"github.com/cryptofi/partner-mock/mock/internal/engine"
	"github.com/cryptofi/partner-mock/mock/internal/params"
	"github.com/cryptofi/partner-mock/mock/internal/query"
	"github.com/cryptofi/partner-mock/mock/internal/resource"
	"github.com/cryptofi/partner-mock/spec"
)

// Resource is the order resource.
var Resource resource.Resource = orders{}

type orders struct{}

func (orders) Name() string       { return "orders" }
func (orders) ListPath() string   { return "/orders/" }
func (orders) DetailPath() string { return "/orders/{order_id}/" }
func (orders) NotFound() string   { return "Order not found" }
func (orders) Required() bool     { return false }

// The engine's columns and group key, numbered as the source reads them.
const (
	colProduct = iota
	colSide
	colStatus
)

const groupUser = "user"

// rules is what each of the order list's parameters means.
var rules = []params.Rule{
	{Name: "user_account_id", Role: params.RoleGroup, Group: groupUser},
	{Name: "product", Role: params.RoleValue, Column: "product"},
	{Name: "side", Role: params.RoleValue, Column: "side"},
	{Name: "status", Role: params.RoleValue, Column: "status"},
	{Name: "placed_at_start", Role: params.RoleFrom},
	{Name: "placed_at_end", Role: params.RoleBefore},
	{Name: "per_page", Role: params.RolePerPage},
	{Name: "last_record_number", Role: params.RoleOffset},
	{Name: "sort_order", Role: params.RoleSortOrder},
}

// Bind reads the sides and states from the side and status parameters' enums. The products are
// the users' (orders are placed on the users' accounts), so the product parameter must list
// the same ones.
func (orders) Bind(op *spec.Operation, v *domain.Vocab) (query.Schema, []params.Rule, []string) {
	var problems []string
	enum := func(name, what string) []string {
		p, ok := op.Param(name)
		if !ok || p.Kind != spec.KindEnum {
			problems = append(problems, fmt.Sprintf("query parameter %q: missing or not a string enum; the generator draws each order's %s from it", name, what))
			return nil
		}
		seen := map[string]bool{}
		for _, e := range p.Enum {
			if e == "" || seen[e] {
				problems = append(problems, fmt.Sprintf("query parameter %q: enum holds an empty or repeated value", name))
				break
			}
			seen[e] = true
		}
		return p.Enum
	}
	products, sides, statuses := enum("product", "product"), enum("side", "side"), enum("status", "state")
	var users []string
	for _, p := range v.Products {
		users = append(users, string(p))
	}
	if products != nil && !slices.Equal(products, users) {
		problems = append(problems, fmt.Sprintf("query parameter %q: its products %v differ from the users' %v; orders are placed on the users' accounts", "product", products, users))
	}
	for _, need := range []struct {
		state domain.OrderStatus
		why   string
	}{{domain.OrderPending, "every order waits in it until it settles"}, {domain.OrderCompleted, "most orders settle in it"}} {
		if statuses != nil && !slices.Contains(statuses, string(need.state)) {
			problems = append(problems, fmt.Sprintf("query parameter %q: enum has no %q state; %s", "status", need.state, need.why))
		}
	}
	for _, s := range sides {
		v.OrderSides = append(v.OrderSides, domain.OrderSide(s))
	}
	for _, s := range statuses {
		v.OrderStatuses = append(v.OrderStatuses, domain.OrderStatus(s))
	}
	v.Orders = true
	schema := query.Schema{
		Columns: []query.Column{
			colProduct: {Name: "product", Values: products},
			colSide:    {Name: "side", Values: sides},
			colStatus:  {Name: "status", Values: statuses},
		},
		Groups:   []string{groupUser},
		Rankings: []query.Ranking{{Name: "placed_at"}},
	}
	return schema, rules, problems
}

// Build indexes the world's orders.
func (orders) Build(w *domain.World, schema query.Schema) (*resource.Collection, error) {
	src, err := newSource(w)
	if err != nil {
		return nil, fmt.Errorf("orders of %s: %w", w.Name, err)
	}
	t, err := engine.New(schema, src)
	if err != nil {
		return nil, fmt.Errorf("orders of %s: %w", w.Name, err)
	}
	return resource.NewCollection(t, newItems(w)), nil
}

// Example is the first pinned order, next to its user's order list.
func (orders) Example(w *domain.World) (int32, string, bool) {
	if w.PinnedOrders == 0 {
		return 0, "", false
	}
	p := int32(w.Orders.Len() - w.PinnedOrders)
	return p, "user_account_id=" + url.QueryEscape(w.Users[w.Orders.User(p)].ID) + "&per_page=3", true
}
