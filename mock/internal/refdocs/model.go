package refdocs

import (
	"bytes"
	"encoding/json"
	"net/http"
	"regexp"
	"sort"
	"strconv"
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
	SampleKey   string
	DocumentURL string
	Source      string
}

type operation struct {
	ID      string
	Method  string
	Path    string
	Summary string
	// Prose is the description's text; Notes the docstring's field lines that belong to no
	// parameter or response ("Authentication: …").
	Prose []string
	Notes []note
	Curl  string
	// ParamsIntro is what the docstring says of the parameters as a whole.
	ParamsIntro []string
	Params      []param
	Responses   []response
}

// note is one entry of an operation's definition list.
type note struct {
	Label string
	Texts []string
}

type param struct {
	Name        string
	In          string
	Required    bool
	Type        typ
	Default     string
	Range       string
	Description string
}

// typ is a type named for people: "string", "date-time", "integer", "array of objects", or
// the values allowed ("one of crypto, securities, roth_ira, robo").
type typ struct {
	Name string
	// Values are the allowed values; with a Name ("array of values") each element is one.
	Values []string
	// Optional is set when the value may be null or absent.
	Optional bool
}

type response struct {
	Status string
	// Title is the document's description of the response, or the status's reason phrase.
	Title string
	// Description is what the docstring says of it (":return: …", ":raises E: 404 …").
	Description string
	Fields      []field
	Example     string
	Answers     []answer
}

type answer struct {
	When    string
	Request string
	Headers []string
	Body    string
}

type field struct {
	Path string
	Type typ
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
				ID:      anchor(m, path),
				Method:  m,
				Path:    p.spec.BasePath + path,
				Summary: op.Summary,
			}
			for _, ref := range append(append(openapi3.Parameters{}, item.Parameters...), op.Parameters...) {
				if ref != nil && ref.Value != nil {
					o.Params = append(o.Params, describeParam(ref.Value, p.cfg.Values[path][ref.Value.Name]))
				}
			}
			o.Curl = curl(m, baseURL+fillPath(path, ex.PathParams), ex.Query, p.authHeader(), key)
			o.Responses = describeResponses(op, ex.Body, p.cfg.Answers[path])
			p.placeDocstring(&o, op.Description)
			ops = append(ops, o)
		}
	}
	return ops
}

// placeDocstring puts the description's parts where a reader looks for them: the prose on
// top; a ":param" line on its parameter (when the document gives that parameter no
// description of its own), the key's under "Authentication", the others above the parameter
// table; ":return:" on the success response and ":raises E: 404 …" on the 404. What has no
// place goes into the operation's notes, and the lines about Python types are left out.
func (p *Page) placeDocstring(o *operation, description string) {
	d := parseDocstring(description)
	o.Prose = d.Prose
	addNote := func(label, text string) {
		for i := range o.Notes {
			if o.Notes[i].Label == label {
				o.Notes[i].Texts = append(o.Notes[i].Texts, text)
				return
			}
		}
		o.Notes = append(o.Notes, note{Label: label, Texts: []string{text}})
	}
	for _, f := range d.Fields {
		if f.Text == "" {
			continue
		}
		switch fieldRole(f.Kind) {
		case fieldPython:
		case fieldParam:
			switch i := o.param(f.Arg); {
			case i >= 0:
				if o.Params[i].Description == "" {
					o.Params[i].Description = f.Text
				}
			case p.isAuth(f.Arg):
				addNote("Authentication", f.Text)
			case len(o.Params) > 0:
				o.ParamsIntro = append(o.ParamsIntro, f.Text)
			default:
				addNote("Parameters", f.Text)
			}
		case fieldReturn:
			if r := o.response(func(code string) bool { return strings.HasPrefix(code, "2") }); r != nil && r.Description == "" {
				r.Description = f.Text
			} else {
				addNote("Returns", f.Text)
			}
		case fieldRaises:
			if code, rest, ok := statusPrefix(f.Text); ok {
				if r := o.response(func(c string) bool { return c == code }); r != nil && r.Description == "" {
					r.Description = rest
					continue
				}
			}
			addNote("Errors", f.Text)
		default:
			text := f.Text
			if f.Arg != "" {
				text = f.Arg + ": " + text
			}
			addNote(label(f.Kind), text)
		}
	}
}

func (o *operation) param(name string) int {
	for i, p := range o.Params {
		if p.Name == name {
			return i
		}
	}
	return -1
}

// response returns the first response whose status code match accepts, or nil.
func (o *operation) response(match func(code string) bool) *response {
	for i := range o.Responses {
		if match(o.Responses[i].Status) {
			return &o.Responses[i]
		}
	}
	return nil
}

// isAuth reports whether a docstring's :param names the API key: the Python argument that
// receives the security scheme's header.
func (p *Page) isAuth(arg string) bool {
	if h := p.authHeader(); h != "" && sameName(arg, h) {
		return true
	}
	if p.spec.Doc.Components != nil {
		for name := range p.spec.Doc.Components.SecuritySchemes {
			if sameName(arg, name) {
				return true
			}
		}
	}
	return false
}

var statusLead = regexp.MustCompile(`^([1-5][0-9][0-9])\b[\s:,-]*(.*)$`)

// statusPrefix reads a text that starts with a status code ("404 Not Found when no user
// exists …") and returns the code and what the text says beyond the code and its reason
// phrase ("When no user exists …").
func statusPrefix(text string) (code, rest string, ok bool) {
	m := statusLead.FindStringSubmatch(text)
	if m == nil {
		return "", "", false
	}
	n, _ := strconv.Atoi(m[1])
	rest = m[2]
	if reason := http.StatusText(n); reason != "" && len(rest) >= len(reason) && strings.EqualFold(rest[:len(reason)], reason) {
		rest = strings.TrimLeft(rest[len(reason):], " :,-")
	}
	if rest == "" {
		return "", "", false
	}
	return m[1], strings.ToUpper(rest[:1]) + rest[1:], true
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

// describeParam reads one parameter. values, when given, are the values the mock accepts for
// it, which the page shows in place of the document's type.
func describeParam(pv *openapi3.Parameter, values []string) param {
	p := param{Name: pv.Name, In: pv.In, Required: pv.Required, Description: pv.Description}
	if pv.Schema != nil && pv.Schema.Value != nil {
		s := pv.Schema.Value
		if p.Description == "" {
			p.Description = s.Description
		}
		p.Type = typeOf(pv.Schema)
		if s.Default != nil {
			p.Default = plainValue(s.Default)
		}
		p.Range = rangeOf(unwrap(s))
	}
	if len(values) > 0 {
		p.Type.Name, p.Type.Values = "", values
	}
	return p
}

// plainValue writes a value as it goes into a query string or reads in a sentence: strings
// bare, anything else as JSON.
func plainValue(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// alternatives returns the schemas of FastAPI's anyOf (an optional value is anyOf [X, null]),
// a oneOf, or 3.0's one-element allOf; nil for a schema that is none of these.
func alternatives(s *openapi3.Schema) openapi3.SchemaRefs {
	switch {
	case len(s.AnyOf) > 0:
		return s.AnyOf
	case len(s.OneOf) > 0:
		return s.OneOf
	case len(s.AllOf) == 1:
		return s.AllOf
	}
	return nil
}

func isNull(ref *openapi3.SchemaRef) bool {
	return ref != nil && ref.Value != nil && ref.Value.Type != nil && ref.Value.Type.Is("null")
}

// unwrap returns the schema a parameter or field really has under FastAPI's anyOf-with-null and
// 3.0's one-element allOf.
func unwrap(s *openapi3.Schema) *openapi3.Schema {
	for range 4 {
		alts := alternatives(s)
		if alts == nil {
			return s
		}
		var rest []*openapi3.Schema
		for _, a := range alts {
			if a.Value != nil && !isNull(a) {
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

// typeOf names a schema's type for people, never by the document's internal schema names: a
// $ref is described by what it refers to, an enum by its values, a string by its format, and
// FastAPI's "X | null" as an optional X.
func typeOf(ref *openapi3.SchemaRef) typ {
	return typeAt(ref, 0)
}

func typeAt(ref *openapi3.SchemaRef, depth int) typ {
	if ref == nil || ref.Value == nil || depth > 8 {
		return typ{Name: "any"}
	}
	s := ref.Value
	t := typ{Optional: s.Nullable}
	if alts := alternatives(s); alts != nil {
		var kinds []typ
		for _, a := range alts {
			if isNull(a) {
				t.Optional = true
				continue
			}
			kinds = append(kinds, typeAt(a, depth+1))
		}
		switch len(kinds) {
		case 0:
			t.Name = "null"
		case 1:
			optional := t.Optional
			t = kinds[0]
			t.Optional = t.Optional || optional
		default:
			names := make([]string, len(kinds))
			for i, k := range kinds {
				names[i] = k.text()
			}
			t.Name = strings.Join(names, " or ")
		}
		return t
	}
	var types []string
	if s.Type != nil {
		for _, name := range *s.Type {
			if name == "null" {
				t.Optional = true
				continue
			}
			types = append(types, name)
		}
	}
	if len(s.Enum) > 0 {
		for _, v := range s.Enum {
			if v == nil {
				t.Optional = true
				continue
			}
			t.Values = append(t.Values, plainValue(v))
		}
		return t
	}
	names := make([]string, 0, len(types))
	for _, name := range types {
		switch name {
		case "array":
			items := typeAt(s.Items, depth+1)
			if len(items.Values) > 0 {
				names = append(names, "array of values")
				t.Values = items.Values
				continue
			}
			names = append(names, "array of "+plural(items.Name))
		case "string":
			if s.Format != "" {
				name = s.Format
			}
			names = append(names, name)
		default:
			names = append(names, name)
		}
	}
	switch {
	case len(names) > 0:
		t.Name = strings.Join(names, " or ")
	case len(s.Properties) > 0:
		t.Name = "object"
	default:
		t.Name = "any"
	}
	return t
}

// text is the type in one line of plain text, for joining alternatives.
func (t typ) text() string {
	if len(t.Values) == 0 {
		return t.Name
	}
	values := "one of " + strings.Join(t.Values, ", ")
	if t.Name == "" {
		return values
	}
	return t.Name + ", each " + values
}

// plural names several values of a type: "objects", "strings or integers".
func plural(name string) string {
	if strings.Contains(name, " or ") {
		parts := strings.Split(name, " or ")
		for i, p := range parts {
			parts[i] = plural(p)
		}
		return strings.Join(parts, " or ")
	}
	switch {
	case name == "any":
		return "values"
	case strings.HasPrefix(name, "array of "):
		return "arrays of " + strings.TrimPrefix(name, "array of ")
	case name == "object", name == "string", name == "integer", name == "number", name == "boolean":
		return name + "s"
	}
	return name + " values"
}

// describeResponses lists the operation's responses, the document's and those the mock gives
// besides (answers), by status code. The example goes with the success response; answers with
// their status. A response the document lists but the mock only describes in words (it never
// gives it) keeps no field table.
func describeResponses(op *openapi3.Operation, example []byte, answers []Answer) []response {
	byCode := map[string]*response{}
	var codes []string
	add := func(code string) *response {
		if r, ok := byCode[code]; ok {
			return r
		}
		r := &response{Status: code}
		byCode[code] = r
		codes = append(codes, code)
		return r
	}
	if op.Responses != nil {
		for _, code := range op.Responses.Keys() {
			rv := op.Responses.Value(code)
			if rv == nil || rv.Value == nil {
				continue
			}
			r := add(code)
			if rv.Value.Description != nil {
				r.Title = *rv.Value.Description
			}
			if mt := rv.Value.Content.Get("application/json"); mt != nil && mt.Schema != nil {
				r.Fields = fields(mt.Schema, "", 0, map[*openapi3.Schema]bool{})
			}
			if strings.HasPrefix(code, "2") && len(example) > 0 {
				r.Example = indent(example)
			}
		}
	}
	// withBody says, for each status the mock answers with, whether any answer has a body.
	withBody := map[string]bool{}
	for _, a := range answers {
		code := strconv.Itoa(a.Status)
		r := add(code)
		withBody[code] = withBody[code] || len(a.Body) > 0
		r.Answers = append(r.Answers, answer{When: a.When, Request: a.Request, Headers: a.Headers, Body: indent(a.Body)})
	}
	sort.SliceStable(codes, func(i, j int) bool { return codeLess(codes[i], codes[j]) })
	out := make([]response, 0, len(codes))
	for _, code := range codes {
		r := byCode[code]
		if r.Title == "" {
			if n, err := strconv.Atoi(code); err == nil {
				r.Title = http.StatusText(n)
			}
		}
		if body, answered := withBody[code]; answered && !body {
			r.Fields = nil
		}
		out = append(out, *r)
	}
	return out
}

// codeLess orders status codes numerically, with patterns ("4XX") and "default" after them.
func codeLess(a, b string) bool {
	na, ea := strconv.Atoi(a)
	nb, eb := strconv.Atoi(b)
	switch {
	case ea == nil && eb == nil:
		return na < nb
	case ea == nil:
		return true
	case eb == nil:
		return false
	}
	return a < b
}

// indent pretty-prints a JSON body, or returns it as is when it is not JSON.
func indent(body []byte) string {
	if len(body) == 0 {
		return ""
	}
	var pretty bytes.Buffer
	if json.Indent(&pretty, body, "", "  ") != nil {
		return string(body)
	}
	return pretty.String()
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
		f := field{Path: path, Type: typeOf(prop)}
		if !contains(s.Required, name) {
			f.Type.Optional = true
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

// String describes a typ for error messages and tests.
func (t typ) String() string {
	s := t.text()
	if t.Optional {
		s += ", optional"
	}
	return s
}
