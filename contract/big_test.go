package contract_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/contract"
	"github.com/cryptofi/partner-mock/mock/app"
)

// TestLargePopulationIsSampledWithinTheBudget points the suite at an FI too big to walk in
// 1,000 requests, as a large staging FI would be: every check still runs, within the default
// budget, and the ones that could not cover everyone say so.
func TestLargePopulationIsSampledWithinTheBudget(t *testing.T) {
	var cfg app.Config
	err := app.UseTenantsData(&cfg, "large.yaml", []byte(`tenants:
  - name: large
    fi_name: Large Credit Union
    api_keys: [large-key]
    seed: 11
    users: 6000
    as_of: "2025-10-01T00:00:00Z"
  - name: small
    fi_name: Small Bank
    api_keys: [small-key]
    seed: 12
    users: 1500
    as_of: "2025-10-01T00:00:00Z"
`), nil)
	require.NoError(t, err)
	a, err := app.New(cfg)
	require.NoError(t, err)
	rep, err := contract.Run(context.Background(), contract.Config{BaseURL: mockServer(t, a.Handler), APIKey: "large-key", APIKey2: "small-key"})
	require.NoError(t, err)
	var out bytes.Buffer
	require.NoError(t, rep.WriteSummary(&out))
	t.Log("\n" + out.String())

	assert.Equal(t, int64(6000), rep.Population)
	assert.LessOrEqual(t, rep.Requests, contract.DefaultMaxRequests)
	assert.True(t, rep.Sampled)
	for _, c := range rep.Checks {
		assert.Equal(t, contract.Pass, c.Status, "%s: %s", c.Name, c.Reason)
	}
	sampled := map[string]bool{}
	for _, c := range rep.Checks {
		sampled[c.Name] = c.Sampled
	}
	for _, name := range []string{"paging/walk", "ordering/reverse-created_at", "ordering/reverse-user_account_id", "filters/product", "money/two-decimals", "tenants/isolation",
		"orders-paging/walk", "orders-ordering/reverse", "orders-fields/decimals", "relations/tenants-disjoint"} {
		assert.True(t, sampled[name], "%s samples a population of 6,000 users and their orders", name)
	}
}
