package app

import (
	"encoding/json"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/mock/internal/problem"
	"github.com/cryptofi/partner-mock/spec"
)

func editedDocument(t *testing.T, edit func(doc map[string]any)) []byte {
	t.Helper()
	var doc map[string]any
	require.NoError(t, json.Unmarshal(spec.Embedded(), &doc))
	edit(doc)
	data, err := json.Marshal(doc)
	require.NoError(t, err)
	return data
}

func TestNewReportsEveryProblemOfASuppliedDocument(t *testing.T) {
	tests := []struct {
		name string
		edit func(doc map[string]any)
		want []string
	}{
		{
			"no user list path",
			func(doc map[string]any) { delete(doc["paths"].(map[string]any), "/users/") },
			[]string{`no GET operation for the users list path "/users/"`},
		},
		{
			"a product the pinned users need is gone, and an unknown filter",
			func(doc map[string]any) {
				schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
				schemas["Product"].(map[string]any)["enum"] = []any{"crypto", "securities", "robo"}
				list := doc["paths"].(map[string]any)["/users/"].(map[string]any)["get"].(map[string]any)
				list["parameters"] = append(list["parameters"].([]any), map[string]any{
					"name": "nickname", "in": "query", "schema": map[string]any{"type": "string"},
				})
			},
			[]string{
				`query parameter "nickname": the mock does not know how to apply this filter`,
				`query parameter "roth_ira_kyc_status": "roth_ira" is not one of the columns it could filter (crypto, securities, robo)`,
				`accounts[3].product: "roth_ira"`,
			},
		},
		{
			"an orders list the mock cannot serve",
			func(doc map[string]any) {
				list := doc["paths"].(map[string]any)["/orders/"].(map[string]any)["get"].(map[string]any)
				params := list["parameters"].([]any)
				params[2].(map[string]any)["schema"] = map[string]any{"type": "integer"} // side
				list["parameters"] = append(params, map[string]any{
					"name": "venue", "in": "query", "schema": map[string]any{"type": "string"},
				})
				delete(doc["paths"].(map[string]any), "/orders/{order_id}/")
			},
			[]string{
				`GET /orders/: query parameter "side": missing or not a string enum`,
				`GET /orders/: query parameter "side": is a integer in the document, the mock needs a enum`,
				`GET /orders/: query parameter "venue": the mock does not know how to apply this filter`,
				`no GET operation for the orders detail path "/orders/{order_id}/" next to its list "/orders/"`,
			},
		},
		{
			"order states without pending",
			func(doc map[string]any) {
				schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
				schemas["OrderStatus"].(map[string]any)["enum"] = []any{"completed", "failed"}
			},
			[]string{`GET /orders/: query parameter "status": enum has no "pending" state`},
		},
		{
			"an empty KYC enum",
			func(doc map[string]any) {
				schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
				schemas["KycStatus"].(map[string]any)["enum"] = []any{"pending", ""}
			},
			[]string{`enum holds an empty value`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(Config{SpecData: editedDocument(t, tt.edit), SpecSource: "partner.json"})
			var pl *problem.List
			require.True(t, errors.As(err, &pl), "a *problem.List, got %v", err)
			for _, w := range tt.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.True(t, strings.HasPrefix(err.Error(), "the mock cannot serve partner.json"), err.Error())
			assert.Equal(t, pl.Len(), strings.Count(err.Error(), "\n  - "), "one line per problem")
		})
	}
}

func TestANewOrderStateInASuppliedDocumentIsGeneratedAndFilterable(t *testing.T) {
	doc := editedDocument(t, func(doc map[string]any) {
		schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
		schemas["OrderStatus"].(map[string]any)["enum"] = []any{"pending", "completed", "cancelled", "failed", "expired"}
	})
	a, err := New(Config{SpecData: doc, SpecSource: "partner.json"})
	require.NoError(t, err)
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/v1/orders/?status=expired&per_page=100", nil)
	req.Header.Set("x-api-key", "demo-key")
	a.Handler.ServeHTTP(rec, req)
	require.Equal(t, 200, rec.Code, rec.Body.String())
	var page struct {
		Items []struct {
			Status string `json:"status"`
		} `json:"items"`
		Total int `json:"total_records"`
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &page))
	assert.Positive(t, page.Total, "some orders end expired")
	for _, o := range page.Items {
		assert.Equal(t, "expired", o.Status)
	}
}

func TestNewServesASuppliedDocumentItCanServe(t *testing.T) {
	a, err := New(Config{SpecData: spec.Embedded(), SpecSource: "copy.json"})
	require.NoError(t, err)
	assert.Equal(t, "/v1", a.Spec.BasePath)
}
