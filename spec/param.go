package spec

import (
	"fmt"
	"math"
	"strconv"

	"github.com/getkin/kin-openapi/openapi3"
)

// Kind is how a query parameter's value is parsed.
type Kind int

// The kinds of query parameter the mock can parse, each with pydantic's lax-mode rules.
const (
	KindString Kind = iota + 1
	KindEnum
	KindInteger
	KindDateTime
)

// String names the kind for messages.
func (k Kind) String() string {
	switch k {
	case KindString:
		return "string"
	case KindEnum:
		return "enum"
	case KindInteger:
		return "integer"
	case KindDateTime:
		return "date-time"
	}
	return "unknown"
}

// Bound is one side of an integer parameter's range.
type Bound struct {
	Value float64
	// Exclusive is true for exclusiveMinimum/exclusiveMaximum (pydantic's gt/lt).
	Exclusive bool
}

// Constraint returns pydantic's name for the bound on the given side: ge, gt, le or lt.
func (b Bound) Constraint(lower bool) string {
	switch {
	case lower && b.Exclusive:
		return "gt"
	case lower:
		return "ge"
	case b.Exclusive:
		return "lt"
	}
	return "le"
}

// String renders the bound's value as Python would print the constraint (1, not 1.0).
func (b Bound) String() string {
	if b.Value == math.Trunc(b.Value) && math.Abs(b.Value) < 1e16 {
		return strconv.FormatInt(int64(b.Value), 10)
	}
	return strconv.FormatFloat(b.Value, 'g', -1, 64)
}

// Param is one query parameter of the user list as the document declares it.
type Param struct {
	Name        string
	Title       string
	Description string
	Kind        Kind
	// Nullable is true for FastAPI's optional parameters (anyOf [X, null]); they have no default
	// and, when absent, do not filter.
	Nullable bool
	// Enum holds the allowed values of a KindEnum parameter, in document order.
	Enum []string
	// EnumName is the enum schema's title ("Product"), when it has one.
	EnumName string
	// Lower and Upper bound a KindInteger parameter; nil when unbounded.
	Lower, Upper *Bound
	// Default is the document's default rendered as a string, and HasDefault says whether there is
	// one.
	Default    string
	HasDefault bool
}

func readParams(op *openapi3.Operation) ([]Param, []string) {
	var params []Param
	var problems []string
	for _, ref := range op.Parameters {
		if ref == nil || ref.Value == nil {
			continue
		}
		pv := ref.Value
		if pv.In != openapi3.ParameterInQuery {
			continue
		}
		p, err := readParam(pv)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		params = append(params, p)
	}
	return params, problems
}

func readParam(pv *openapi3.Parameter) (Param, error) {
	p := Param{Name: pv.Name, Description: pv.Description}
	if pv.Schema == nil || pv.Schema.Value == nil {
		return p, fmt.Errorf("query parameter %q: no schema", pv.Name)
	}
	outer := pv.Schema.Value
	p.Title = outer.Title
	if p.Description == "" {
		p.Description = outer.Description
	}
	if outer.Default != nil {
		p.Default, p.HasDefault = fmt.Sprint(outer.Default), true
	}
	inner := outer
	if len(outer.AnyOf) > 0 {
		var rest []*openapi3.Schema
		for _, alt := range outer.AnyOf {
			if alt.Value == nil {
				continue
			}
			if alt.Value.Type != nil && alt.Value.Type.Is("null") {
				p.Nullable = true
				continue
			}
			rest = append(rest, alt.Value)
		}
		if len(rest) != 1 {
			return p, fmt.Errorf("query parameter %q: anyOf must be one schema or one schema and null, found %d non-null schemas", pv.Name, len(rest))
		}
		inner = rest[0]
	}
	// OpenAPI 3.0 cannot put nullable beside a $ref, so 3.0 documents wrap the enum's $ref in a
	// one-element allOf next to "nullable: true"; the wrapped schema is the parameter's.
	if len(inner.AllOf) == 1 && inner.AllOf[0].Value != nil && inner.Type.IsEmpty() && len(inner.Enum) == 0 {
		inner = inner.AllOf[0].Value
		if p.Title == "" {
			p.Title = inner.Title
		}
	}
	if outer.Nullable || (inner.Type != nil && inner.Type.Includes("null")) {
		p.Nullable = true
	}
	switch {
	case len(inner.Enum) > 0:
		p.Kind = KindEnum
		p.EnumName = inner.Title
		for _, v := range inner.Enum {
			sv, ok := v.(string)
			if !ok {
				return p, fmt.Errorf("query parameter %q: enum value %v is not a string", pv.Name, v)
			}
			p.Enum = append(p.Enum, sv)
		}
	case inner.Type.Permits("integer") && !inner.Type.IsEmpty():
		p.Kind = KindInteger
		p.Lower, p.Upper = SchemaBounds(inner)
	case inner.Type.Permits("string") && inner.Format == "date-time":
		p.Kind = KindDateTime
	case inner.Type.Permits("string") && !inner.Type.IsEmpty():
		p.Kind = KindString
	default:
		return p, fmt.Errorf("query parameter %q: unsupported schema (want a string, string enum, integer or date-time)", pv.Name)
	}
	if p.HasDefault && p.Kind == KindEnum && !contains(p.Enum, p.Default) {
		return p, fmt.Errorf("query parameter %q: default %q is not one of its enum values %v", pv.Name, p.Default, p.Enum)
	}
	return p, nil
}

// SchemaBounds reads a numeric schema's bounds, OpenAPI 3.0 style (minimum with a boolean
// exclusiveMinimum) or 3.1 style (a numeric exclusiveMinimum). Either is nil when unbounded.
func SchemaBounds(s *openapi3.Schema) (lower, upper *Bound) {
	switch {
	case s.ExclusiveMin.Value != nil:
		lower = &Bound{Value: *s.ExclusiveMin.Value, Exclusive: true}
	case s.Min != nil:
		lower = &Bound{Value: *s.Min, Exclusive: s.ExclusiveMin.IsTrue()}
	}
	switch {
	case s.ExclusiveMax.Value != nil:
		upper = &Bound{Value: *s.ExclusiveMax.Value, Exclusive: true}
	case s.Max != nil:
		upper = &Bound{Value: *s.Max, Exclusive: s.ExclusiveMax.IsTrue()}
	}
	return lower, upper
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
