package refdocs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/cryptofi/partner-mock/spec"
)

// page is what the template renders.
type page struct {
	Title       string
	Version     string
	OpenAPI     string
	BaseURL     string
	AuthHeader  string
	Keys        []Key
	KeysHidden  bool
	Operations  []operation
	SampleCurl  string
	SampleKey   string
	DocumentURL string
	Source      string
}

type operation struct {
	ID          string
	Method      string
	Path        string
	Summary     string
	Description string
	Params      []param
	Curl        string
	Responses   []response
}

type param struct {
	Name        string
	In          string
	Required    bool
	Type        string
	Default     string
	Enum        []string
	Range       string
	Description string
}

type response struct {
	Status      string
	Description string
	Schema      string
	Fields      []field
	Example     string
}

type field struct {
	Path     string
	Type     string
	Required bool
	Enum     []string
}

// methods lists the HTTP methods in the order the page shows an item's operations.
var methods = []string{"GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"}

// operations lists the document's operations in its own path order.
func (p *Page) operations(baseURL, key string) []operation {
	var ops []operation
	for _, path := range pathOrder(p.spec) {
		item := p.spec.Doc.Paths.Value(path)
		for _, m := range methods {
			op := item.GetOperation(m)
			if op == nil {
				continue
			}
			ex := p.cfg.Examples[path]
			o := operation{
				ID:          anchor(m, path),
				Method:      m,
				Path:        p.spec.BasePath + path,
				Summary:     op.Summary,
				Description: strings.TrimSpace(op.Description),
			}
			for _, ref := range append(append(openapi3.Parameters{}, item.Parameters...), op.Parameters...) {
				if ref != nil && ref.Value != nil {
					o.Params = append(o.Params, describeParam(ref.Value))
				}
			}
			o.Curl = curl(m, baseURL+fillPath(path, ex.PathParams), ex.Query, p.authHeader(), key)
			o.Responses = describeResponses(op, ex.Body)
			ops = append(ops, o)
		}
	}
	return ops
}

// pathOrder returns the document's paths in the order the document lists them, which for a
// FastAPI document is the order the routes were declared. A document that is not JSON (YAML)
// falls back to sorted order.
func pathOrder(s *spec.Spec) []string {
	keys := s.Doc.Paths.Keys()
	sorted := append([]string(nil), keys...)
	sort.Strings(sorted)
	var raw struct {
		Paths json.RawMessage `json:"paths"`
	}
	if json.Unmarshal(s.Raw, &raw) != nil || len(raw.Paths) == 0 {
		return sorted
	}
	dec := json.NewDecoder(bytes.NewReader(raw.Paths))
	if _, err := dec.Token(); err != nil {
		return sorted
	}
	var order []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return sorted
		}
		var skip json.RawMessage
		if dec.Decode(&skip) != nil {
			return sorted
		}
		if k, ok := tok.(string); ok && s.Doc.Paths.Value(k) != nil {
			order = append(order, k)
		}
	}
	if len(order) != len(keys) {
		return sorted
	}
	return order
}

func anchor(method, path string) string {
	r := strings.NewReplacer("/", "-", "{", "", "}", "")
	return strings.ToLower(method) + strings.TrimRight(r.Replace(path), "-")
}

func fillPath(path string, values map[string]string) string {
	for name, v := range values {
		path = strings.ReplaceAll(path, "{"+name+"}", v)
	}
	return path
}

// shellQuote quotes s for a POSIX shell, so a curl line pastes as shown whatever the key or id.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func curl(method, url, query, header, key string) string {
	if query != "" {
		url += "?" + query
	}
	var b strings.Builder
	b.WriteString("curl")
	if method != "GET" {
		b.WriteString(" -X " + method)
	}
	if header != "" {
		b.WriteString(" -H " + shellQuote(header+": "+key))
	}
	b.WriteString(" " + shellQuote(url))
	return b.String()
}

func describeParam(pv *openapi3.Parameter) param {
	p := param{Name: pv.Name, In: pv.In, Required: pv.Required, Description: pv.Description}
	if pv.Schema == nil || pv.Schema.Value == nil {
		return p
	}
	s := pv.Schema.Value
	if p.Description == "" {
		p.Description = s.Description
	}
	p.Type = typeOf(pv.Schema)
	if s.Default != nil {
		d, _ := json.Marshal(s.Default)
		p.Default = string(d)
	}
	inner := unwrap(s)
	for _, v := range inner.Enum {
		e, _ := json.Marshal(v)
		p.Enum = append(p.Enum, string(e))
	}
	p.Range = rangeOf(inner)
	return p
}

// unwrap returns the schema a parameter or field really has under FastAPI's anyOf-with-null and
// 3.0's one-element allOf.
func unwrap(s *openapi3.Schema) *openapi3.Schema {
	for range 4 {
		var alts openapi3.SchemaRefs
		switch {
		case len(s.AnyOf) > 0:
			alts = s.AnyOf
		case len(s.OneOf) > 0:
			alts = s.OneOf
		case len(s.AllOf) == 1:
			alts = s.AllOf
		default:
			return s
		}
		var rest []*openapi3.Schema
		for _, a := range alts {
			if a.Value != nil && !(a.Value.Type != nil && a.Value.Type.Is("null")) {
				rest = append(rest, a.Value)
			}
		}
		if len(rest) != 1 {
			return s
		}
		s = rest[0]
	}
	return s
}

// rangeOf renders an integer or number's bounds the way the published docs do: "1 <= value <=
// 100", "0 <= value".
func rangeOf(s *openapi3.Schema) string {
	lower, upper := spec.SchemaBounds(s)
	var lo, hi string
	if lower != nil {
		lo = lower.String() + " " + comparison(lower.Exclusive) + " "
	}
	if upper != nil {
		hi = " " + comparison(upper.Exclusive) + " " + upper.String()
	}
	if lo == "" && hi == "" {
		return ""
	}
	return lo + "value" + hi
}

func comparison(exclusive bool) string {
	if exclusive {
		return "<"
	}
	return "<="
}

// typeOf names a schema's type for people: "string", "integer", "Product | null",
// "array of PartnerUser", "string (date-time)".
func typeOf(ref *openapi3.SchemaRef) string {
	return typeName(ref, 0)
}

func typeName(ref *openapi3.SchemaRef, depth int) string {
	if ref == nil || ref.Value == nil || depth > 8 {
		return "any"
	}
	if ref.Ref != "" {
		return refName(ref.Ref)
	}
	s := ref.Value
	var alts openapi3.SchemaRefs
	switch {
	case len(s.AnyOf) > 0:
		alts = s.AnyOf
	case len(s.OneOf) > 0:
		alts = s.OneOf
	case len(s.AllOf) == 1:
		alts = s.AllOf
	}
	var name string
	if alts != nil {
		names := make([]string, 0, len(alts))
		for _, a := range alts {
			names = append(names, typeName(a, depth+1))
		}
		name = strings.Join(names, " | ")
	} else {
		var types []string
		if s.Type != nil {
			types = append(types, (*s.Type)...)
		}
		for i, t := range types {
			switch {
			case t == "array":
				types[i] = "array of " + typeName(s.Items, depth+1)
			case s.Format != "" && t != "null":
				types[i] = t + " (" + s.Format + ")"
			}
		}
		name = strings.Join(types, " | ")
		if name == "" {
			name = "any"
		}
	}
	if s.Nullable {
		name += " | null"
	}
	return name
}

func refName(ref string) string {
	return ref[strings.LastIndex(ref, "/")+1:]
}

func describeResponses(op *openapi3.Operation, example []byte) []response {
	if op.Responses == nil {
		return nil
	}
	codes := op.Responses.Keys()
	sort.Strings(codes)
	var out []response
	for _, code := range codes {
		rv := op.Responses.Value(code)
		if rv == nil || rv.Value == nil {
			continue
		}
		r := response{Status: code}
		if rv.Value.Description != nil {
			r.Description = *rv.Value.Description
		}
		if mt := rv.Value.Content.Get("application/json"); mt != nil && mt.Schema != nil {
			r.Schema = typeOf(mt.Schema)
			r.Fields = fields(mt.Schema, "", 0, map[*openapi3.Schema]bool{})
		}
		if strings.HasPrefix(code, "2") && len(example) > 0 {
			var pretty bytes.Buffer
			if json.Indent(&pretty, example, "", "  ") == nil {
				r.Example = pretty.String()
			}
		}
		out = append(out, r)
	}
	return out
}

// fields flattens a response schema into dotted paths ("items[].accounts[].product"), which read
// well on screen and on paper. seen stops recursive schemas.
func fields(ref *openapi3.SchemaRef, prefix string, depth int, seen map[*openapi3.Schema]bool) []field {
	if ref == nil || ref.Value == nil || depth > 8 {
		return nil
	}
	s := unwrap(ref.Value)
	if seen[s] {
		return nil
	}
	seen[s] = true
	defer delete(seen, s)
	if s.Type != nil && s.Type.Is("array") {
		return fields(s.Items, prefix+"[]", depth+1, seen)
	}
	var out []field
	for _, name := range propertyOrder(s) {
		prop := s.Properties[name]
		path := name
		if prefix != "" {
			path = prefix + "." + name
		}
		f := field{Path: path, Type: typeOf(prop), Required: contains(s.Required, name)}
		if prop.Value != nil {
			for _, v := range unwrap(prop.Value).Enum {
				f.Enum = append(f.Enum, fmt.Sprint(v))
			}
		}
		out = append(out, f)
		out = append(out, fields(prop, path, depth+1, seen)...)
	}
	return out
}

// propertyOrder lists an object's properties: the required ones in their declared order first
// (FastAPI lists required in field order), then the rest sorted, since kin-openapi keeps
// properties in a map.
func propertyOrder(s *openapi3.Schema) []string {
	var out []string
	for _, r := range s.Required {
		if _, ok := s.Properties[r]; ok {
			out = append(out, r)
		}
	}
	var rest []string
	for name := range s.Properties {
		if !contains(s.Required, name) {
			rest = append(rest, name)
		}
	}
	sort.Strings(rest)
	return append(out, rest...)
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
