package httpapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/mock/app"
)

// adminToken is the admin token of the tests' mocks.
const adminToken = "test-admin-token-0123"

// adminDoc is the admin API's document, loaded and validated once per test binary.
var adminDoc = func() *openapi3.T {
	doc, err := openapi3.NewLoader().LoadFromData(app.AdminDocument())
	if err != nil {
		panic(err)
	}
	doc.Servers = openapi3.Servers{{URL: "http://mock.test"}}
	return doc
}()

// adminMock is an app serving the admin API, with a client that validates every admin answer
// against the admin API's document.
type adminMock struct {
	t      *testing.T
	app    *app.App
	router routers.Router
}

// newAdminMock builds a mock with the admin API on; tenants is a tenants config, or "" for the
// built-in tenants.
func newAdminMock(t *testing.T, tenants string) *adminMock {
	t.Helper()
	cfg := app.Config{}
	if tenants != "" {
		require.NoError(t, app.UseTenantsData(&cfg, "t.yaml", []byte(tenants), nil))
	}
	return newAdminMockOf(t, cfg)
}

// newAdminMockOf builds the mock cfg describes, with the admin API on.
func newAdminMockOf(t *testing.T, cfg app.Config) *adminMock {
	t.Helper()
	cfg.AdminToken = adminToken
	a, err := app.New(cfg)
	require.NoError(t, err)
	router, err := gorillamux.NewRouter(adminDoc)
	require.NoError(t, err)
	return &adminMock{t: t, app: a, router: router}
}

// answer is a response, read.
type answer struct {
	status int
	header http.Header
	body   string
}

// decode decodes the answer's JSON body into v.
func (a answer) decode(t *testing.T, v any) {
	t.Helper()
	require.NoError(t, json.Unmarshal([]byte(a.body), v), a.body)
}

// problems returns the answer's problems as "path: msg" lines.
func (a answer) problems(t *testing.T) []string {
	t.Helper()
	var out struct {
		Problems []struct{ Path, Msg string }
	}
	a.decode(t, &out)
	var lines []string
	for _, p := range out.Problems {
		lines = append(lines, p.Path+": "+p.Msg)
	}
	return lines
}

// admin sends an admin request with the token.
func (m *adminMock) admin(method, path, body string) answer {
	m.t.Helper()
	return m.do(method, path, body, map[string]string{"Authorization": "Bearer " + adminToken})
}

// api sends a Partner API request with key.
func (m *adminMock) api(path, key string) answer {
	m.t.Helper()
	return m.do("GET", path, "", map[string]string{"x-api-key": key})
}

// do sends a request; an admin one's answer is checked against the admin API's document.
func (m *adminMock) do(method, path, body string, header map[string]string) answer {
	m.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, "http://mock.test"+path, r)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	m.app.Handler.ServeHTTP(rec, req)
	got := answer{status: rec.Code, header: rec.Header(), body: rec.Body.String()}
	if strings.HasPrefix(path, "/__admin") && m.app.AdminOn() {
		m.validate(req, got)
	}
	return got
}

// validate checks an admin answer against the document: an answer of an operation it
// declares must be one of the operation's (status, headers, body); any other (an unknown path,
// a method the path lacks) must be its problems body.
func (m *adminMock) validate(req *http.Request, got answer) {
	m.t.Helper()
	route, params, err := m.router.FindRoute(req)
	if errors.Is(err, routers.ErrPathNotFound) || errors.Is(err, routers.ErrMethodNotAllowed) {
		require.Contains(m.t, []int{401, 404, 405}, got.status, "%s %s is not in the document", req.Method, req.URL.Path)
		var v any
		require.NoError(m.t, json.Unmarshal([]byte(got.body), &v))
		require.NoError(m.t, adminDoc.Components.Schemas["Problems"].Value.VisitJSON(v), got.body)
		return
	}
	require.NoError(m.t, err)
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 got.status,
		Header:                 got.header,
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	in.SetBodyBytes([]byte(got.body))
	require.NoError(m.t, openapi3filter.ValidateResponse(context.Background(), in), "%s %s answered %d %s", req.Method, req.URL.Path, got.status, got.body)
}
