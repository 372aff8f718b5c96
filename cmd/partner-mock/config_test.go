package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// goodConfig is a valid two-tenant config; the bad-config cases edit it.
const goodConfig = `tenants:
  - name: acme
    fi_name: Acme Credit Union
    api_keys: [acme-key]
    seed: 7
    users: 300
    as_of: 2025-10-01T00:00:00Z
    id_format: "CIF{n:09d}"
    pinned_users: pinned.yaml
  - name: beta
    fi_name: Beta Bank
    api_keys: [beta-key]
    seed: 8
    users: 200
    as_of: 2025-10-01T00:00:00Z
`

const goodPinned = `users:
  - user_account_id: ACME-1
    created_at: 2025-08-12T15:40:00Z
    accounts:
      - {product: crypto, kyc_status: approved, kyc_approved_at: 2025-08-14T17:02:31Z, current_market_value: "12.50"}
  - user_account_id: ACME-2
    created_at: 2025-08-13T15:40:00Z
    accounts:
      - {product: robo, kyc_status: pending, current_market_value: "0.00"}
`

// writeConfig writes tenants.yaml and pinned.yaml into a new directory and returns the config's
// path.
func writeConfig(t *testing.T, config, pinned string) string {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "tenants.yaml"), []byte(config), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "pinned.yaml"), []byte(pinned), 0o644))
	return filepath.Join(dir, "tenants.yaml")
}

func TestAGoodConfigServesItsTenants(t *testing.T) {
	path := writeConfig(t, goodConfig, goodPinned)
	base, stdout, _ := startServe(t, "--config", path)
	assert.Regexp(t, `Acme Credit Union\s+key ac…ey\s+300 users`, stdout.String())
	assert.Regexp(t, `Beta Bank\s+key be…ey\s+200 users`, stdout.String())
	assert.NotContains(t, stdout.String(), "acme-key", "a partner's key is never echoed")
	assert.Contains(t, stdout.String(), `curl -H "x-api-key: $PARTNER_API_KEY" '`+base+`/v1/users/?per_page=2'`)

	status, body := fetch(t, base+"/v1/users/ACME-2/", "acme-key")
	assert.Equal(t, 200, status)
	assert.Equal(t, `{"accounts":[{"current_market_value":"0.00","kyc_status":"pending","product":"robo"}],"total_current_market_value":"0.00","user_account_id":"ACME-2"}`, body)
	status, _ = fetch(t, base+"/v1/users/ACME-2/", "beta-key")
	assert.Equal(t, 404, status, "a key never sees another FI's users")
	status, body = fetch(t, base+"/v1/users/?per_page=1", "beta-key")
	assert.Equal(t, 200, status)
	assert.Contains(t, body, `"total_records":200`)
}

func TestConfigFromTheEnvironment(t *testing.T) {
	t.Setenv("PARTNER_MOCK_CONFIG", writeConfig(t, goodConfig, goodPinned))
	base, _, _ := startServe(t)
	status, _ := fetch(t, base+"/v1/users/ACME-1/", "acme-key")
	assert.Equal(t, 200, status)
	status, _ = fetch(t, base+"/v1/users/", "demo-key")
	assert.Equal(t, 401, status, "the config replaces the built-in tenants")
}

// TestBadConfigNeverHalfStarts runs serve and dump on every kind of bad config: each exits 2
// before listening, with a message naming the file, the field or line, and the fix.
func TestBadConfigNeverHalfStarts(t *testing.T) {
	tests := []struct {
		name   string
		config string // edits of goodConfig: old => new
		pinned string
		args   []string // instead of --config FILE
		want   []string
	}{
		{name: "unknown field", config: "    seed: 7\n=>    sed: 7\n",
			want: []string{"tenants.yaml:5: tenants[0].sed: unknown field (did you mean seed?); the fields here are name, fi_name, api_keys, seed, users, as_of, id_format, pinned_users"}},
		{name: "wrong type", config: "users: 300=>users: lots",
			want: []string{`tenants.yaml:6: tenants[0].users: want a whole number such as 1000, got the text "lots"`}},
		{name: "wrong type for a list", config: "api_keys: [beta-key]=>api_keys: {key: beta-key}",
			want: []string{"tenants.yaml:12: tenants[1].api_keys: want a list"}},
		{name: "duplicate key across tenants", config: "api_keys: [beta-key]=>api_keys: [beta-key, acme-key]",
			want: []string{"tenants.yaml:12: tenants[1].api_keys[1]: this key is also a key of tenants[0] (acme); each key must resolve to exactly one FI"}},
		{name: "duplicate id", pinned: strings.Replace(goodPinned, "ACME-2", "ACME-1", 1),
			want: []string{`pinned.yaml:6: users[1].user_account_id: "ACME-1" is also the id of users[0]; ids must be unique`}},
		{name: "user count below zero", config: "users: 200=>users: -5",
			want: []string{"tenants.yaml:14: tenants[1].users: must be between 0 and 10000000 (pinned users included), got -5"}},
		{name: "user count above the maximum", config: "users: 200=>users: 20000000",
			want: []string{"tenants.yaml:14: tenants[1].users: must be between 0 and 10000000 (pinned users included), got 20000000"}},
		{name: "user count below the pinned users", config: "users: 300=>users: 1",
			want: []string{"tenants.yaml:6: tenants[0].users: 1 is fewer than the 2 pinned users in", "pinned users included"}},
		{name: "unreadable config file", args: []string{"--config", "/nonexistent/tenants.yaml"},
			want: []string{"/nonexistent/tenants.yaml: cannot read the config: no such file or directory"}},
		{name: "config is a directory", args: []string{"--config", os.TempDir()},
			want: []string{os.TempDir() + ": cannot read the config: is a directory"}},
		{name: "unreadable pinned file", config: "pinned_users: pinned.yaml=>pinned_users: gone.yaml",
			want: []string{"tenants.yaml:9: tenants[0].pinned_users: cannot read ",
				"/gone.yaml: no such file or directory (a relative path is relative to the config file's directory)"}},
		{name: "bad pinned user", pinned: strings.Replace(goodPinned, `"12.50"`, `"12.5"`, 1),
			want: []string{`pinned.yaml:5: users[0].accounts[0].current_market_value: money "12.5": want a decimal with exactly two places, like 1234.50`}},
		{name: "not YAML", config: "tenants:\n=>tenants: [\n",
			want: []string{"tenants.yaml:1: not valid YAML: line 1: did not find expected node content"}},
		{name: "bad id_format", config: `"CIF{n:09d}"=>"CIF{id}"`,
			want: []string{`tenants.yaml:8: tenants[0].id_format: bad placeholder "{id}"`}},
		{name: "config and one-tenant flags", args: []string{"--config", "x.yaml", "--api-key", "k1", "--users", "5"},
			want: []string{"--config x.yaml (or PARTNER_MOCK_CONFIG) and --api-key/--users/--seed both choose the tenants"}},
		{name: "users flag out of range", args: []string{"--api-key", "k1", "--users", "10000001"},
			want: []string{"--users 10000001: want 0 to 10000000"}},
		{name: "users flag without a key", args: []string{"--users", "10"},
			want: []string{"--users, --seed and --orders-per-user describe one tenant and need --api-key K"}},
		{name: "empty key flag", args: []string{"--api-key", " ", "--users", "10"},
			want: []string{"--api-key: want a non-empty key"}},
		{name: "seed flag not a number", args: []string{"--api-key", "k1", "--seed", "-3"},
			want: []string{"--seed"}},
	}
	for _, tt := range tests {
		for _, cmd := range []string{"serve", "dump"} {
			t.Run(tt.name+"/"+cmd, func(t *testing.T) {
				args := tt.args
				if args == nil {
					config := goodConfig
					if tt.config != "" {
						old, repl, ok := strings.Cut(tt.config, "=>")
						require.True(t, ok)
						require.Contains(t, config, old)
						config = strings.Replace(config, old, repl, 1)
					}
					pinned := goodPinned
					if tt.pinned != "" {
						pinned = tt.pinned
					}
					args = []string{"--config", writeConfig(t, config, pinned)}
					if cmd == "dump" {
						args = append(args, "--tenant", "acme")
					}
				}
				if cmd == "serve" {
					args = append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)
				} else {
					args = append([]string{"dump"}, args...)
				}
				var stdout, stderr bytes.Buffer
				ready := func(string) { t.Error("serve started listening") }
				code := run(context.Background(), args, &stdout, &stderr, ready)
				assert.Equal(t, 2, code, "exit status; stderr:\n%s", stderr.String())
				for _, w := range tt.want {
					assert.Contains(t, stderr.String(), w)
				}
				// stdout gets at most kong's usage hint: no banner, no users.
				assert.NotContains(t, stdout.String(), "serving", "nothing served")
				assert.NotContains(t, stdout.String(), "user_account_id", "nothing dumped")
				assert.NotContains(t, stderr.String(), "acme-key", "keys are never echoed")
			})
		}
	}
}

// fetch GETs url with the x-api-key header (none when key is empty) and returns the status and
// body.
func fetch(t *testing.T, url, key string) (int, string) {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	require.NoError(t, err)
	if key != "" {
		req.Header.Set("x-api-key", key)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(body)
}

func TestServeOneTenantFromFlags(t *testing.T) {
	base, stdout, stderr := startServe(t, "--api-key", "partner-secret", "--users", "5000", "--seed", "7")
	out := stdout.String()
	assert.Regexp(t, `Partner FI\s+key pa…et\s+5000 users`, out)
	assert.Contains(t, out, `try: curl -H "x-api-key: $PARTNER_API_KEY" '`+base+`/v1/users/?per_page=2'`)
	assert.NotContains(t, out+stderr.String(), "partner-secret", "the key is never echoed")

	status, body := fetch(t, base+"/v1/users/?per_page=1", "partner-secret")
	assert.Equal(t, 200, status)
	assert.Contains(t, body, `"total_records":5000`)
	status, _ = fetch(t, base+"/v1/users/CIF000005000/", "partner-secret")
	assert.Equal(t, 200, status, "ids CIF000000001 to CIF000005000")
	status, _ = fetch(t, base+"/v1/users/", "demo-key")
	assert.Equal(t, 401, status, "the flags replace the built-in tenants")
}

func TestOneTenantFlagDefaults(t *testing.T) {
	base, _, _ := startServe(t, "--api-key", "k")
	_, body := fetch(t, base+"/v1/users/?per_page=1", "k")
	assert.Contains(t, body, `"total_records":1000`, "--users defaults to 1000")
	// --seed defaults to 1: the same users as --seed 1.
	seeded, _, _ := startServe(t, "--api-key", "k", "--seed", "1")
	_, a := fetch(t, base+"/v1/users/?per_page=100", "k")
	_, b := fetch(t, seeded+"/v1/users/?per_page=100", "k")
	assert.Equal(t, a, b)
	// --seed 0 is a seed like any other, not "unset".
	zero, _, _ := startServe(t, "--api-key", "k", "--seed", "0")
	_, c := fetch(t, zero+"/v1/users/?per_page=100", "k")
	assert.NotEqual(t, a, c)
}
