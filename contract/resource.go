package contract

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/cryptofi/partner-mock/spec"
)

// resource is one of the API's collections as the generic checks see it: a list path with the
// paging envelope, a detail path, an id field, a time field the list is filtered and sorted by,
// and the list's query parameters as the document declares them.
type resource struct {
	// name is the collection ("users", "orders"); noun names one record in messages.
	name, noun string
	// family prefixes the family of the generic checks run on this resource: "" for users
	// (whose families came first: "paging"), "orders-" for orders ("orders-paging").
	family string
	// list is the list path relative to the base URL ("/users/"); detailPrefix is the detail
	// path's prefix, completed by an escaped id and a slash.
	list, detailPrefix string
	// idField is the key of the record's id; the list's ties are broken by it.
	idField string
	// timeField is the field the time range filters and the default order use; its bounds are
	// the parameters startParam (inclusive) and endParam (exclusive).
	timeField, startParam, endParam string
	// timeShown says records show their time field (orders' placed_at; users never show
	// created_at).
	timeShown bool
	// notFound is the detail of the 404 for an id this FI has no record for.
	notFound string
	// params are the list's query parameters in document order.
	params []spec.Param
	// mutable is the part of a record that may change while the suite runs.
	mutable mutableFields
}

// mutableFields names the fields of a record that change with time (BEHAVIOUR.md, "Time"): a
// state that leaves transientState once, for good, and the timestamp that may appear when it
// does. Nothing else about an existing record changes; new records appear with a time field
// at or before the server's now.
type mutableFields struct {
	state, stamp string
}

// transientState is the one state a record leaves with time: an account's KYC decision or an
// order's settlement ends "pending"; every other state is final.
const transientState = "pending"

// approvedState is the KYC state that lets a user trade: kyc_approved_at comes with it, and
// orders are placed only on approved accounts.
const approvedState = "approved"

// detail returns the detail path of the record id.
func (r *resource) detail(id string) string {
	return r.detailPrefix + url.PathEscape(id) + "/"
}

// param returns the list parameter called name.
func (r *resource) param(name string) (spec.Param, bool) {
	for _, p := range r.params {
		if p.Name == name {
			return p, true
		}
	}
	return spec.Param{}, false
}

// enum returns the values the document allows for the list parameter name.
func (r *resource) enum(name string) []string {
	p, _ := r.param(name)
	return p.Enum
}

// isList reports whether path is this resource's list path.
func (r *resource) isList(path string) bool { return path == r.list }

// ids returns the id of each item of p, in order.
func (r *resource) ids(p *listPage) ([]string, error) {
	out := make([]string, 0, len(p.Items))
	for _, raw := range p.Items {
		id, err := r.id(raw)
		if err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, nil
}

// id returns a record's id.
func (r *resource) id(raw json.RawMessage) (string, error) {
	var fields map[string]json.RawMessage
	var id string
	if err := json.Unmarshal(raw, &fields); err != nil || json.Unmarshal(fields[r.idField], &id) != nil {
		return "", fmt.Errorf("%s without a string %s: %s", r.noun, r.idField, clip(string(raw), 200))
	}
	return id, nil
}

// timeAndID returns a record's time field as shown and its id.
func (r *resource) timeAndID(raw json.RawMessage) (string, string, error) {
	var fields map[string]json.RawMessage
	var at, id string
	if err := json.Unmarshal(raw, &fields); err != nil || json.Unmarshal(fields[r.idField], &id) != nil {
		return "", "", fmt.Errorf("%s without a string %s: %s", r.noun, r.idField, clip(string(raw), 200))
	}
	if json.Unmarshal(fields[r.timeField], &at) != nil {
		return "", "", fmt.Errorf("%s %q without a string %s: %s", r.noun, id, r.timeField, clip(string(raw), 200))
	}
	return at, id, nil
}

// Paths of the collections the suite knows, relative to the base URL.
const (
	usersList  = "/users/"
	ordersList = "/orders/"
)

// listParams reads the query parameters of the list at path from the document; ok is false
// when the document has no such list.
func listParams(s *spec.Spec, path string) (params []spec.Param, ok bool) {
	op, _ := s.Get(path)
	if op == nil {
		return nil, false
	}
	return op.Params, true
}

// newUsers describes the user collection from the document.
func newUsers(s *spec.Spec) *resource {
	params, _ := listParams(s, usersList)
	return &resource{
		name: "users", noun: "user",
		list: usersList, detailPrefix: usersList,
		idField: "user_account_id", timeField: "created_at",
		startParam: "created_at_start", endParam: "created_at_end",
		notFound: "User not found",
		params:   params,
		mutable:  mutableFields{state: "kyc_status", stamp: "kyc_approved_at"},
	}
}

// kycStatuses are the KYC states the document allows, read from the first <product>_kyc_status
// parameter.
func (r *resource) kycStatuses() []string {
	for _, p := range r.params {
		if strings.HasSuffix(p.Name, "_kyc_status") && p.Kind == spec.KindEnum {
			return p.Enum
		}
	}
	return nil
}

// newOrders describes the order collection from the document, or returns nil when the
// document declares no order list.
func newOrders(s *spec.Spec) *resource {
	params, ok := listParams(s, ordersList)
	if !ok {
		return nil
	}
	return &resource{
		name: "orders", noun: "order", family: "orders-",
		list: ordersList, detailPrefix: ordersList,
		idField: "order_id", timeField: "placed_at", timeShown: true,
		startParam: "placed_at_start", endParam: "placed_at_end",
		notFound: "Order not found",
		params:   params,
		mutable:  mutableFields{state: "status", stamp: "completed_at"},
	}
}

// ordersOf is the order collection, for the checks of orders; it skips the check when the
// document has none.
func ordersOf(t *T) *resource {
	if t.run.orders == nil {
		t.Skipf("the document declares no order list (GET %s)", ordersList)
	}
	return t.run.orders
}

// usersOf is the user collection, for the generic checks run on users.
func usersOf(t *T) *resource { return t.run.users }

// an puts the indefinite article before a noun: "a user", "an order". A leading u is not
// taken for a vowel sound: the nouns here say "you".
func an(noun string) string {
	if strings.ContainsRune("aeio", rune(noun[0])) {
		return "an " + noun
	}
	return "a " + noun
}
