package spec

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLoadEmbeddedReadsTheDocument(t *testing.T) {
	s, err := LoadEmbedded()
	require.NoError(t, err)
	assert.Equal(t, "/v1", s.BasePath)

	users, problems := s.Get("/users/")
	require.Empty(t, problems)
	require.NotNil(t, users)
	var names []string
	for _, p := range users.Params {
		names = append(names, p.Name)
	}
	assert.Equal(t, []string{
		"user_account_id", "product", "crypto_kyc_status", "securities_kyc_status",
		"roth_ira_kyc_status", "robo_kyc_status", "created_at_start", "created_at_end",
		"per_page", "last_record_number", "sort_order", "sort_key",
	}, names)

	perPage, ok := users.Param("per_page")
	require.True(t, ok)
	assert.Equal(t, KindInteger, perPage.Kind)
	require.NotNil(t, perPage.Lower)
	require.NotNil(t, perPage.Upper)
	assert.Equal(t, "ge", perPage.Lower.Constraint(true))
	assert.Equal(t, "1", perPage.Lower.String())
	assert.Equal(t, "le", perPage.Upper.Constraint(false))
	assert.Equal(t, "100", perPage.Upper.String())
	assert.Equal(t, "25", perPage.Default)

	order, ok := users.Param("sort_order")
	require.True(t, ok)
	assert.Equal(t, KindEnum, order.Kind)
	assert.Equal(t, []string{"asc", "desc"}, order.Enum)
	assert.Equal(t, "desc", order.Default)
	assert.False(t, order.Nullable)

	start, ok := users.Param("created_at_start")
	require.True(t, ok)
	assert.Equal(t, KindDateTime, start.Kind)
	assert.True(t, start.Nullable)
	assert.False(t, start.HasDefault)

	key, ok := users.Param("sort_key")
	require.True(t, ok)
	assert.Equal(t, KindString, key.Kind)
	assert.Equal(t, "created_at", key.Default)

	detail, problems := s.Get("/users/{user_account_id}/")
	require.Empty(t, problems)
	require.NotNil(t, detail)
	assert.Equal(t, []string{"user_account_id"}, detail.PathParams)
	assert.Empty(t, detail.Params)
}

func TestLoadEmbeddedReadsTheOrdersEndpoints(t *testing.T) {
	s, err := LoadEmbedded()
	require.NoError(t, err)
	orders, problems := s.Get("/orders/")
	require.Empty(t, problems)
	require.NotNil(t, orders)
	var names []string
	for _, p := range orders.Params {
		names = append(names, p.Name)
	}
	assert.Equal(t, []string{"user_account_id", "product", "side", "status", "placed_at_start", "placed_at_end",
		"per_page", "last_record_number", "sort_order"}, names)
	side, _ := orders.Param("side")
	assert.Equal(t, []string{"buy", "sell"}, side.Enum)
	status, _ := orders.Param("status")
	assert.Equal(t, []string{"pending", "completed", "cancelled", "failed"}, status.Enum)
	assert.Equal(t, "OrderStatus", status.EnumName)

	detail, _ := s.Get("/orders/{order_id}/")
	require.NotNil(t, detail)
	assert.Equal(t, []string{"order_id"}, detail.PathParams)

	missing, problems := s.Get("/widgets/")
	assert.Nil(t, missing)
	assert.Empty(t, problems)
}

func TestLoadReportsEveryProblem(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want []string
	}{
		{"not JSON", `{"openapi":`, []string{"not a readable OpenAPI document"}},
		{"not OpenAPI 3", `{"openapi":"2.0","info":{"title":"x","version":"1"},"paths":{}}`, []string{`openapi: version "2.0" is not 3.0.x or 3.1.x`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load("test.json", []byte(tt.doc))
			require.Error(t, err)
			for _, w := range tt.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.True(t, strings.HasPrefix(err.Error(), "spec test.json:"), err.Error())
		})
	}
}

func TestGetReportsEveryParameterProblem(t *testing.T) {
	doc := modified(t, func(d map[string]any) {
		params := listParams(d)
		params[0].(map[string]any)["schema"] = map[string]any{"type": "boolean"}
		params[8].(map[string]any)["schema"] = map[string]any{"type": "object"}
	})
	s, problems := Inspect("bad.json", doc)
	require.NotNil(t, s)
	require.Empty(t, problems, "a parameter the document allows is the resources' business")
	op, problems := s.Get("/users/")
	require.NotNil(t, op)
	assert.Len(t, op.Params, 10, "the readable parameters are kept")
	joined := strings.Join(problems, "\n")
	assert.Contains(t, joined, `GET /users/: query parameter "user_account_id": unsupported schema`)
	assert.Contains(t, joined, `GET /users/: query parameter "per_page": unsupported schema`)
	assert.Len(t, problems, 2, joined)
}

func TestLoadReadsAnOpenAPI30Document(t *testing.T) {
	data, err := os.ReadFile("testdata/openapi-3.0.yaml")
	require.NoError(t, err)
	s30, err := Load("openapi-3.0.yaml", data)
	require.NoError(t, err)
	s31, err := LoadEmbedded()
	require.NoError(t, err)

	assert.Equal(t, "3.0.3", s30.Doc.OpenAPI)
	assert.Equal(t, s31.BasePath, s30.BasePath)
	op30, _ := s30.Get("/users/")
	op31, _ := s31.Get("/users/")
	require.NotNil(t, op30)
	assert.Equal(t, op31.Params, op30.Params, "nullable and allOf-wrapped $refs read like 3.1's anyOf-null")
}

func TestDocumentForKeepsTheOrderAndPointsServersAtTheMock(t *testing.T) {
	s, err := LoadEmbedded()
	require.NoError(t, err)
	got := s.DocumentFor("http://127.0.0.1:8123/v1")

	var doc map[string]any
	require.NoError(t, json.Unmarshal(got, &doc))
	assert.Equal(t, []any{map[string]any{"url": "http://127.0.0.1:8123/v1"}}, doc["servers"])

	var want map[string]any
	require.NoError(t, json.Unmarshal(Embedded(), &want))
	want["servers"] = doc["servers"]
	assert.Equal(t, want, doc, "nothing but servers changes")

	assert.Equal(t, topLevelKeys(t, Embedded()), topLevelKeys(t, got), "members stay in FastAPI's order")
	var compact bytes.Buffer
	require.NoError(t, json.Compact(&compact, got))
	assert.Equal(t, compact.String(), string(got), "served compact, like FastAPI")
}

func TestDocumentForServesAYAMLDocumentAsJSON(t *testing.T) {
	data, err := os.ReadFile("testdata/openapi-3.0.yaml")
	require.NoError(t, err)
	s, err := Load("openapi-3.0.yaml", data)
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(s.DocumentFor("https://mock.test/v1"), &doc))
	assert.Equal(t, "3.0.3", doc["openapi"])
	assert.Equal(t, []any{map[string]any{"url": "https://mock.test/v1"}}, doc["servers"])
	assert.Contains(t, doc["paths"], "/users/")
}

// modified returns the embedded document after edit changed its decoded JSON.
func modified(t *testing.T, edit func(map[string]any)) []byte {
	t.Helper()
	var d map[string]any
	require.NoError(t, json.Unmarshal(Embedded(), &d))
	edit(d)
	out, err := json.Marshal(d)
	require.NoError(t, err)
	return out
}

func listParams(d map[string]any) []any {
	return d["paths"].(map[string]any)["/users/"].(map[string]any)["get"].(map[string]any)["parameters"].([]any)
}

func topLevelKeys(t *testing.T, data []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	_, err := dec.Token()
	require.NoError(t, err)
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		require.NoError(t, err)
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		require.NoError(t, dec.Decode(&skip))
	}
	return keys
}
