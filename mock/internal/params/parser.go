// Package params turns a list request's raw query string into a query.Query the way FastAPI and
// pydantic v2 (lax mode) would: the parameters, their order, enums, bounds and defaults come from
// the loaded OpenAPI document; what each parameter means comes from the resource's rule table;
// the parsing rules are pydantic's; every invalid parameter is reported, in document order, as
// pydantic reports it.
package params

import (
	"fmt"
	"math"
	"math/big"
	"slices"
	"strings"

	"github.com/cryptofi/partner-mock/mock/internal/query"
	"github.com/cryptofi/partner-mock/spec"
)

// Role is what a parameter does to the query.
type Role int

// The roles a parameter can play. Each fits one kind of parameter (see Role.Kind).
const (
	// RoleID keeps the record with the given primary id.
	RoleID Role = iota + 1
	// RoleGroup keeps the records of the named group of a group key (the orders of one user).
	RoleGroup
	// RoleValue keeps the records whose column holds the given value.
	RoleValue
	// RoleHas keeps the records that hold any value in the column the given value names (the
	// users with an account for the product).
	RoleHas
	// RoleFrom and RoleBefore bound the time key: inclusive and exclusive.
	RoleFrom
	RoleBefore
	// RolePerPage and RoleOffset page the answer.
	RolePerPage
	RoleOffset
	// RoleSortOrder is asc or desc; RoleSortKey names a ranking.
	RoleSortOrder
	RoleSortKey
)

// Kind returns the kind of parameter the role needs.
func (r Role) Kind() spec.Kind {
	switch r {
	case RoleValue, RoleHas, RoleSortOrder:
		return spec.KindEnum
	case RoleFrom, RoleBefore:
		return spec.KindDateTime
	case RolePerPage, RoleOffset:
		return spec.KindInteger
	}
	return spec.KindString
}

// Rule says what one parameter means: a row of a resource's table.
type Rule struct {
	// Name is the parameter's name. "{column}" in it stands for any column's name, so one rule
	// covers crypto_kyc_status, robo_kyc_status, ... and applies to the column it names.
	Name string
	Role Role
	// Column names the column of a RoleValue rule without "{column}"; Group names the group key
	// of a RoleGroup rule.
	Column, Group string
}

// Parser parses list queries for one operation of the document. It is immutable and safe for
// concurrent use.
type Parser struct {
	fields []field
}

type field struct {
	spec.Param
	role   Role
	loc    []string
	column int // RoleValue
	group  int // RoleGroup
	// values are the column's values (RoleValue) or the columns' names (RoleHas), to find the
	// index a query needs.
	values []string
	// rankings names the schema's rankings (RoleSortKey).
	rankings []string
	// defaultInt is the parsed default of an integer parameter.
	defaultInt *big.Int
}

// New checks that every query parameter of op is one the rules give a meaning, with a kind
// that fits it, and returns a Parser for it. Every problem is returned.
func New(op *spec.Operation, rules []Rule, schema query.Schema) (*Parser, []string) {
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	p := &Parser{}
	seen := map[string]string{}
	for _, sp := range op.Params {
		f := field{Param: sp, loc: []string{"query", sp.Name}}
		rule, col, why := find(rules, sp.Name, schema)
		if why != "" {
			bad("query parameter %q: %s", sp.Name, why)
			continue
		}
		f.role, f.column = rule.Role, col
		if want := rule.Role.Kind(); sp.Kind != want {
			bad("query parameter %q: is a %s in the document, the mock needs a %s", sp.Name, sp.Kind, want)
			continue
		}
		switch f.role {
		case RoleValue:
			f.values = schema.Columns[col].Values
		case RoleHas:
			for _, c := range schema.Columns {
				f.values = append(f.values, c.Name)
			}
		case RoleGroup:
			f.group = slices.Index(schema.Groups, rule.Group)
		case RoleSortKey:
			for _, r := range schema.Rankings {
				f.rankings = append(f.rankings, r.Name)
			}
		}
		if err := f.checkDefault(); err != nil {
			problems = append(problems, err.Error())
			continue
		}
		// Each role applies once (per column): two parameters for the page size would fight.
		key := fmt.Sprint(f.role, "/", f.column)
		if other, dup := seen[key]; dup {
			bad("query parameters %q and %q: both mean the same thing", other, sp.Name)
			continue
		}
		seen[key] = sp.Name
		p.fields = append(p.fields, f)
	}
	for _, r := range []struct {
		role Role
		name string
	}{{RolePerPage, "per_page"}, {RoleOffset, "last_record_number"}} {
		if !slices.ContainsFunc(p.fields, func(f field) bool { return f.role == r.role }) {
			bad("query parameter %q: missing; the list cannot page without it", r.name)
		}
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return p, nil
}

// find returns the rule for the parameter called name and, for a rule about a column, the
// column's index; or why there is none.
func find(rules []Rule, name string, schema query.Schema) (Rule, int, string) {
	why := "the mock does not know how to apply this filter"
	for _, r := range rules {
		if prefix, suffix, ok := strings.Cut(r.Name, "{column}"); ok {
			if col, ok := strings.CutSuffix(name, suffix); ok && len(col) > len(prefix) && strings.HasPrefix(col, prefix) {
				col = col[len(prefix):]
				if i := schema.ColumnIndex(col); i >= 0 {
					return r, i, ""
				}
				why = fmt.Sprintf("%q is not one of the columns it could filter (%s)", col, columnNames(schema))
			}
			continue
		}
		if r.Name == name {
			col := -1
			if r.Role == RoleValue {
				if col = schema.ColumnIndex(r.Column); col < 0 {
					continue
				}
			}
			return r, col, ""
		}
	}
	return Rule{}, -1, why
}

func columnNames(schema query.Schema) string {
	names := make([]string, len(schema.Columns))
	for i, c := range schema.Columns {
		names[i] = c.Name
	}
	return strings.Join(names, ", ")
}

func (f *field) checkDefault() error {
	switch f.role {
	case RolePerPage, RoleOffset:
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
		if f.role == RolePerPage && (v.Sign() <= 0 || !v.IsInt64()) {
			return fmt.Errorf("query parameter %q: default %s must be a positive page size", f.Name, f.Default)
		}
		f.defaultInt = v
	case RoleSortOrder:
		for _, v := range f.Enum {
			if v != "asc" && v != "desc" {
				return fmt.Errorf("query parameter %q: enum value %q is not asc or desc", f.Name, v)
			}
		}
		if !f.HasDefault {
			return fmt.Errorf("query parameter %q: needs a default", f.Name)
		}
	case RoleSortKey:
		if !f.HasDefault {
			return fmt.Errorf("query parameter %q: needs a default", f.Name)
		}
		if !slices.Contains(f.rankings, f.Default) {
			return fmt.Errorf("query parameter %q: default %q is not one of: %s", f.Name, f.Default, strings.Join(f.rankings, ", "))
		}
	}
	return nil
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
