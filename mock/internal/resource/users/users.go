// Package users is the Partner API's user resource: GET /users/ and GET /users/{user_account_id}/.
// Its engine columns are the products, each holding the user's KYC state for that product (no
// value without an account), so a product filter keeps the users with a value in its column and
// a <product>_kyc_status filter those with that value.
package users

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/cryptofi/partner-mock/mock/internal/domain"
	"github.com/cryptofi/partner-mock/mock/internal/engine"
	"github.com/cryptofi/partner-mock/mock/internal/params"
	"github.com/cryptofi/partner-mock/mock/internal/query"
	"github.com/cryptofi/partner-mock/mock/internal/resource"
	"github.com/cryptofi/partner-mock/spec"
)

// Resource is the user resource.
var Resource resource.Resource = users{}

type users struct{}

func (users) Name() string       { return "users" }
func (users) ListPath() string   { return "/users/" }
func (users) DetailPath() string { return "/users/{user_account_id}/" }
func (users) NotFound() string   { return "User not found" }
func (users) Required() bool     { return true }

// rules is what each of the user list's parameters means.
var rules = []params.Rule{
	{Name: "user_account_id", Role: params.RoleID},
	{Name: "product", Role: params.RoleHas},
	{Name: "{column}_kyc_status", Role: params.RoleValue},
	{Name: "created_at_start", Role: params.RoleFrom},
	{Name: "created_at_end", Role: params.RoleBefore},
	{Name: "per_page", Role: params.RolePerPage},
	{Name: "last_record_number", Role: params.RoleOffset},
	{Name: "sort_order", Role: params.RoleSortOrder},
	{Name: "sort_key", Role: params.RoleSortKey},
}

// Rankings: created_at (the time key) and user_account_id, the sort_key values the live API
// accepts, in the order its validator's message lists them.
var rankings = []query.Ranking{{Name: "created_at"}, {Name: "user_account_id", ByID: true}}

// Bind reads the products from the product parameter's enum and the KYC states from the
// <product>_kyc_status parameters', which must agree: the generator draws every account's state
// from one list.
func (users) Bind(op *spec.Operation, v *domain.Vocab) (query.Schema, []params.Rule, []string) {
	var problems []string
	product, ok := op.Param("product")
	if !ok || product.Kind != spec.KindEnum {
		problems = append(problems, `query parameter "product": missing or not a string enum; the generator draws each account's product from it`)
	} else {
		problems = append(problems, enumProblems(`query parameter "product"`, product.Enum)...)
	}
	var statuses []string
	var first string
	for _, p := range op.Params {
		if !strings.HasSuffix(p.Name, "_kyc_status") || p.Kind != spec.KindEnum {
			continue
		}
		if first == "" {
			first, statuses = p.Name, p.Enum
			problems = append(problems, enumProblems(fmt.Sprintf("query parameter %q", p.Name), p.Enum)...)
			continue
		}
		if !slices.Equal(p.Enum, statuses) {
			problems = append(problems, fmt.Sprintf("query parameter %q: its KYC states %v differ from %q's %v; every KYC filter must use the same states",
				p.Name, p.Enum, first, statuses))
		}
	}
	if first == "" {
		problems = append(problems, `no "<product>_kyc_status" query parameter with a string enum; the generator draws each account's KYC state from it`)
	}
	schema := query.Schema{Rankings: rankings}
	for _, p := range product.Enum {
		schema.Columns = append(schema.Columns, query.Column{Name: p, Values: statuses})
		v.Products = append(v.Products, domain.Product(p))
	}
	for _, s := range statuses {
		v.KycStatuses = append(v.KycStatuses, domain.KycStatus(s))
	}
	return schema, rules, problems
}

// enumProblems reports the values of an enum the generator cannot use.
func enumProblems(what string, values []string) []string {
	var problems []string
	seen := map[string]bool{}
	for _, v := range values {
		switch {
		case v == "":
			problems = append(problems, what+": enum holds an empty value")
		case seen[v]:
			problems = append(problems, fmt.Sprintf("%s: enum holds %q twice", what, v))
		}
		seen[v] = true
	}
	return problems
}

// Build indexes the world's users.
func (users) Build(w *domain.World, schema query.Schema) (*resource.Collection, error) {
	src := newSource(w, schema)
	t, err := engine.New(schema, src)
	if err != nil {
		return nil, fmt.Errorf("users of %s: %w", w.Name, err)
	}
	return resource.NewCollection(t, newItems(w)), nil
}

// Example is the first pinned user (the docs' member-001 for the built-in tenants), listed by
// its id.
func (users) Example(w *domain.World) (int32, string, bool) {
	if w.PinnedUsers == 0 {
		return 0, "", false
	}
	p := int32(len(w.Users) - w.PinnedUsers)
	return p, "user_account_id=" + url.QueryEscape(w.Users[p].ID), true
}
