package refdocs

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/spec"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// fullConfig is what the mock passes for the embedded document, with small bodies.
func fullConfig() Config {
	unauthorized := []Answer{
		{Status: 401, When: "Without a key, or with an empty one.", Headers: []string{"www-authenticate: APIKey"}, Body: []byte(`{"detail":"Not authenticated"}`)},
		{Status: 401, When: "With a key the mock does not know.", Body: []byte(`{"detail":"Invalid API key"}`)},
	}
	invalid := Answer{Status: 422, When: "With invalid parameters, such as", Request: "?per_page=0",
		Body: []byte(`{"detail":[{"type":"greater_than_equal","loc":["query","per_page"],"msg":"Input should be greater than or equal to 1","input":"0","ctx":{"ge":1}}]}`)}
	never := Answer{Status: 422, When: "Listed by the document, but never given here."}
	notFound := func(path, detail string) Answer {
		return Answer{Status: 404, When: "With an id the key's FI does not have, such as", Request: path, Body: []byte(`{"detail":"` + detail + `"}`)}
	}
	return Config{
		Title:  "Partner API",
		Source: "embedded openapi.json",
		Keys:   []Key{{FIName: "Demo Credit Union", Key: "demo-key", Users: 1000}, {FIName: "Partner FI", Users: 5}},
		Examples: map[string]Example{
			"/users/":                   {Query: "user_account_id=member-001", Body: []byte(`{"items":[],"total_records":0,"last_record_number":0,"per_page":25}`)},
			"/users/{user_account_id}/": {PathParams: map[string]string{"user_account_id": "member-001"}, Body: []byte(`{"accounts":[],"total_current_market_value":"0.00","user_account_id":"member-001"}`)},
			"/orders/":                  {Query: "per_page=1", Body: []byte(`{"items":[],"total_records":0,"last_record_number":0,"per_page":1}`)},
			"/orders/{order_id}/":       {PathParams: map[string]string{"order_id": "o-1"}, Body: []byte(`{"order_id":"o-1","user_account_id":"member-001","product":"crypto","side":"buy","symbol":"BTC","quantity":"0.00100000","notional":"100.00","fee":"1.00","status":"pending","placed_at":"2025-09-03T14:05:00Z","is_recurring_order":false}`)},
		},
		Values: map[string]map[string][]string{"/users/": {"sort_key": {"created_at", "user_account_id"}}},
		Answers: map[string][]Answer{
			"/users/":                   append(append([]Answer{}, unauthorized...), invalid),
			"/users/{user_account_id}/": append(append([]Answer{}, unauthorized...), notFound("/v1/users/no-such-id/", "User not found"), never),
			"/orders/":                  append(append([]Answer{}, unauthorized...), invalid),
			"/orders/{order_id}/":       append(append([]Answer{}, unauthorized...), notFound("/v1/orders/no-such-id/", "Order not found"), never),
		},
	}
}

func newPage(t *testing.T, cfg Config) *Page {
	t.Helper()
	s, err := spec.LoadEmbedded()
	require.NoError(t, err)
	p, err := New(s, cfg)
	require.NoError(t, err)
	return p
}

func TestPageMatchesGolden(t *testing.T) {
	p := newPage(t, fullConfig())
	var got bytes.Buffer
	require.NoError(t, p.Render(&got, "http://127.0.0.1:8000/"))

	golden := filepath.Join("testdata", "embedded.golden.html")
	if *update {
		require.NoError(t, os.WriteFile(golden, got.Bytes(), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err, "run go test ./mock/internal/refdocs -update to create it")
	assert.Equal(t, string(want), got.String(), "run go test ./mock/internal/refdocs -update after an intended change")

	var again bytes.Buffer
	require.NoError(t, p.Render(&again, "http://127.0.0.1:8000/"))
	assert.Equal(t, got.String(), again.String(), "rendering is deterministic")
}

func TestTitle(t *testing.T) {
	render := func(cfg Config) string {
		var b bytes.Buffer
		require.NoError(t, newPage(t, cfg).Render(&b, "http://h"))
		return b.String()
	}
	assert.Contains(t, render(Config{Title: "Partner API"}), "<h1>Partner API</h1>")
	assert.Contains(t, render(Config{}), "<h1>Partner api</h1>", "without a title the document's own")
}

// operation returns the page's operation at path (relative to the base path).
func operationAt(t *testing.T, ops []operation, path string) operation {
	t.Helper()
	for _, o := range ops {
		if o.Path == "/v1"+path {
			return o
		}
	}
	require.Failf(t, "no operation", "%s", path)
	return operation{}
}

func responseOf(t *testing.T, o operation, status string) response {
	t.Helper()
	for _, r := range o.Responses {
		if r.Status == status {
			return r
		}
	}
	require.Failf(t, "no response", "%s %s", o.Path, status)
	return response{}
}

func statuses(o operation) []string {
	var out []string
	for _, r := range o.Responses {
		out = append(out, r.Status)
	}
	return out
}

func TestDocstringsBecomeReadableText(t *testing.T) {
	auth := note{Label: "Authentication", Texts: []string{"Resolved Partner API key, providing the FI scope for the lookup."}}

	ops := newPage(t, fullConfig()).operations("http://h/v1", "k")
	list := operationAt(t, ops, "/users/")
	assert.Equal(t, []string{"Returns a paginated list of users matching the given filters."}, list.Prose)
	assert.Equal(t, []note{auth}, list.Notes, "the key's :param reads as Authentication")
	assert.Equal(t, []string{"Filter and pagination query parameters."}, list.ParamsIntro, "a :param that names no parameter introduces them")
	assert.Equal(t, "Paginated user list with items and pagination metadata.", responseOf(t, list, "200").Description, ":return: describes the success")

	detail := operationAt(t, ops, "/users/{user_account_id}/")
	assert.Equal(t, []note{auth}, detail.Notes)
	require.Len(t, detail.Params, 1)
	assert.Equal(t, "Partner-supplied user identifier (e.g. CIF, member number).", detail.Params[0].Description,
		"the path parameter, which the document leaves undescribed, gets its :param line")
	assert.Equal(t, "When no user exists for the given account ID within the partner's FI.", responseOf(t, detail, "404").Description,
		":raises describes the 404 it names")
	assert.Equal(t, "User-detail response with total market value and the per-product account list.", responseOf(t, detail, "200").Description)

	// Without the mock's answers there is no 404 to attach the :raises line to: it stays a note.
	bare := operationAt(t, newPage(t, Config{}).operations("http://h/v1", "k"), "/orders/{order_id}/")
	assert.Equal(t, []note{
		{Label: "Authentication", Texts: []string{"Resolved Partner API key, providing the FI scope for the lookup."}},
		{Label: "Errors", Texts: []string{"404 Not Found when no order with that id exists within the partner's FI."}},
	}, bare.Notes)
	assert.Equal(t, []string{"200", "422"}, statuses(bare), "the document's responses alone")
}

func TestResponsesJoinTheMocksAnswers(t *testing.T) {
	ops := newPage(t, fullConfig()).operations("http://h/v1", "k")
	list := operationAt(t, ops, "/users/")
	assert.Equal(t, []string{"200", "401", "422"}, statuses(list))
	unauthorized := responseOf(t, list, "401")
	assert.Equal(t, "Unauthorized", unauthorized.Title, "a status the document does not list is titled by its reason phrase")
	require.Len(t, unauthorized.Answers, 2)
	assert.Equal(t, []string{"www-authenticate: APIKey"}, unauthorized.Answers[0].Headers)
	assert.Equal(t, "{\n  \"detail\": \"Not authenticated\"\n}", unauthorized.Answers[0].Body, "bodies are indented")
	invalid := responseOf(t, list, "422")
	assert.Equal(t, "Validation Error", invalid.Title)
	assert.NotEmpty(t, invalid.Fields, "a response the mock gives keeps the document's fields")
	assert.Contains(t, invalid.Answers[0].Body, `"greater_than_equal"`)

	detail := operationAt(t, ops, "/orders/{order_id}/")
	assert.Equal(t, []string{"200", "401", "404", "422"}, statuses(detail))
	assert.Empty(t, responseOf(t, detail, "422").Fields, "no field table for a response the operation never gives")
	assert.Equal(t, "{\n  \"detail\": \"Order not found\"\n}", responseOf(t, detail, "404").Answers[0].Body)
}

func TestAllowedValuesAndPlainTypes(t *testing.T) {
	ops := newPage(t, fullConfig()).operations("http://h/v1", "k")
	types := map[string]string{}
	for _, p := range operationAt(t, ops, "/users/").Params {
		types[p.Name] = p.Type.String()
	}
	assert.Equal(t, map[string]string{
		"user_account_id":       "string, optional",
		"product":               "one of crypto, securities, roth_ira, robo, optional",
		"crypto_kyc_status":     "one of not_started, pending, approved, rejected, optional",
		"securities_kyc_status": "one of not_started, pending, approved, rejected, optional",
		"roth_ira_kyc_status":   "one of not_started, pending, approved, rejected, optional",
		"robo_kyc_status":       "one of not_started, pending, approved, rejected, optional",
		"created_at_start":      "date-time, optional",
		"created_at_end":        "date-time, optional",
		"per_page":              "integer",
		"last_record_number":    "integer",
		"sort_order":            "one of asc, desc",
		"sort_key":              "one of created_at, user_account_id",
	}, types)
	for _, p := range operationAt(t, ops, "/orders/").Params {
		assert.NotEqual(t, "sort_key", p.Name, "the orders list has no sort key")
		if p.Name == "side" {
			assert.Equal(t, []string{"buy", "sell"}, p.Type.Values)
		}
	}

	fieldTypes := map[string]string{}
	for _, f := range responseOf(t, operationAt(t, ops, "/orders/{order_id}/"), "200").Fields {
		fieldTypes[f.Path] = f.Type.String()
	}
	assert.Equal(t, "date-time, optional", fieldTypes["completed_at"])
	assert.Equal(t, "string, optional", fieldTypes["recurring_order_id"])
	assert.Equal(t, "one of pending, completed, cancelled, failed", fieldTypes["status"])
	assert.Equal(t, "boolean", fieldTypes["is_recurring_order"])
}

func TestTypeOf(t *testing.T) {
	ref := func(s *openapi3.Schema) *openapi3.SchemaRef { return openapi3.NewSchemaRef("", s) }
	null := ref(&openapi3.Schema{Type: &openapi3.Types{"null"}})
	object := &openapi3.Schema{Type: &openapi3.Types{"object"}, Properties: openapi3.Schemas{"a": ref(openapi3.NewStringSchema())}}
	enum := openapi3.NewStringSchema().WithEnum("a", "b")
	tests := []struct {
		name   string
		schema *openapi3.SchemaRef
		want   string
	}{
		{"a $ref is described, not named", openapi3.NewSchemaRef("#/components/schemas/Thing", object), "object"},
		{"anyOf X, null", ref(&openapi3.Schema{AnyOf: openapi3.SchemaRefs{ref(openapi3.NewDateTimeSchema()), null}}), "date-time, optional"},
		{"3.1 type list with null", ref(&openapi3.Schema{Type: &openapi3.Types{"integer", "null"}}), "integer, optional"},
		{"3.0 nullable", ref(openapi3.NewStringSchema().WithNullable()), "string, optional"},
		{"enum", ref(enum), "one of a, b"},
		{"enum with null", ref(&openapi3.Schema{Type: &openapi3.Types{"string"}, Enum: []any{"a", nil}}), "one of a, optional"},
		{"non-string enum", ref(&openapi3.Schema{Type: &openapi3.Types{"integer"}, Enum: []any{1.0, 2.0}}), "one of 1, 2"},
		{"array of objects", ref(openapi3.NewArraySchema().WithItems(object)), "array of objects"},
		{"array of alternatives", ref(openapi3.NewArraySchema().WithItems(&openapi3.Schema{AnyOf: openapi3.SchemaRefs{ref(openapi3.NewStringSchema()), ref(openapi3.NewIntegerSchema())}})), "array of strings or integers"},
		{"array of enum", ref(openapi3.NewArraySchema().WithItems(enum)), "array of values, each one of a, b"},
		{"array of date-times", ref(openapi3.NewArraySchema().WithItems(openapi3.NewDateTimeSchema())), "array of date-time values"},
		{"untyped", ref(&openapi3.Schema{}), "any"},
		{"properties without a type", ref(&openapi3.Schema{Properties: object.Properties}), "object"},
		{"nil", nil, "any"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, typeOf(tt.schema).String())
		})
	}
}

func TestRangeOf(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	tests := []struct {
		name   string
		schema *openapi3.Schema
		want   string
	}{
		{"none", &openapi3.Schema{}, ""},
		{"inclusive both", &openapi3.Schema{Min: f(1), Max: f(100)}, "1 <= value <= 100"},
		{"lower only", &openapi3.Schema{Min: f(0)}, "0 <= value"},
		{"3.1 exclusive", &openapi3.Schema{ExclusiveMin: openapi3.ExclusiveBound{Value: f(0)}, ExclusiveMax: openapi3.ExclusiveBound{Value: f(10)}}, "0 < value < 10"},
		{"3.0 boolean exclusive", &openapi3.Schema{Min: f(0), ExclusiveMin: openapi3.ExclusiveBound{Bool: new(true)}, Max: f(2.5)}, "0 < value <= 2.5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, rangeOf(tt.schema))
		})
	}
}

func TestCurlQuotesForTheShell(t *testing.T) {
	assert.Equal(t, `curl -H 'x-api-key: it'\''s' 'http://h/v1/users/?a=b'`, curl("GET", "http://h/v1/users/", "a=b", "x-api-key", "it's"))
	assert.Equal(t, `curl -X POST 'http://h/x'`, curl("POST", "http://h/x", "", "", "k"))
}

func TestNoDocstringMarkupOrInternalTypeNames(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, newPage(t, fullConfig()).Render(&b, "http://h"))
	page := b.String()
	for _, gone := range []string{":param", ":return", ":raises", "HTTPException", "| null", "Product |", "KycStatus", "SortOrder", "PartnerUser", "PartnerOrder", "HTTPValidationError", "ValidationError</"} {
		assert.False(t, strings.Contains(page, gone), "the page shows %q", gone)
	}
}
