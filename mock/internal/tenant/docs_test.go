package tenant

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// docsBlock returns the first ```yaml block of docs/configuration.md that starts with first.
func docsBlock(t *testing.T, first string) string {
	t.Helper()
	data, err := os.ReadFile("../../../docs/configuration.md")
	require.NoError(t, err)
	_, rest, ok := strings.Cut(string(data), "```yaml\n"+first)
	require.True(t, ok, "docs/configuration.md has a yaml block starting with %q", first)
	block, _, ok := strings.Cut(rest, "```")
	require.True(t, ok)
	return first + block
}

// TestTheDocsExamplesAreValid reads the configuration page's examples as the mock does: what
// the docs show a partner must work when copied.
func TestTheDocsExamplesAreValid(t *testing.T) {
	t.Run("config", func(t *testing.T) {
		c, err := ParseConfig("configuration.md", []byte(docsBlock(t, "tenants:")))
		require.NoError(t, err)
		require.Len(t, c.Tenants, 1)
		future, perUser := 365*24*time.Hour, 3.0
		assert.Equal(t, TenantConfig{
			Name: "acme", FIName: "Acme Credit Union", APIKeys: []string{"acme-key-1"}, Seed: 7, Users: 100000,
			AsOf: c.Tenants[0].AsOf, Future: &future, OrdersPerUser: &perUser, IDFormat: "CIF#########",
			PinnedUsers: "acme-users.yaml", PinnedOrders: "acme-orders.yaml",
		}, c.Tenants[0])
		assert.Equal(t, "2025-10-01T00:00:00Z", c.Tenants[0].AsOf.Format(time.RFC3339))
		require.NotNil(t, c.Clock)
		assert.Equal(t, "frozen", c.Clock.Mode)
	})
	t.Run("pinned users and their orders", func(t *testing.T) {
		users, err := rules.Parse("configuration.md", []byte(docsBlock(t, "users:")))
		require.NoError(t, err)
		require.Len(t, users, 1)
		assert.Equal(t, "78072.03", users[0].Total.String())
		// The orders example is member-001's crypto buy; the example user has no crypto account,
		// so the order is checked against the built-in member-001, who has.
		data, err := os.ReadFile("../../../fixtures/pinned/demo-credit-union.yaml")
		require.NoError(t, err)
		member, err := rules.Parse("demo-credit-union.yaml", data)
		require.NoError(t, err)
		orders, err := rules.ParseOrders("configuration.md", []byte(docsBlock(t, "orders:")), member)
		require.NoError(t, err)
		require.Len(t, orders, 1)
		assert.Equal(t, "3f2b8c1e-6a4d-4e9f-8b2a-1c5d7e9f0a11", orders[0].ID.String())
	})
}
