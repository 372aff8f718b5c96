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
	"github.com/cryptofi/partner-mock/mock/internal/gen"
	"github.com/cryptofi/partner-mock/mock/internal/problem"
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
		Seed:         1,
		Users:        1000,
		AsOf:         time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC),
		IDFormat:     "member-{n:06d}",
		PinnedUsers:  "pinned/demo-credit-union.yaml",
		PinnedOrders: "pinned/demo-credit-union-orders.yaml",
	}, c.Tenants[0])
	assert.Equal(t, "demo-savings-bank", c.Tenants[1].Name)
	for _, tc := range c.Tenants {
		assert.Equal(t, DefaultFuture, tc.future(), "%s: a year of future by default", tc.Name)
		assert.Equal(t, int64(gen.DefaultOrdersPerUser), tc.ordersPerUser(), "%s: the generator's default rate", tc.Name)
	}
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
		{"JSON", `{"tenants":[{"fi_name":"Acme","api_keys":["k"],"users":3,"as_of":"2025-10-01T00:00:00Z","future":"36h","orders_per_user":2.5}]}`,
			func(t *testing.T, tc TenantConfig) {
				assert.Equal(t, 3, tc.Users)
				assert.Equal(t, 36*time.Hour, tc.future())
				assert.Equal(t, int64(250), tc.ordersPerUser())
			}},
		{"future in days", validTenant + "    future: 365d\n",
			func(t *testing.T, tc TenantConfig) { assert.Equal(t, 365*24*time.Hour, tc.future()) }},
		{"future in hours", validTenant + "    future: 36h\n",
			func(t *testing.T, tc TenantConfig) { assert.Equal(t, 36*time.Hour, tc.future()) }},
		{"future in Go's form", validTenant + "    future: 1h30m\n",
			func(t *testing.T, tc TenantConfig) { assert.Equal(t, 90*time.Minute, tc.future()) }},
		{"no future", validTenant + "    future: 0s\n",
			func(t *testing.T, tc TenantConfig) {
				require.NotNil(t, tc.Future, "zero is not the default")
				assert.Zero(t, tc.future())
			}},
		{"ten years of future", validTenant + "    future: 87660h\n",
			func(t *testing.T, tc TenantConfig) { assert.Equal(t, gen.MaxFuture, tc.future()) }},
		{"future left out is a year", validTenant,
			func(t *testing.T, tc TenantConfig) {
				assert.Nil(t, tc.Future)
				assert.Equal(t, DefaultFuture, tc.future())
			}},
		{"future left empty is a year", validTenant + "    future:\n",
			func(t *testing.T, tc TenantConfig) { assert.Equal(t, DefaultFuture, tc.future()) }},
		{"orders per user with a fraction", validTenant + "    orders_per_user: 2.5\n",
			func(t *testing.T, tc TenantConfig) { assert.Equal(t, int64(250), tc.ordersPerUser()) }},
		{"orders per user rounded to hundredths", validTenant + "    orders_per_user: 0.125\n",
			func(t *testing.T, tc TenantConfig) { assert.Equal(t, int64(13), tc.ordersPerUser()) }},
		{"orders per user as a whole number", validTenant + "    orders_per_user: 10\n",
			func(t *testing.T, tc TenantConfig) { assert.Equal(t, int64(1000), tc.ordersPerUser()) }},
		{"no orders", validTenant + "    orders_per_user: 0\n",
			func(t *testing.T, tc TenantConfig) { assert.Zero(t, tc.ordersPerUser()) }},
		{"the most orders per user", validTenant + "    orders_per_user: 1000\n",
			func(t *testing.T, tc TenantConfig) { assert.Equal(t, int64(100_000), tc.ordersPerUser()) }},
		{"orders per user left out is the default", validTenant,
			func(t *testing.T, tc TenantConfig) {
				assert.Equal(t, int64(gen.DefaultOrdersPerUser), tc.ordersPerUser())
			}},
		{"pinned orders", validTenant + "    pinned_orders: o.yaml\n",
			func(t *testing.T, tc TenantConfig) { assert.Equal(t, "o.yaml", tc.PinnedOrders) }},
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
			[]string{"t.yaml:5: tenants[0].sede: unknown field (did you mean seed?); the fields here are name, fi_name, api_keys, seed, users, as_of, id_format, pinned_users, pinned_orders, future, orders_per_user"}},
		{"unknown field near future", validTenant + "    futur: 30d\n",
			[]string{"t.yaml:9: tenants[0].futur: unknown field (did you mean future?)"}},
		{"unknown field near orders_per_user", validTenant + "    order_per_user: 2\n",
			[]string{"t.yaml:9: tenants[0].order_per_user: unknown field (did you mean orders_per_user?)"}},
		{"unknown field near pinned_orders", validTenant + "    pinned_order: o.yaml\n",
			[]string{"t.yaml:9: tenants[0].pinned_order: unknown field (did you mean pinned_orders?)"}},
		{"future is not a length of time", validTenant + "    future: soon\n",
			[]string{`t.yaml:9: tenants[0].future: want a length of time such as 365d, 36h or 90m, got the text "soon"`}},
		{"future without a unit", validTenant + "    future: 365\n",
			[]string{`t.yaml:9: tenants[0].future: want a length of time such as 365d, 36h or 90m, got "365"`}},
		{"future in weeks", validTenant + "    future: 52w\n",
			[]string{`t.yaml:9: tenants[0].future: want a length of time such as 365d, 36h or 90m, got the text "52w"`}},
		{"future in days with a fraction", validTenant + "    future: 1.5d\n",
			[]string{`t.yaml:9: tenants[0].future: want a length of time such as 365d, 36h or 90m, got the text "1.5d"`}},
		{"future too many days for 64 bits", validTenant + "    future: 999999999999d\n",
			[]string{`t.yaml:9: tenants[0].future: want a length of time such as 365d, 36h or 90m, got the text "999999999999d"`}},
		{"future is a list", validTenant + "    future: [1d]\n",
			[]string{`t.yaml:9: tenants[0].future: want a length of time such as 365d, 36h or 90m, got a list`}},
		{"negative future", validTenant + "    future: -1h\n",
			[]string{"t.yaml:9: tenants[0].future: must be from 0s to 87660h0m0s (ten years), got -1h0m0s; e.g. future: 365d"}},
		{"negative future in days", validTenant + "    future: -2d\n",
			[]string{"t.yaml:9: tenants[0].future: must be from 0s to 87660h0m0s (ten years), got -2d; e.g. future: 365d"}},
		{"future past ten years", validTenant + "    future: 3653d\n",
			[]string{"t.yaml:9: tenants[0].future: must be from 0s to 87660h0m0s (ten years), got 3653d; e.g. future: 365d"}},
		{"future a second past ten years", validTenant + "    future: 87660h1s\n",
			[]string{"t.yaml:9: tenants[0].future: must be from 0s to 87660h0m0s (ten years), got 87660h0m1s"}},
		{"negative orders per user", validTenant + "    orders_per_user: -1\n",
			[]string{"t.yaml:9: tenants[0].orders_per_user: must be from 0 to 1000, got -1"}},
		{"too many orders per user", validTenant + "    orders_per_user: 1000.5\n",
			[]string{"t.yaml:9: tenants[0].orders_per_user: must be from 0 to 1000, got 1000.5"}},
		{"orders per user is text", validTenant + "    orders_per_user: lots\n",
			[]string{`t.yaml:9: tenants[0].orders_per_user: want a number such as 2.5, got the text "lots"`}},
		{"orders per user is a quoted number", validTenant + "    orders_per_user: \"2.5\"\n",
			[]string{`t.yaml:9: tenants[0].orders_per_user: want a number such as 2.5, got the text "2.5"`}},
		{"orders per user is not a number", validTenant + "    orders_per_user: .nan\n",
			[]string{`t.yaml:9: tenants[0].orders_per_user: want a number such as 2.5, got the fraction .nan`}},
		{"orders per user is infinite", validTenant + "    orders_per_user: .inf\n",
			[]string{`t.yaml:9: tenants[0].orders_per_user: want a number such as 2.5, got the fraction .inf`}},
		{"pinned_orders is a list", validTenant + "    pinned_orders: [a.yaml, b.yaml]\n",
			[]string{"t.yaml:9: tenants[0].pinned_orders: want a single value, got a list"}},
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
			var fe *problem.List
			require.True(t, errors.As(err, &fe), "a *problem.List: %v", err)
			for _, w := range tt.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.NotContains(t, err.Error(), "acme-key", "keys are never echoed")
		})
	}
}
