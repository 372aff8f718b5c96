// Package spec loads the Partner API's OpenAPI document and reads from it everything the mock
// serves by: the base path, the operations and their parameters in order, with their enums,
// bounds and defaults. The Go code elsewhere never repeats those facts; it asks a *Spec.
package spec

import (
	"context"
	_ "embed"
	"fmt"
	"net/url"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

//go:embed openapi.json
var embedded []byte

// Embedded returns the OpenAPI document compiled into the binary.
func Embedded() []byte {
	return embedded
}

// Spec is a loaded and checked Partner API document.
type Spec struct {
	// Doc is the document as kin-openapi loaded it.
	Doc *openapi3.T
	// Raw is the document's bytes as given.
	Raw []byte
	// BasePath is the path of servers[0].url ("/v1"), or "" when the document has no servers.
	BasePath string

	// served is the document prepared for GET /openapi.json.
	served servedDocument
}

// LoadEmbedded loads the document compiled into the binary.
func LoadEmbedded() (*Spec, error) {
	return Load("embedded openapi.json", embedded)
}

// Load parses, validates and reads the document in data. source names it in errors. Every
// problem found is reported at once, one per line.
func Load(source string, data []byte) (*Spec, error) {
	s, problems := Inspect(source, data)
	if len(problems) > 0 {
		return nil, fmt.Errorf("spec %s: %d problem(s):\n  - %s", source, len(problems), strings.Join(problems, "\n  - "))
	}
	return s, nil
}

// Inspect reads the document in data as far as it can and returns what it read along with every
// problem that keeps it from being served. The Spec is nil only when data is not an OpenAPI
// document at all; otherwise it holds what could be read, so callers (the app's start-up check)
// can go on to find the problems that only the resources or the tenants reveal and report them
// all in one message. OpenAPI 3.0 and 3.1 documents are both read: kin-openapi maps 3.0's nullable
// and boolean exclusiveMinimum onto the same fields 3.1's anyOf-null and numeric bounds use.
func Inspect(source string, data []byte) (*Spec, []string) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, []string{"not a readable OpenAPI document: " + err.Error()}
	}
	var problems []string
	if v := doc.OpenAPI; !strings.HasPrefix(v, "3.0.") && !strings.HasPrefix(v, "3.1.") {
		problems = append(problems, fmt.Sprintf("openapi: version %q is not 3.0.x or 3.1.x", v))
	}
	// Validation stops at its first finding; the reading below goes on regardless, so a document
	// with several problems gets them all reported.
	if err := doc.Validate(context.Background()); err != nil {
		problems = append(problems, "invalid OpenAPI document: "+err.Error())
	}
	s := &Spec{Doc: doc, Raw: data}
	if len(doc.Servers) > 0 {
		u, err := url.Parse(doc.Servers[0].URL)
		if err != nil {
			problems = append(problems, fmt.Sprintf("servers[0].url %q: %v", doc.Servers[0].URL, err))
		} else {
			s.BasePath = strings.TrimSuffix(u.Path, "/")
		}
	}
	served, err := newServedDocument(data, doc)
	if err != nil {
		problems = append(problems, err.Error())
	}
	s.served = served
	return s, problems
}

// Operation is one GET operation of the document.
type Operation struct {
	// Path is the operation's path relative to the base path ("/users/{user_account_id}/").
	Path        string
	Summary     string
	Description string
	// Params are its query parameters, in document order.
	Params []Param
	// PathParams names its path parameters, in document order.
	PathParams []string
	// Doc is the operation as kin-openapi loaded it.
	Doc *openapi3.Operation
}

// Get reads the GET operation at path. It returns nil and no problems when the document has
// no such operation, and the operation as far as it could be read with every problem of its
// parameters otherwise.
func (s *Spec) Get(path string) (*Operation, []string) {
	op := operation(s.Doc, path)
	if op == nil {
		return nil, nil
	}
	o := &Operation{Path: path, Summary: op.Summary, Description: op.Description, Doc: op}
	var problems []string
	o.Params, problems = readParams(op)
	for _, ref := range op.Parameters {
		if ref != nil && ref.Value != nil && ref.Value.In == openapi3.ParameterInPath {
			o.PathParams = append(o.PathParams, ref.Value.Name)
		}
	}
	for i := range problems {
		problems[i] = fmt.Sprintf("GET %s: %s", path, problems[i])
	}
	return o, problems
}

// Param returns the query parameter called name.
func (o *Operation) Param(name string) (Param, bool) {
	for _, p := range o.Params {
		if p.Name == name {
			return p, true
		}
	}
	return Param{}, false
}

func operation(doc *openapi3.T, path string) *openapi3.Operation {
	if doc.Paths == nil {
		return nil
	}
	item := doc.Paths.Find(path)
	if item == nil {
		return nil
	}
	return item.Get
}
