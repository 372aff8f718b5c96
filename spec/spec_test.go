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
	assert.Equal(t, []string{"crypto", "securities", "roth_ira", "robo"}, s.Products)
	assert.Equal(t, []string{"not_started", "pending", "approved", "rejected"}, s.KycStatuses)

	var names []string
	for _, p := range s.ListParams {
		names = append(names, p.Name)
	}
	assert.Equal(t, []string{
		"user_account_id", "product", "crypto_kyc_status", "securities_kyc_status",
		"roth_ira_kyc_status", "robo_kyc_status", "created_at_start", "created_at_end",
		"per_page", "last_record_number", "sort_order", "sort_key",
	}, names)

	perPage, ok := s.Param("per_page")
	require.True(t, ok)
	assert.Equal(t, KindInteger, perPage.Kind)
	require.NotNil(t, perPage.Lower)
	require.NotNil(t, perPage.Upper)
	assert.Equal(t, "ge", perPage.Lower.Constraint(true))
	assert.Equal(t, "1", perPage.Lower.String())
	assert.Equal(t, "le", perPage.Upper.Constraint(false))
	assert.Equal(t, "100", perPage.Upper.String())
	assert.Equal(t, "25", perPage.Default)

	order, ok := s.Param("sort_order")
	require.True(t, ok)
	assert.Equal(t, KindEnum, order.Kind)
	assert.Equal(t, []string{"asc", "desc"}, order.Enum)
	assert.Equal(t, "desc", order.Default)
	assert.False(t, order.Nullable)

	start, ok := s.Param("created_at_start")
	require.True(t, ok)
	assert.Equal(t, KindDateTime, start.Kind)
	assert.True(t, start.Nullable)
	assert.False(t, start.HasDefault)

	key, ok := s.Param("sort_key")
	require.True(t, ok)
	assert.Equal(t, KindString, key.Kind)
	assert.Equal(t, "created_at", key.Default)
}

func TestLoadReportsEveryProblem(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want []string
	}{
		{"not JSON", `{"openapi":`, []string{"not a readable OpenAPI document"}},
		{"no paths", `{"openapi":"3.1.0","info":{"title":"x","version":"1"},"paths":{}}`,
			[]string{`no GET operation for the user list path "/users/"`, `no GET operation for the user detail path "/users/{user_account_id}/"`}},
		{"unsupported parameter schema", `{"openapi":"3.1.0","info":{"title":"x","version":"1"},"paths":{
			"/users/":{"get":{"parameters":[{"name":"q","in":"query","schema":{"type":"boolean"}}],"responses":{"200":{"description":"ok"}}}}}}`,
			[]string{`query parameter "q": unsupported schema`, `no GET operation for the user detail path`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load("test.json", []byte(tt.doc))
			require.Error(t, err)
			var lerr *LoadError
			require.ErrorAs(t, err, &lerr)
			assert.Len(t, lerr.Problems, len(tt.want))
			for _, w := range tt.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.True(t, strings.HasPrefix(err.Error(), "spec test.json:"), err.Error())
		})
	}
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
	assert.Equal(t, s31.Products, s30.Products)
	assert.Equal(t, s31.KycStatuses, s30.KycStatuses)
	assert.Equal(t, s31.ListParams, s30.ListParams, "nullable and allOf-wrapped $refs read like 3.1's anyOf-null")
}

func TestInspectReportsEveryProblemAndKeepsWhatItRead(t *testing.T) {
	doc := modified(t, func(d map[string]any) {
		params := listParams(d)
		// An empty KYC value and a product enum with a repeat: both make the generator fail.
		schemas := d["components"].(map[string]any)["schemas"].(map[string]any)
		schemas["KycStatus"].(map[string]any)["enum"] = []any{"pending", ""}
		schemas["Product"].(map[string]any)["enum"] = []any{"crypto", "crypto"}
		// A KYC filter whose states differ from the others'.
		params[5].(map[string]any)["schema"] = map[string]any{"type": "string", "enum": []any{"a", "b"}}
	})
	s, problems := Inspect("bad.json", doc)
	require.NotNil(t, s, "the document parses, so what was read is returned")
	assert.Len(t, s.ListParams, 12)
	joined := strings.Join(problems, "\n")
	assert.Contains(t, joined, `query parameter "product": enum holds "crypto" twice`)
	assert.Contains(t, joined, `query parameter "crypto_kyc_status": enum holds an empty value`)
	assert.Contains(t, joined, `query parameter "robo_kyc_status": its KYC states [a b] differ from "crypto_kyc_status"'s [pending ]`)
	assert.Len(t, problems, 3, joined)

	_, err := Load("bad.json", doc)
	var lerr *LoadError
	require.ErrorAs(t, err, &lerr)
	assert.Equal(t, problems, lerr.Problems)
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
	return d["paths"].(map[string]any)[ListPath].(map[string]any)["get"].(map[string]any)["parameters"].([]any)
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
