package refdocs

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"sort"
	"strings"

	"github.com/cryptofi/partner-mock/spec"
)

// Key is one API key the page lists, with the FI it opens.
type Key struct {
	FIName string
	// Key is shown as is; empty means the key is a partner's secret and the page says so
	// instead of showing it.
	Key   string
	Users int
}

// Example is what the page shows for one path: the values that fill its path parameters and
// query in the curl line, and the body the mock answers to that request.
type Example struct {
	PathParams map[string]string
	Query      string
	// Body is the response's JSON; the page indents it.
	Body []byte
}

// Answer is one answer an operation gives besides its example (a 401, 404 or 422): what gets
// it, and what it sends.
type Answer struct {
	// Status is the HTTP status code.
	Status int
	// When says in words what gets this answer ("No key, or an empty one.").
	When string
	// Request is the request that got it, shown after When: a path or a query ("?per_page=0").
	Request string
	// Headers are the answer's headers worth knowing, as "name: value".
	Headers []string
	// Body is the JSON body as sent; the page indents it. Nil describes the answer in words
	// alone: a response the document lists that the operation never gives.
	Body []byte
}

// Config holds the page's optional content. The zero value renders the document alone, with
// placeholder keys in the curl lines and no examples.
type Config struct {
	// Title is the page's heading; empty means the document's info.title. The document itself
	// is served as it is.
	Title string
	// Keys are listed under Authentication; the first shown key goes into the curl lines.
	Keys []Key
	// Examples are keyed by the document's path template ("/users/{user_account_id}/").
	Examples map[string]Example
	// Values are, by path template and then parameter name, the values a parameter accepts
	// where the document only says "string" (a sort key): the page lists them as its allowed
	// values.
	Values map[string]map[string][]string
	// Answers are, by path template, the operation's answers besides its example; the page
	// shows them with the document's responses, by status.
	Answers map[string][]Answer
	// Source names where the document came from ("embedded openapi.json", a --spec file).
	Source string
}

// Page renders the reference page of one loaded document. It is immutable and safe for
// concurrent use.
type Page struct {
	spec *spec.Spec
	cfg  Config
}

// placeholderKey stands in the curl lines when no key may be shown.
const placeholderKey = "YOUR-API-KEY"

//go:embed page.html.tmpl
var pageTemplate string

var tmpl = template.Must(template.New("page").Parse(pageTemplate))

// New prepares the page for s, which is required.
func New(s *spec.Spec, cfg Config) (*Page, error) {
	if s == nil || s.Doc == nil {
		return nil, fmt.Errorf("refdocs: a loaded document is required")
	}
	return &Page{spec: s, cfg: cfg}, nil
}

// Render writes the page for a mock reached at serverURL (scheme://host, no path): the curl
// lines and the base URL point there, as /openapi.json's servers do.
func (p *Page) Render(w io.Writer, serverURL string) error {
	serverURL = strings.TrimSuffix(serverURL, "/")
	key := placeholderKey
	hidden := false
	for _, k := range p.cfg.Keys {
		if k.Key == "" {
			hidden = true
			continue
		}
		if key == placeholderKey {
			key = k.Key
		}
	}
	doc := p.spec.Doc
	pg := page{
		OpenAPI:     doc.OpenAPI,
		BaseURL:     serverURL + p.spec.BasePath,
		AuthHeader:  p.authHeader(),
		Keys:        p.cfg.Keys,
		KeysHidden:  hidden,
		SampleKey:   key,
		DocumentURL: serverURL + "/openapi.json",
		Source:      p.cfg.Source,
	}
	if doc.Info != nil {
		pg.Title, pg.Version = doc.Info.Title, doc.Info.Version
	}
	if p.cfg.Title != "" {
		pg.Title = p.cfg.Title
	}
	if pg.Title == "" {
		pg.Title = "API reference"
	}
	pg.Operations = p.operations(pg.BaseURL, key)
	if err := tmpl.Execute(w, pg); err != nil {
		return fmt.Errorf("refdocs: rendering the page: %w", err)
	}
	return nil
}

// authHeader returns the header of the document's API-key security scheme ("x-api-key"), or ""
// when it declares none.
func (p *Page) authHeader() string {
	if p.spec.Doc.Components == nil {
		return ""
	}
	var names []string
	for name := range p.spec.Doc.Components.SecuritySchemes {
		names = append(names, name)
	}
	// Map order must not leak into the page: take the first scheme by name.
	sort.Strings(names)
	for _, name := range names {
		ss := p.spec.Doc.Components.SecuritySchemes[name]
		if ss != nil && ss.Value != nil && ss.Value.Type == "apiKey" && ss.Value.In == "header" {
			return ss.Value.Name
		}
	}
	return ""
}
