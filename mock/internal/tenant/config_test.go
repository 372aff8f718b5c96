package tenant

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/fixtures"
	"github.com/cryptofi/partner-mock/mock/internal/faults"
)

// validTenant is a one-tenant config that parses; tests edit it into bad ones.
const validTenant = `tenants:
  - name: acme
    fi_name: Acme Credit Union
    api_keys: [acme-key]
    seed: 7
    users: 5000
    as_of: 2025-10-01T00:00:00Z
    id_format: "CIF{n:09d}"
`

func TestTheBuiltInConfigParses(t *testing.T) {
	data, err := fixtures.FS.ReadFile(fixtures.TenantsFile)
	require.NoError(t, err)
	c, err := ParseConfig("tenants.yaml", data)
	require.NoError(t, err)
	require.Len(t, c.Tenants, 2)
	assert.Equal(t, TenantConfig{
		Name:    "demo-credit-union",
		FIName:  "Demo Credit Union",
		APIKeys: []string{"demo-key", "demo-key-slow", "demo-key-flaky"},
		KeyFaults: []faults.Profile{
			{},
			{Latency: faults.Latency{Min: 800 * time.Millisecond, Max: 1500 * time.Millisecond}},
			{ErrorRate: 0.3},
		},
		Seed:        1,
		Users:       1000,
		AsOf:        time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC),
		IDFormat:    "member-{n:06d}",
		PinnedUsers: "pinned/demo-credit-union.yaml",
	}, c.Tenants[0])
	assert.Equal(t, "demo-savings-bank", c.Tenants[1].Name)
}

func TestConfigDefaultsAndForms(t *testing.T) {
	tests := []struct {
		name  string
		yaml  string
		check func(t *testing.T, tc TenantConfig)
	}{
		{"name defaults to fi_name", strings.Replace(validTenant, "  - name: acme\n    fi_name", "  - fi_name", 1),
			func(t *testing.T, tc TenantConfig) { assert.Equal(t, "Acme Credit Union", tc.Name) }},
		{"quoted as_of", strings.Replace(validTenant, "as_of: 2025-10-01T00:00:00Z", `as_of: "2025-10-01T02:00:00+02:00"`, 1),
			func(t *testing.T, tc TenantConfig) {
				assert.True(t, tc.AsOf.Equal(time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)))
			}},
		{"date-only as_of is midnight UTC", strings.Replace(validTenant, "as_of: 2025-10-01T00:00:00Z", "as_of: 2025-10-01", 1),
			func(t *testing.T, tc TenantConfig) {
				assert.Equal(t, time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC), tc.AsOf)
			}},
		{"numeric key is text", strings.Replace(validTenant, "[acme-key]", "[12345]", 1),
			func(t *testing.T, tc TenantConfig) { assert.Equal(t, []string{"12345"}, tc.APIKeys) }},
		{"block list of keys", strings.Replace(validTenant, "api_keys: [acme-key]", "api_keys:\n      - k1\n      - k2", 1),
			func(t *testing.T, tc TenantConfig) { assert.Equal(t, []string{"k1", "k2"}, tc.APIKeys) }},
		{"JSON", `{"tenants":[{"fi_name":"Acme","api_keys":["k"],"users":3,"as_of":"2025-10-01T00:00:00Z"}]}`,
			func(t *testing.T, tc TenantConfig) { assert.Equal(t, 3, tc.Users) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseConfig("t.yaml", []byte(tt.yaml))
			require.NoError(t, err)
			require.Len(t, c.Tenants, 1)
			tt.check(t, c.Tenants[0])
		})
	}
}

func TestBadConfigsNameTheLineTheFieldAndTheFix(t *testing.T) {
	second := `  - fi_name: Other FI
    api_keys: [other-key, acme-key]
    users: 10
    as_of: 2025-10-01T00:00:00Z
`
	tests := []struct {
		name string
		yaml string
		want []string
	}{
		{"unknown field", strings.Replace(validTenant, "seed: 7", "sede: 7", 1),
			[]string{"t.yaml:5: tenants[0].sede: unknown field (did you mean seed?); the fields here are name, fi_name, api_keys, seed, users, as_of, id_format, pinned_users"}},
		{"unknown top-level field", "tenant:\n  - fi_name: x\n",
			[]string{"t.yaml:1: tenant: unknown field (did you mean tenants?)"}},
		{"field given twice", validTenant + "    users: 6000\n",
			[]string{"t.yaml:9: tenants[0].users: given twice (first on line 6); keep one"}},
		{"users is text", strings.Replace(validTenant, "users: 5000", "users: many", 1),
			[]string{`t.yaml:6: tenants[0].users: want a whole number such as 1000, got the text "many"`}},
		{"users is a fraction", strings.Replace(validTenant, "users: 5000", "users: 1.5", 1),
			[]string{"t.yaml:6: tenants[0].users: want a whole number such as 1000, got the fraction 1.5"}},
		{"seed is negative", strings.Replace(validTenant, "seed: 7", "seed: -1", 1),
			[]string{"t.yaml:5: tenants[0].seed: -1 is out of range: want a whole number from 0 to 18446744073709551615"}},
		{"api_keys is not a list", strings.Replace(validTenant, "[acme-key]", "acme-key", 1),
			[]string{`t.yaml:4: tenants[0].api_keys: want a list (one "- item" per line, or [a, b]), got a single value`}},
		{"as_of is not an instant", strings.Replace(validTenant, "2025-10-01T00:00:00Z", "yesterday", 1),
			[]string{`t.yaml:7: tenants[0].as_of: want an RFC 3339 instant such as 2025-10-01T00:00:00Z, got the text "yesterday"`}},
		{"tenants is not a list", "tenants:\n  fi_name: x\n",
			[]string{"t.yaml:2: tenants: want a list"}},
		{"not YAML", "tenants: [\n", []string{"t.yaml:1: not valid YAML: line 1: did not find expected node content"}},
		{"two documents", validTenant + "---\ntenants: []\n", []string{"t.yaml:9: a second YAML document (after ---); put everything in one document"}},
		{"empty file", "", []string{"t.yaml: tenants: at least one tenant is required"}},
		{"no tenants", "tenants: []\n", []string{"t.yaml:1: tenants: at least one tenant is required"}},
		{"fi_name missing", strings.Replace(validTenant, "    fi_name: Acme Credit Union\n", "", 1),
			[]string{"t.yaml:2: tenants[0].fi_name: required"}},
		{"no keys", strings.Replace(validTenant, "[acme-key]", "[]", 1),
			[]string{"t.yaml:4: tenants[0].api_keys: at least one key is required"}},
		{"empty key", strings.Replace(validTenant, "[acme-key]", `[acme-key, ""]`, 1),
			[]string{"t.yaml:4: tenants[0].api_keys[1]: a key is empty"}},
		{"key with a space", strings.Replace(validTenant, "[acme-key]", `["acme-key "]`, 1),
			[]string{"t.yaml:4: tenants[0].api_keys[0]: a key starts or ends with a space"}},
		{"duplicate key across tenants", validTenant + second,
			[]string{"t.yaml:10: tenants[1].api_keys[1]: this key is also a key of tenants[0] (acme); each key must resolve to exactly one FI"}},
		{"duplicate name", validTenant + strings.Replace(second, "  - fi_name: Other FI", "  - name: acme\n    fi_name: Other FI", 1),
			[]string{`t.yaml:9: tenants[1].name: "acme" is also the name of tenants[0]; names must be unique`}},
		{"users below zero", strings.Replace(validTenant, "users: 5000", "users: -1", 1),
			[]string{"t.yaml:6: tenants[0].users: must be between 0 and 10000000 (pinned users included), got -1"}},
		{"users beyond 64 bits", strings.Replace(validTenant, "users: 5000", "users: 99999999999999999999", 1),
			[]string{"t.yaml:6: tenants[0].users: 99999999999999999999 is out of range: it does not fit a 64-bit whole number"}},
		{"users above the maximum", strings.Replace(validTenant, "users: 5000", "users: 10000001", 1),
			[]string{"t.yaml:6: tenants[0].users: must be between 0 and 10000000 (pinned users included), got 10000001"}},
		{"users missing", strings.Replace(validTenant, "    users: 5000\n", "", 1),
			[]string{"t.yaml:2: tenants[0].users: required: the population size, pinned users included, e.g. users: 1000"}},
		{"as_of missing", strings.Replace(validTenant, "    as_of: 2025-10-01T00:00:00Z\n", "", 1),
			[]string{"t.yaml:2: tenants[0].as_of: required"}},
		{"as_of too early for the window", strings.Replace(validTenant, "2025-10-01T00:00:00Z", "1972-01-01T00:00:00Z", 1),
			[]string{"t.yaml:7: tenants[0].as_of: must be from 1975-01-01T06:00:00Z (five years after 1970-01-01) to year 9999, got 1972-01-01T00:00:00Z"}},
		{"unreadable fields and failed checks together", strings.Replace(strings.Replace(validTenant, "users: 5000", "users: lots", 1), "    fi_name: Acme Credit Union\n", "", 1),
			[]string{"t.yaml:2: tenants[0].fi_name: required", `t.yaml:5: tenants[0].users: want a whole number such as 1000, got the text "lots"`}},
		{"every problem at once", strings.Replace(strings.Replace(validTenant, "users: 5000", "users: -1", 1), "    fi_name: Acme Credit Union\n", "", 1),
			[]string{"t.yaml:2: tenants[0].fi_name: required", "t.yaml:5: tenants[0].users: must be between"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseConfig("t.yaml", []byte(tt.yaml))
			require.Error(t, err)
			var fe *FileError
			require.True(t, errors.As(err, &fe), "a *FileError: %v", err)
			for _, w := range tt.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.NotContains(t, err.Error(), "acme-key", "keys are never echoed")
		})
	}
}
