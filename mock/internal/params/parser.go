// Package params turns the user list's raw query string into an engine.Query the way FastAPI and
// pydantic v2 (lax mode) would: the parameters, their order, enums, bounds and defaults come from
// the loaded OpenAPI document; the parsing rules are pydantic's; every invalid parameter is
// reported, in document order, as pydantic reports it.
package params

import (
	"fmt"
	"math"
	"math/big"
	"strings"

	"github.com/cryptofi/partner-mock/mock/internal/domain"
	"github.com/cryptofi/partner-mock/mock/internal/engine"
	"github.com/cryptofi/partner-mock/spec"
)

// role is what the engine does with a parameter. The document decides which parameters exist
// and how they parse; the role, found by name, decides what they mean.
type role int

const (
	roleUserID role = iota + 1
	roleProduct
	roleKyc
	roleCreatedFrom
	roleCreatedBefore
	rolePerPage
	roleOffset
	roleSortOrder
	roleSortKey
)

type field struct {
	spec.Param
	role    role
	product domain.Product // for roleKyc
	loc     []string
	// defaultInt is the parsed default of an integer parameter.
	defaultInt *big.Int
}

// Parser parses list queries for one loaded document. It is immutable and safe for concurrent
// use.
type Parser struct {
	fields []field
}

// New checks that every list parameter of s is one the engine can apply, with a kind that fits
// its meaning, and returns a Parser. All problems are reported together.
func New(s *spec.Spec) (*Parser, error) {
	var problems []string
	products := map[string]bool{}
	for _, p := range s.Products {
		products[p] = true
	}
	p := &Parser{}
	seen := map[role]string{}
	for _, sp := range s.ListParams {
		f := field{Param: sp, loc: []string{"query", sp.Name}}
		want, err := f.assignRole(products)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		if sp.Kind != want {
			problems = append(problems, fmt.Sprintf("query parameter %q: is a %s in the document, the mock needs a %s", sp.Name, sp.Kind, want))
			continue
		}
		if err := f.checkDefault(); err != nil {
			problems = append(problems, err.Error())
			continue
		}
		if f.role != roleKyc {
			if other, dup := seen[f.role]; dup {
				problems = append(problems, fmt.Sprintf("query parameters %q and %q: both mean the same thing", other, sp.Name))
				continue
			}
			seen[f.role] = sp.Name
		}
		p.fields = append(p.fields, f)
	}
	for _, r := range []struct {
		role role
		name string
	}{{rolePerPage, "per_page"}, {roleOffset, "last_record_number"}} {
		if _, ok := seen[r.role]; !ok {
			problems = append(problems, fmt.Sprintf("query parameter %q: missing; the list cannot page without it", r.name))
		}
	}
	if len(problems) > 0 {
		return nil, &Error{Problems: problems}
	}
	return p, nil
}

func (f *field) assignRole(products map[string]bool) (spec.Kind, error) {
	switch f.Name {
	case "user_account_id":
		f.role = roleUserID
		return spec.KindString, nil
	case "product":
		f.role = roleProduct
		return spec.KindEnum, nil
	case "created_at_start":
		f.role = roleCreatedFrom
		return spec.KindDateTime, nil
	case "created_at_end":
		f.role = roleCreatedBefore
		return spec.KindDateTime, nil
	case "per_page":
		f.role = rolePerPage
		return spec.KindInteger, nil
	case "last_record_number":
		f.role = roleOffset
		return spec.KindInteger, nil
	case "sort_order":
		f.role = roleSortOrder
		return spec.KindEnum, nil
	case "sort_key":
		f.role = roleSortKey
		return spec.KindString, nil
	}
	if prod, ok := strings.CutSuffix(f.Name, "_kyc_status"); ok {
		if !products[prod] {
			return 0, fmt.Errorf("query parameter %q: %q is not a value of the product enum", f.Name, prod)
		}
		f.role, f.product = roleKyc, domain.Product(prod)
		return spec.KindEnum, nil
	}
	return 0, fmt.Errorf("query parameter %q: the mock does not know how to apply this filter", f.Name)
}

func (f *field) checkDefault() error {
	switch f.role {
	case rolePerPage, roleOffset:
		if !f.HasDefault {
			return fmt.Errorf("query parameter %q: needs a default", f.Name)
		}
		v, ok := new(big.Int).SetString(f.Default, 10)
		if !ok {
			return fmt.Errorf("query parameter %q: default %q is not an integer", f.Name, f.Default)
		}
		if f.boundError(v, f.Default) != nil {
			return fmt.Errorf("query parameter %q: default %s is outside its own bounds", f.Name, f.Default)
		}
		if f.role == rolePerPage && (v.Sign() <= 0 || !v.IsInt64()) {
			return fmt.Errorf("query parameter %q: default %s must be a positive page size", f.Name, f.Default)
		}
		f.defaultInt = v
	case roleSortOrder:
		for _, v := range f.Enum {
			if v != "asc" && v != "desc" {
				return fmt.Errorf("query parameter %q: enum value %q is not asc or desc", f.Name, v)
			}
		}
		if !f.HasDefault {
			return fmt.Errorf("query parameter %q: needs a default", f.Name)
		}
	case roleSortKey:
		if !f.HasDefault {
			return fmt.Errorf("query parameter %q: needs a default", f.Name)
		}
		if !validSortKey(f.Default) {
			return fmt.Errorf("query parameter %q: default %q is not one of: %s", f.Name, f.Default, sortKeyList())
		}
	}
	return nil
}

func validSortKey(v string) bool {
	for _, k := range engine.SortKeys {
		if string(k) == v {
			return true
		}
	}
	return false
}

func sortKeyList() string {
	names := make([]string, len(engine.SortKeys))
	for i, k := range engine.SortKeys {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}

// maxLimit caps the page size the engine is asked for when the document sets no maximum.
const maxLimit = math.MaxInt32

func clampInt64(v *big.Int) int64 {
	if v.IsInt64() {
		return v.Int64()
	}
	if v.Sign() < 0 {
		return math.MinInt64
	}
	return math.MaxInt64
}
