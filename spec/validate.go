package spec

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// Validator checks requests and responses against the document, with its router built for one
// base URL (the mock's own address, or a staging URL) instead of the document's servers.
type Validator struct {
	router routers.Router
}

// NewValidator builds a Validator for requests sent to baseURL, which includes the base path
// ("http://127.0.0.1:8000/v1").
func NewValidator(s *Spec, baseURL string) (*Validator, error) {
	u, err := url.Parse(baseURL)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return nil, fmt.Errorf("validator base URL %q: want scheme://host[:port]/path", baseURL)
	}
	doc := *s.Doc
	doc.Servers = openapi3.Servers{{URL: strings.TrimSuffix(baseURL, "/")}}
	router, err := gorillamux.NewRouter(&doc)
	if err != nil {
		return nil, fmt.Errorf("validator router for %s: %w", baseURL, err)
	}
	return &Validator{router: router}, nil
}

// ValidateResponse checks one exchange: the request must route to an operation, and the
// response (status, content type, body) must match what the document declares for it. Statuses
// the document does not declare (401, 404, 405) are not checked here.
func (v *Validator) ValidateResponse(req *http.Request, status int, header http.Header, body []byte) error {
	route, pathParams, err := v.router.FindRoute(req)
	if err != nil {
		return fmt.Errorf("route %s %s: %w", req.Method, req.URL.Path, err)
	}
	in := &openapi3filter.RequestValidationInput{
		Request:    req,
		PathParams: pathParams,
		Route:      route,
		Options:    &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc},
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 status,
		Header:                 header,
		Options:                &openapi3filter.Options{MultiError: true},
	}
	out.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		return fmt.Errorf("response %d to %s %s: %w", status, req.Method, req.URL.RequestURI(), err)
	}
	return nil
}
