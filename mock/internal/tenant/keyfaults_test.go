package tenant

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cryptofi/partner-mock/mock/internal/problem"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/mock/internal/faults"
)

// withKeys is validTenant with its api_keys line replaced by keys (indented as a block under
// api_keys:, from line 5 of the file).
func withKeys(keys string) string {
	return strings.Replace(validTenant, "    api_keys: [acme-key]\n", "    api_keys:\n"+keys, 1)
}

func TestKeyFaultProfilesParse(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		name     string
		keys     string
		wantKeys []string
		want     []faults.Profile
	}{
		{"plain keys only: no profiles", "      - k1\n      - k2\n", []string{"k1", "k2"}, nil},
		{"fixed latency", "      - k1\n      - key: k2\n        faults: {latency: 250ms}\n", []string{"k1", "k2"},
			[]faults.Profile{{}, {Latency: faults.Latency{Min: 250 * ms, Max: 250 * ms}}}},
		{"latency range", "      - key: k1\n        faults: {latency: 100ms-2s}\n", []string{"k1"},
			[]faults.Profile{{Latency: faults.Latency{Min: 100 * ms, Max: 2 * time.Second}}}},
		{"error rate", "      - key: k1\n        faults: {error_rate: 0.3}\n", []string{"k1"}, []faults.Profile{{ErrorRate: 0.3}}},
		{"quoted error rate", "      - key: k1\n        faults: {error_rate: \"0.05\"}\n", []string{"k1"}, []faults.Profile{{ErrorRate: 0.05}}},
		{"rate limit", "      - key: k1\n        faults: {rate_limit: 5/m}\n", []string{"k1"},
			[]faults.Profile{{RateLimit: faults.Rate{N: 5, Per: time.Minute}}}},
		{"status with latency", "      - key: k1\n        faults:\n          status: 503\n          latency: 1s\n", []string{"k1"},
			[]faults.Profile{{Status: 503, Latency: faults.Latency{Min: time.Second, Max: time.Second}}}},
		{"everything but status", "      - key: k1\n        faults: {latency: 10ms, error_rate: 1, rate_limit: 10/s}\n", []string{"k1"},
			[]faults.Profile{{Latency: faults.Latency{Min: 10 * ms, Max: 10 * ms}, ErrorRate: 1, RateLimit: faults.Rate{N: 10, Per: time.Second}}}},
		{"key field without faults", "      - key: k1\n      - k2\n", []string{"k1", "k2"}, nil},
		{"flow style", "      - {key: k1, faults: {status: 500}}\n", []string{"k1"}, []faults.Profile{{Status: 500}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseConfig("t.yaml", []byte(withKeys(tt.keys)))
			require.NoError(t, err)
			require.Len(t, c.Tenants, 1)
			assert.Equal(t, tt.wantKeys, c.Tenants[0].APIKeys)
			assert.Equal(t, tt.want, c.Tenants[0].KeyFaults)
			for j := range tt.wantKeys {
				var want faults.Profile
				if tt.want != nil {
					want = tt.want[j]
				}
				assert.Equal(t, want, c.Tenants[0].KeyProfile(j))
			}
		})
	}
	t.Run("JSON", func(t *testing.T) {
		c, err := ParseConfig("t.json", []byte(`{"tenants":[{"fi_name":"Acme","api_keys":["k",{"key":"s","faults":{"latency":"5ms"}}],"users":3,"as_of":"2025-10-01T00:00:00Z"}]}`))
		require.NoError(t, err)
		assert.Equal(t, []string{"k", "s"}, c.Tenants[0].APIKeys)
		assert.Equal(t, faults.Latency{Min: 5 * ms, Max: 5 * ms}, c.Tenants[0].KeyProfile(1).Latency)
	})
}

func TestBadKeyFaultsNameTheLineTheFieldAndTheFix(t *testing.T) {
	const secret = "acme-secret-key"
	tests := []struct {
		name string
		keys string
		want []string
	}{
		{"bad latency", "      - " + secret + "\n      - key: k2\n        faults: {latency: fast}\n",
			[]string{`t.yaml:7: tenants[0].api_keys[1].faults.latency: "fast": want a duration such as 50ms, or a range such as 20ms-200ms (at most 30s)`}},
		{"reversed latency range", "      - key: k1\n        faults:\n          latency: 2s-1s\n",
			[]string{`t.yaml:7: tenants[0].api_keys[0].faults.latency: "2s-1s": the range's low end is above its high end; write it as 1s-2s`}},
		{"latency too long", "      - key: k1\n        faults: {latency: 1m}\n",
			[]string{`t.yaml:6: tenants[0].api_keys[0].faults.latency: "1m": at most 30s`}},
		{"error rate as a percentage", "      - key: k1\n        faults: {error_rate: 30%}\n",
			[]string{`t.yaml:6: tenants[0].api_keys[0].faults.error_rate: "30%": want a fraction from 0 to 1, such as 0.02 for 2% of requests`}},
		{"error rate above one", "      - key: k1\n        faults: {error_rate: 1.5}\n",
			[]string{`t.yaml:6: tenants[0].api_keys[0].faults.error_rate: "1.5": want a fraction from 0 to 1`}},
		{"bad rate limit", "      - key: k1\n        faults: {rate_limit: 10/day}\n",
			[]string{`t.yaml:6: tenants[0].api_keys[0].faults.rate_limit: "10/day": want requests per key per unit, such as 10/s, 300/m or 1000/h`}},
		{"unsupported status", "      - key: k1\n        faults: {status: 418}\n",
			[]string{"t.yaml:6: tenants[0].api_keys[0].faults.status: want one of 401, 403, 404, 429, 500, 502, 503 or 504 (the statuses Prefer: code=N can ask for), got 418"}},
		{"status zero", "      - key: k1\n        faults: {status: 0}\n",
			[]string{"t.yaml:6: tenants[0].api_keys[0].faults.status: want one of 401"}},
		{"status is text", "      - key: k1\n        faults: {status: down}\n",
			[]string{`t.yaml:6: tenants[0].api_keys[0].faults.status: want a whole number such as 1000, got the text "down"`}},
		{"unknown fault", "      - key: k1\n        faults: {latancy: 1s}\n",
			[]string{"t.yaml:6: tenants[0].api_keys[0].faults.latancy: unknown field (did you mean latency?); the fields here are latency, error_rate, rate_limit, status"}},
		{"status with error rate", "      - key: k1\n        faults: {status: 503, error_rate: 0.5}\n",
			[]string{"t.yaml:6: tenants[0].api_keys[0].faults: status answers every request, so error_rate and rate_limit would never apply"}},
		{"empty faults", "      - key: k1\n        faults: {}\n",
			[]string{"t.yaml:6: tenants[0].api_keys[0].faults: empty: give at least one of latency, error_rate, rate_limit, status, or drop faults"}},
		{"faults is a list", "      - key: k1\n        faults: [latency]\n",
			[]string{"t.yaml:6: tenants[0].api_keys[0].faults: want fields (name: value), got a list"}},
		{"key missing", "      - faults: {latency: 1s}\n",
			[]string{"t.yaml:5: tenants[0].api_keys[0]: required: key:, the key itself, e.g. key: my-key"}},
		{"key given twice", "      - key: " + secret + "\n        key: " + secret + "\n",
			[]string{"t.yaml:6: tenants[0].api_keys[0].key: given twice (first on line 5); keep one"}},
		{"the key written as a field name is not echoed", "      - " + secret + ": {latency: 1s}\n",
			[]string{"t.yaml:5: tenants[0].api_keys[0]: unknown field; the fields of a key with faults are key and faults; " + keyItemHelp}},
		{"a key that is a list", "      - [" + secret + "]\n",
			[]string{"t.yaml:5: tenants[0].api_keys[0]: want a key, got a list"}},
		{"a key that is a mapping", "      - key: {x: " + secret + "}\n",
			[]string{"t.yaml:5: tenants[0].api_keys[0]: key: want the key as a single value, got fields (a mapping)"}},
		{"duplicate key with faults", "      - " + secret + "\n      - key: " + secret + "\n        faults: {latency: 1s}\n",
			[]string{"t.yaml:6: tenants[0].api_keys[1]: this key is also a key of tenants[0] (acme)"}},
		{"empty key with faults", "      - key: \"\"\n        faults: {latency: 1s}\n",
			[]string{"t.yaml:5: tenants[0].api_keys[0]: a key is empty"}},
		{"every problem at once", "      - key: k1\n        faults: {latency: fast, error_rate: 2, status: 999}\n",
			[]string{
				`t.yaml:6: tenants[0].api_keys[0].faults.latency: "fast"`,
				`t.yaml:6: tenants[0].api_keys[0].faults.error_rate: "2"`,
				"t.yaml:6: tenants[0].api_keys[0].faults.status: want one of",
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseConfig("t.yaml", []byte(withKeys(tt.keys)))
			require.Error(t, err)
			fe, ok := errors.AsType[*problem.List](err)
			require.True(t, ok, "a *problem.List: %v", err)
			require.Len(t, fe.Items, len(tt.want), "one problem per want: %v", err)
			for _, w := range tt.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.NotContains(t, err.Error(), secret, "keys are never echoed")
		})
	}
}

func TestKeyFaultsBuiltInCodeAreChecked(t *testing.T) {
	base := func() *Config {
		c, err := ParseConfig("t.yaml", []byte(validTenant))
		require.NoError(t, err)
		return c
	}
	tests := []struct {
		name      string
		keyFaults []faults.Profile
		want      string
	}{
		{"more profiles than keys", []faults.Profile{{}, {ErrorRate: 0.1}}, "t.yaml:4: tenants[0].api_keys: 2 fault profiles for 1 keys"},
		{"error rate out of range", []faults.Profile{{ErrorRate: -0.5}}, "t.yaml:4: tenants[0].api_keys[0].faults.error_rate: want a fraction from 0 to 1"},
		{"negative latency", []faults.Profile{{Latency: faults.Latency{Min: -1, Max: 0}}}, "tenants[0].api_keys[0].faults.latency: want a duration"},
		{"rate without unit", []faults.Profile{{RateLimit: faults.Rate{N: 3}}}, "tenants[0].api_keys[0].faults.rate_limit: want requests per key per unit"},
		{"status and rate limit", []faults.Profile{{Status: 429, RateLimit: faults.Rate{N: 3, Per: time.Second}}}, "tenants[0].api_keys[0].faults: status answers every request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := base()
			c.Tenants[0].KeyFaults = tt.keyFaults
			err := c.Validate()
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
	c := base()
	c.Tenants[0].KeyFaults = []faults.Profile{{Status: 503, Latency: faults.Latency{Min: time.Second, Max: time.Second}}}
	assert.NoError(t, c.Validate())
}

func TestRegistryAttachesProfilesToKeys(t *testing.T) {
	flaky := faults.Profile{ErrorRate: 0.3}
	slow := faults.Profile{Latency: faults.Latency{Min: time.Second, Max: 2 * time.Second}}
	a := &Tenant{Config: TenantConfig{Name: "a", APIKeys: []string{"a-plain", "a-flaky"}, KeyFaults: []faults.Profile{{}, flaky}}}
	b := &Tenant{Config: TenantConfig{Name: "b", APIKeys: []string{"b-slow"}, KeyFaults: []faults.Profile{slow}}}
	c := &Tenant{Config: TenantConfig{Name: "c", APIKeys: []string{"c-plain"}}}
	r := NewRegistry([]*Tenant{a, b, c})
	assert.True(t, r.HasKeyFaults())
	assert.False(t, NewRegistry([]*Tenant{c}).HasKeyFaults())

	tests := []struct {
		key  string
		want Key
	}{
		{"a-plain", Key{Tenant: a, Index: 0, Position: 0}},
		{"a-flaky", Key{Tenant: a, Index: 1, Position: 1, Faults: flaky}},
		{"b-slow", Key{Tenant: b, Index: 2, Position: 0, Faults: slow}},
		{"c-plain", Key{Tenant: c, Index: 3, Position: 0}},
	}
	for _, tt := range tests {
		got, ok := r.LookupKey(tt.key)
		require.True(t, ok, tt.key)
		assert.Equal(t, tt.want, got, tt.key)
		tn, ok := r.Lookup(tt.key)
		require.True(t, ok)
		assert.Same(t, tt.want.Tenant, tn, "LookupKey and Lookup agree")
	}
	for _, k := range []string{"", "a-flak", "a-flakyy", "A-FLAKY"} {
		_, ok := r.LookupKey(k)
		assert.False(t, ok, "%q is not a key", k)
	}
	keys := r.Keys()
	require.Len(t, keys, 4)
	for i, k := range keys {
		assert.Equal(t, i, k.Index)
		assert.Equal(t, tests[i].want, k)
	}
	assert.Equal(t, "a/api_keys[1]", keys[1].Label())
	assert.NotContains(t, keys[1].Label(), "flaky", "a label never holds the key")
}

// BenchmarkLookupKey is the cost the fault layer adds to each request when some key has a
// profile (the built-in config): one digest and a constant-time scan of the registry's keys.
func BenchmarkLookupKey(b *testing.B) {
	a := &Tenant{Config: TenantConfig{Name: "a", APIKeys: []string{"demo-key", "demo-key-slow", "demo-key-flaky"},
		KeyFaults: []faults.Profile{{}, {Latency: faults.Latency{Min: time.Second, Max: time.Second}}, {ErrorRate: 0.3}}}}
	c := &Tenant{Config: TenantConfig{Name: "c", APIKeys: []string{"demo-key-2"}}}
	r := NewRegistry([]*Tenant{a, c})
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := r.LookupKey("demo-key"); !ok {
			b.Fatal("not found")
		}
	}
}
