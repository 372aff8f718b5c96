// Package spec loads the Partner API's OpenAPI document and reads from it everything the mock
// serves by: the base path, the paths, the list parameters in order with their enums, bounds and
// defaults. The Go code elsewhere never repeats those facts; it asks a *Spec.
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

// Paths of the two user endpoints, relative to the base path. They name the resources the mock
// implements; everything about their parameters comes from the document.
const (
	ListPath   = "/users/"
	DetailPath = "/users/{user_account_id}/"
)

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
	// ListParams are the query parameters of the user list, in document order.
	ListParams []Param
	// Products and KycStatuses are the enums of the product and KYC status parameters.
	Products    []string
	KycStatuses []string

	// served is the document prepared for GET /openapi.json.
	served servedDocument
}

// LoadError lists every problem that keeps a document from being served.
type LoadError struct {
	Source   string
	Problems []string
}

// Error reports all problems, one per line.
func (e *LoadError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "spec %s: %d problem(s):", e.Source, len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n  - ")
		b.WriteString(p)
	}
	return b.String()
}

// LoadEmbedded loads the document compiled into the binary.
func LoadEmbedded() (*Spec, error) {
	return Load("embedded openapi.json", embedded)
}

// Load parses, validates and reads the document in data. source names it in errors. Every
// problem found is reported at once in a *LoadError.
func Load(source string, data []byte) (*Spec, error) {
	s, problems := Inspect(source, data)
	if len(problems) > 0 {
		return nil, &LoadError{Source: source, Problems: problems}
	}
	return s, nil
}

// Inspect reads the document in data as far as it can and returns what it read along with every
// problem that keeps the mock from serving it. The Spec is nil only when data is not an OpenAPI
// document at all; otherwise it holds what could be read, so callers (the app's start-up check)
// can go on to find the problems that only the parser or the tenants reveal and report them all
// in one message. OpenAPI 3.0 and 3.1 documents are both read: kin-openapi maps 3.0's nullable
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
	list := operation(doc, ListPath)
	if list == nil {
		problems = append(problems, fmt.Sprintf("no GET operation for the user list path %q", ListPath))
	} else {
		params, perr := readParams(list)
		problems = append(problems, perr...)
		s.ListParams = params
	}
	if operation(doc, DetailPath) == nil {
		problems = append(problems, fmt.Sprintf("no GET operation for the user detail path %q", DetailPath))
	}
	problems = append(problems, s.readEnums()...)
	served, err := newServedDocument(data, doc)
	if err != nil {
		problems = append(problems, err.Error())
	}
	s.served = served
	return s, problems
}

// Param returns the list parameter called name.
func (s *Spec) Param(name string) (Param, bool) {
	for _, p := range s.ListParams {
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
