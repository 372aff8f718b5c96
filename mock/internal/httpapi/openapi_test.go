package httpapi_test

import (
	"encoding/json"
	"html"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/mock/app"
	"github.com/cryptofi/partner-mock/mock/internal/tenant"
)

func serve(h http.Handler, method, target string, header map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestOpenAPIDocumentPointsServersAtTheMock(t *testing.T) {
	a := newApp(t, nil)
	tests := []struct {
		name   string
		target string
		header map[string]string
		want   string
	}{
		{"the host the request came to", "http://mock.test:9000/openapi.json", nil, "http://mock.test:9000/v1"},
		{"https behind a proxy", "http://mock.test/openapi.json", map[string]string{"X-Forwarded-Proto": "https"}, "https://mock.test/v1"},
		{"a forwarded proto that is not a scheme is ignored", "http://mock.test/openapi.json", map[string]string{"X-Forwarded-Proto": `x"y`}, "http://mock.test/v1"},
		{"a key is not needed but does no harm", "http://127.0.0.1:8000/openapi.json", map[string]string{"x-api-key": "wrong"}, "http://127.0.0.1:8000/v1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := serve(a.Handler, "GET", tt.target, tt.header)
			require.Equal(t, 200, rec.Code)
			assert.Equal(t, "application/json", rec.Header().Get("content-type"))
			assert.Equal(t, string(a.Spec.DocumentFor(tt.want)), rec.Body.String())
			var doc struct {
				Servers []struct{ URL string } `json:"servers"`
			}
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &doc))
			assert.Equal(t, []struct{ URL string }{{tt.want}}, doc.Servers)
		})
	}
}

func TestDocsRoutesBehaveLikeStarlettes(t *testing.T) {
	a := newApp(t, nil)
	tests := []struct {
		method, target string
		status         int
		location       string
	}{
		{"GET", "/openapi.json/", 307, "http://example.com/openapi.json"},
		{"GET", "/docs/?x=1", 307, "http://example.com/docs?x=1"},
		{"POST", "/docs", 405, ""},
		{"HEAD", "/openapi.json", 200, ""},
		{"HEAD", "/docs", 200, ""},
		{"PUT", "/openapi.json", 405, ""},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.target, func(t *testing.T) {
			rec := serve(a.Handler, tt.method, tt.target, nil)
			assert.Equal(t, tt.status, rec.Code)
			assert.Equal(t, tt.location, rec.Header().Get("location"))
		})
	}
}

var (
	curlLine = regexp.MustCompile(`<pre><code>(curl [^<]*)</code></pre>`)
	example  = regexp.MustCompile(`(?s)<pre><code>(\{.*?)</code></pre>`)
)

func TestReferencePageShowsTheDocumentKeysAndRealExamples(t *testing.T) {
	a := newApp(t, nil)
	rec := serve(a.Handler, "GET", "http://mock.test:9000/docs", nil)
	require.Equal(t, 200, rec.Code)
	assert.Equal(t, "text/html; charset=utf-8", rec.Header().Get("content-type"))
	page := rec.Body.String()
	text := html.UnescapeString(page)

	for _, path := range []string{"/users/", "/orders/"} {
		op, _ := a.Spec.Get(path)
		require.NotNil(t, op)
		for _, p := range op.Params {
			assert.True(t, strings.Contains(page, "<code>"+p.Name+"</code>"), "parameter %s is listed", p.Name)
			assert.True(t, strings.Contains(text, p.Description), "%s's description is shown", p.Name)
		}
	}
	for _, want := range []string{
		"1 <= value <= 100", "0 <= value", // bounds as the published docs write them
		`<code>25</code>`, `<code>"desc"</code>`, `<code>"created_at"</code>`, // defaults
		`<code>"asc"</code> | <code>"desc"</code>`, // an enum
		`<code>"not_started"</code> | <code>"pending"</code> | <code>"approved"</code> | <code>"rejected"</code>`,
		"KycStatus | null", "string (date-time) | null", // types
		"<code>demo-key</code>", "<code>demo-key-2</code>", "Demo Credit Union", "Demo Savings Bank",
		"items[].accounts[].kyc_approved_at", // response shape
		"http://mock.test:9000/openapi.json",
	} {
		assert.True(t, strings.Contains(text, want), "the page shows %q", want)
	}

	curls := curlLine.FindAllStringSubmatch(page, -1)
	examples := example.FindAllStringSubmatch(page, -1)
	require.Len(t, curls, 4, "one curl line per operation")
	require.Len(t, examples, 4, "one example per operation")
	assert.Equal(t, `curl -H 'x-api-key: demo-key' 'http://mock.test:9000/v1/users/?user_account_id=member-001'`, html.UnescapeString(curls[0][1]))
	assert.Equal(t, `curl -H 'x-api-key: demo-key' 'http://mock.test:9000/v1/users/member-001/'`, html.UnescapeString(curls[1][1]))
	assert.Equal(t, `curl -H 'x-api-key: demo-key' 'http://mock.test:9000/v1/orders/?user_account_id=member-001&per_page=3'`, html.UnescapeString(curls[2][1]))
	assert.Equal(t, `curl -H 'x-api-key: demo-key' 'http://mock.test:9000/v1/orders/3f2b8c1e-6a4d-4e9f-8b2a-1c5d7e9f0a11/'`, html.UnescapeString(curls[3][1]),
		"the first pinned order of member-001")
	for i, c := range curls {
		// Run the curl line against the mock: the example is what it answers.
		url := strings.Trim(strings.SplitN(html.UnescapeString(c[1]), " ", 5)[4], "'")
		res := serve(a.Handler, "GET", url, map[string]string{"x-api-key": "demo-key"})
		require.Equal(t, 200, res.Code, url)
		assert.JSONEq(t, res.Body.String(), html.UnescapeString(examples[i][1]), "example %d is the mock's answer to its curl line", i)
	}
	assert.True(t, strings.Contains(html.UnescapeString(examples[1][1]), `"kyc_status": "pending",
      "product": "roth_ira"`), "the docs' member-001, Roth IRA pending")

	// Self-contained: nothing loads from elsewhere.
	assert.NotRegexp(t, `(?i)<(link|img|iframe)\b|\bsrc=|@import|url\(`, page)
}

func TestReferencePageHidesAPartnersKeys(t *testing.T) {
	cfg, err := tenant.ParseConfig("test.yaml", []byte(`tenants:
  - name: acme
    fi_name: Acme FCU
    api_keys: [acme-secret-key-123]
    seed: 7
    users: 20
    as_of: "2025-10-01T00:00:00Z"
`))
	require.NoError(t, err)
	a, err := app.New(app.Config{Tenants: cfg})
	require.NoError(t, err)
	rec := serve(a.Handler, "GET", "http://mock.test/docs", nil)
	require.Equal(t, 200, rec.Code)
	page := rec.Body.String()
	text := html.UnescapeString(page)
	assert.False(t, strings.Contains(page, "acme-secret-key"), "the partner's key is not on the page")
	assert.True(t, strings.Contains(text, "Acme FCU"))
	assert.True(t, strings.Contains(text, "x-api-key: YOUR-API-KEY"))
	// The example is the tenant's first user, and still the mock's real answer.
	ex := example.FindAllStringSubmatch(page, -1)
	require.Len(t, ex, 4)
	var user struct {
		ID string `json:"user_account_id"`
	}
	require.NoError(t, json.Unmarshal([]byte(html.UnescapeString(ex[1][1])), &user))
	res := serve(a.Handler, "GET", "/v1/users/"+user.ID+"/", map[string]string{"x-api-key": "acme-secret-key-123"})
	require.Equal(t, 200, res.Code)
	assert.JSONEq(t, res.Body.String(), html.UnescapeString(ex[1][1]))
}
