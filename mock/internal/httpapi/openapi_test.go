package httpapi_test

import (
	"bytes"
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
				Info    struct{ Title string } `json:"info"`
				Servers []struct{ URL string } `json:"servers"`
			}
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &doc))
			assert.Equal(t, []struct{ URL string }{{tt.want}}, doc.Servers)
			assert.Equal(t, "Partner api", doc.Info.Title, "the document keeps its own title; only the page says Partner API")
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
	operationSection = regexp.MustCompile(`(?s)<section id="([^"]+)" class="operation">(.*?)</section>`)
	curlLine         = regexp.MustCompile(`<pre><code>(curl [^<]*)</code></pre>`)
	shownBody        = regexp.MustCompile(`(?s)<pre class="body"><code>(.*?)</code></pre>`)
	shownRequest     = regexp.MustCompile(`such as <code>([^<]*)</code>`)
)

// docsOperation is one operation as the reference page shows it.
type docsOperation struct {
	id, curl, section string
	// statuses are its responses' status codes in page order; html each one's markup and
	// bodies the bodies it shows, unescaped.
	statuses []string
	html     map[string]string
	bodies   map[string][]string
}

// curlURL is the URL of the operation's curl line.
func (o docsOperation) curlURL() string {
	return strings.Trim(strings.SplitN(o.curl, " ", 5)[4], "'")
}

func readOperations(t *testing.T, page string) []docsOperation {
	t.Helper()
	var ops []docsOperation
	for _, m := range operationSection.FindAllStringSubmatch(page, -1) {
		o := docsOperation{id: m[1], section: m[2], html: map[string]string{}, bodies: map[string][]string{}}
		c := curlLine.FindStringSubmatch(m[2])
		require.NotNil(t, c, "operation %s has a curl line", o.id)
		o.curl = html.UnescapeString(c[1])
		parts := strings.Split(m[2], `<div class="response" data-status="`)
		for _, part := range parts[1:] {
			status := part[:strings.IndexByte(part, '"')]
			o.statuses = append(o.statuses, status)
			o.html[status] = part
			for _, b := range shownBody.FindAllStringSubmatch(part, -1) {
				o.bodies[status] = append(o.bodies[status], html.UnescapeString(b[1]))
			}
		}
		ops = append(ops, o)
	}
	return ops
}

func compactJSON(t *testing.T, bodies []string) []string {
	t.Helper()
	out := make([]string, len(bodies))
	for i, b := range bodies {
		var buf bytes.Buffer
		require.NoError(t, json.Compact(&buf, []byte(b)), "a shown body is JSON: %s", b)
		out[i] = buf.String()
	}
	return out
}

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
		"<h1>Partner API</h1>",            // the API's name, not the document's "Partner api"
		"1 <= value <= 100", "0 <= value", // bounds as the published docs write them
		`default <code>25</code>`, `default <code>desc</code>`, `default <code>created_at</code>`,
		`one of <code>asc</code>, <code>desc</code>`,
		`one of <code>not_started</code>, <code>pending</code>, <code>approved</code>, <code>rejected</code>`,
		`one of <code>buy</code>, <code>sell</code>`,
		`<td data-label="Type">date-time</td>`, `date-time <span class="opt">optional</span>`, // plain types
		"<code>demo-key</code>", "<code>demo-key-2</code>", "Demo Credit Union", "Demo Savings Bank",
		"items[].accounts[].kyc_approved_at", "items[].recurring_order_id", // response shapes
		"http://mock.test:9000/openapi.json",
		// The docstrings as text.
		"<dt>Authentication</dt>\n<dd>Resolved Partner API key, providing the FI scope for the lookup.</dd>",
		"<p>Filter and pagination query parameters.</p>",
		"Partner-supplied user identifier (e.g. CIF, member number).",
		"Order identifier (the order's tx_id).",
	} {
		assert.True(t, strings.Contains(text, want), "the page shows %q", want)
	}
	for _, gone := range []string{"Partner api", ":param", ":return", ":raises", "HTTPException", "| null", "KycStatus", "SortOrder", "PartnerUser", "PartnerOrder"} {
		assert.False(t, strings.Contains(text, gone), "the page does not show %q", gone)
	}

	ops := readOperations(t, page)
	require.Len(t, ops, 4, "every operation, orders included")
	assert.Equal(t, `curl -H 'x-api-key: demo-key' 'http://mock.test:9000/v1/users/?user_account_id=member-001'`, ops[0].curl)
	assert.Equal(t, `curl -H 'x-api-key: demo-key' 'http://mock.test:9000/v1/users/member-001/'`, ops[1].curl)
	assert.Equal(t, `curl -H 'x-api-key: demo-key' 'http://mock.test:9000/v1/orders/?user_account_id=member-001&per_page=3'`, ops[2].curl)
	assert.Equal(t, `curl -H 'x-api-key: demo-key' 'http://mock.test:9000/v1/orders/3f2b8c1e-6a4d-4e9f-8b2a-1c5d7e9f0a11/'`, ops[3].curl,
		"the first pinned order of member-001")

	// The sort key's values come from the mock; the orders list has none.
	sortKey := `<code>sort_key</code> <span class="opt">optional</span></td><td data-label="Type">one of <code>created_at</code>, <code>user_account_id</code><br>default <code>created_at</code>`
	assert.Contains(t, page, sortKey)
	assert.Contains(t, ops[0].section, sortKey)
	for _, o := range ops[1:] {
		assert.NotContains(t, o.section, "<code>sort_key</code>", "%s lists no sort_key", o.id)
	}

	notFound := map[string]string{"get-users-user_account_id": `{"detail":"User not found"}`, "get-orders-order_id": `{"detail":"Order not found"}`}
	for i, o := range ops {
		t.Run(o.id, func(t *testing.T) {
			list := i%2 == 0
			if list {
				assert.Equal(t, []string{"200", "401", "422"}, o.statuses)
			} else {
				assert.Equal(t, []string{"200", "401", "404", "422"}, o.statuses)
			}
			url := o.curlURL()

			// 200: the example is what the mock answers to the curl line.
			require.Len(t, o.bodies["200"], 1)
			res := serve(a.Handler, "GET", url, map[string]string{"x-api-key": "demo-key"})
			require.Equal(t, 200, res.Code, url)
			assert.JSONEq(t, res.Body.String(), o.bodies["200"][0])

			// 401: without a key and with a wrong one, as the mock answers them.
			assert.Equal(t, []string{`{"detail":"Not authenticated"}`, `{"detail":"Invalid API key"}`}, compactJSON(t, o.bodies["401"]))
			noKey := serve(a.Handler, "GET", url, nil)
			badKey := serve(a.Handler, "GET", url, map[string]string{"x-api-key": "wrong"})
			require.Equal(t, []int{401, 401}, []int{noKey.Code, badKey.Code})
			assert.Equal(t, []string{noKey.Body.String(), badKey.Body.String()}, compactJSON(t, o.bodies["401"]))
			assert.Equal(t, "APIKey", noKey.Header().Get("www-authenticate"))
			assert.Contains(t, o.html["401"], "<code>www-authenticate: APIKey</code>")

			if list {
				// 422: the request shown gets the body shown.
				m := shownRequest.FindStringSubmatch(o.html["422"])
				require.NotNil(t, m, "the 422 shows its request")
				assert.Equal(t, "?per_page=0", m[1])
				res := serve(a.Handler, "GET", strings.SplitN(url, "?", 2)[0]+m[1], map[string]string{"x-api-key": "demo-key"})
				require.Equal(t, 422, res.Code)
				require.Len(t, o.bodies["422"], 1)
				assert.Equal(t, []string{res.Body.String()}, compactJSON(t, o.bodies["422"]))
				assert.Contains(t, res.Body.String(), `"type":"greater_than_equal","loc":["query","per_page"]`)
				return
			}
			// 404: the resource's own detail, for the id shown.
			m := shownRequest.FindStringSubmatch(o.html["404"])
			require.NotNil(t, m, "the 404 shows its request")
			res = serve(a.Handler, "GET", m[1], map[string]string{"x-api-key": "demo-key"})
			require.Equal(t, 404, res.Code, m[1])
			assert.Equal(t, []string{notFound[o.id]}, compactJSON(t, o.bodies["404"]))
			assert.Equal(t, notFound[o.id], res.Body.String())
			// The document's 422 is never given for a detail: said in words, with no body.
			assert.Empty(t, o.bodies["422"])
			assert.Contains(t, o.html["422"], "never given")
			assert.NotContains(t, o.html["422"], "<table", "no field table for an answer never given")
		})
	}
	assert.True(t, strings.Contains(ops[1].bodies["200"][0], `"kyc_status": "pending",
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
	// The example is the tenant's first user, and still the mock's real answer; its errors too.
	ops := readOperations(t, page)
	require.Len(t, ops, 4)
	require.Len(t, ops[1].bodies["200"], 1)
	var user struct {
		ID string `json:"user_account_id"`
	}
	require.NoError(t, json.Unmarshal([]byte(ops[1].bodies["200"][0]), &user))
	res := serve(a.Handler, "GET", "/v1/users/"+user.ID+"/", map[string]string{"x-api-key": "acme-secret-key-123"})
	require.Equal(t, 200, res.Code)
	assert.JSONEq(t, res.Body.String(), ops[1].bodies["200"][0])
	assert.Equal(t, []string{`{"detail":"User not found"}`}, compactJSON(t, ops[1].bodies["404"]))
	assert.Len(t, ops[0].bodies["422"], 1)
}
