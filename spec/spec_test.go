package spec

import (
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
