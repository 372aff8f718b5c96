package tenant

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readmeBlock returns the README's first ```yaml block that starts with first.
func readmeBlock(t *testing.T, first string) string {
	t.Helper()
	data, err := os.ReadFile("../../../README.md")
	require.NoError(t, err)
	_, rest, ok := strings.Cut(string(data), "```yaml\n"+first)
	require.True(t, ok, "README has a yaml block starting with %q", first)
	block, _, ok := strings.Cut(rest, "```")
	require.True(t, ok)
	return first + block
}

func TestTheREADMEsExamplesAreValid(t *testing.T) {
	t.Run("config", func(t *testing.T) {
		c, err := ParseConfig("README.md", []byte(readmeBlock(t, "tenants:")))
		require.NoError(t, err)
		require.Len(t, c.Tenants, 1)
		assert.Equal(t, TenantConfig{
			Name: "acme", FIName: "Acme Credit Union", APIKeys: []string{"acme-key-1"}, Seed: 7, Users: 100000,
			AsOf: c.Tenants[0].AsOf, IDFormat: "CIF#########", PinnedUsers: "acme-users.yaml",
		}, c.Tenants[0])
		assert.Equal(t, "2025-10-01T00:00:00Z", c.Tenants[0].AsOf.Format("2006-01-02T15:04:05Z07:00"))
	})
	t.Run("pinned users", func(t *testing.T) {
		users, err := rules.Parse("README.md", []byte(readmeBlock(t, "users:")))
		require.NoError(t, err)
		require.Len(t, users, 1)
		assert.Equal(t, "78072.03", users[0].Total.String())
	})
}
