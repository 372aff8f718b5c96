package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/mock/app"
)

// apiUser is the user object as the API returns it, for comparing CSV rows with list items.
type apiUser struct {
	Accounts []struct {
		Value      string  `json:"current_market_value"`
		ApprovedAt *string `json:"kyc_approved_at,omitempty"`
		Status     string  `json:"kyc_status"`
		Product    string  `json:"product"`
	} `json:"accounts"`
	Total string `json:"total_current_market_value"`
	ID    string `json:"user_account_id"`
}

// dumped is one user of a dump: the API's object (raw bytes for json/ndjson, rebuilt for csv)
// and created_at.
type dumped struct {
	raw       string
	user      apiUser
	createdAt string
}

// inProcess serves the tenants the flags choose, as serve would, on an httptest server.
func inProcess(t *testing.T, src tenantSource) string {
	t.Helper()
	var cfg app.Config
	require.NoError(t, src.apply(&cfg))
	a, err := app.New(cfg)
	require.NoError(t, err)
	srv := httptest.NewServer(a.Handler)
	t.Cleanup(srv.Close)
	return srv.URL
}

// walk returns every list item for key in ascending created_at order (ties by id), page by
// page with the returned cursor, as a partner's paging code would.
func walk(t *testing.T, base, key string) []string {
	t.Helper()
	var items []string
	cursor := 0
	for {
		status, body := fetch(t, fmt.Sprintf("%s/v1/users/?sort_order=asc&per_page=100&last_record_number=%d", base, cursor), key)
		require.Equal(t, 200, status, body)
		var page struct {
			Items []json.RawMessage `json:"items"`
			Last  int               `json:"last_record_number"`
		}
		require.NoError(t, json.Unmarshal([]byte(body), &page))
		if len(page.Items) == 0 {
			return items
		}
		for _, it := range page.Items {
			items = append(items, string(it))
		}
		cursor = page.Last
	}
}

// runDump runs dump with args into a file and returns its bytes.
func runDump(t *testing.T, args ...string) []byte {
	t.Helper()
	out := filepath.Join(t.TempDir(), "dump")
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), append(append([]string{"dump"}, args...), "--out", out), &stdout, &stderr, nil)
	require.Equal(t, 0, code, stderr.String())
	assert.Empty(t, stdout.String(), "with --out, nothing on stdout")
	data, err := os.ReadFile(out)
	require.NoError(t, err)
	info, err := os.Stat(out)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o644), info.Mode().Perm(), "an ordinary output file")
	entries, err := os.ReadDir(filepath.Dir(out))
	require.NoError(t, err)
	assert.Len(t, entries, 1, "no temporary file left behind")
	return data
}

// parseDump reads a dump in format.
func parseDump(t *testing.T, format string, data []byte) []dumped {
	t.Helper()
	var out []dumped
	split := func(raw string) dumped {
		i := strings.LastIndex(raw, `,"created_at":"`)
		require.Positive(t, i, raw)
		require.True(t, strings.HasSuffix(raw, `"}`), raw)
		d := dumped{raw: raw[:i] + "}", createdAt: raw[i+len(`,"created_at":"`) : len(raw)-2]}
		require.NoError(t, json.Unmarshal([]byte(d.raw), &d.user))
		return d
	}
	switch format {
	case "json":
		var doc struct {
			Users []json.RawMessage `json:"users"`
		}
		require.NoError(t, json.Unmarshal(data, &doc))
		for _, u := range doc.Users {
			out = append(out, split(string(u)))
		}
	case "ndjson":
		require.True(t, bytes.HasSuffix(data, []byte("\n")))
		for _, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
			out = append(out, split(line))
		}
	case "csv":
		rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
		require.NoError(t, err)
		require.Equal(t, []string{"user_account_id", "created_at", "total_current_market_value",
			"product", "kyc_status", "kyc_approved_at", "current_market_value"}, rows[0])
		for _, r := range rows[1:] {
			if len(out) == 0 || out[len(out)-1].user.ID != r[0] {
				out = append(out, dumped{user: apiUser{ID: r[0], Total: r[2]}, createdAt: r[1]})
			}
			u := &out[len(out)-1].user
			require.Equal(t, u.Total, r[2], "total repeated on every row of %s", r[0])
			var approved *string
			if r[5] != "" {
				approved = &r[5]
			}
			u.Accounts = append(u.Accounts, struct {
				Value      string  `json:"current_market_value"`
				ApprovedAt *string `json:"kyc_approved_at,omitempty"`
				Status     string  `json:"kyc_status"`
				Product    string  `json:"product"`
			}{Value: r[6], ApprovedAt: approved, Status: r[4], Product: r[3]})
		}
	}
	return out
}

func TestDumpHasExactlyTheUsersTheListEndpointReturns(t *testing.T) {
	tenants := []struct {
		name string
		src  tenantSource
		key  string
		args []string
	}{
		{"one tenant from flags", tenantSource{APIKey: ptr("k1"), Users: ptr(3000), Seed: ptr(uint64(7))}, "k1",
			[]string{"--api-key", "k1", "--users", "3000", "--seed", "7"}},
		{"built-in tenant with a pinned user", tenantSource{}, "demo-key", []string{"--api-key", "demo-key"}},
	}
	for _, tn := range tenants {
		base := inProcess(t, tn.src)
		items := walk(t, base, tn.key)
		for _, format := range []string{"json", "ndjson", "csv"} {
			t.Run(tn.name+"/"+format, func(t *testing.T) {
				users := parseDump(t, format, runDump(t, append(tn.args, "--format", format)...))
				require.Len(t, users, len(items))
				for i, d := range users {
					if format == "csv" {
						var want apiUser
						require.NoError(t, json.Unmarshal([]byte(items[i]), &want))
						require.Equal(t, want, d.user, "user %d", i)
					} else {
						require.Equal(t, items[i], d.raw, "user %d: the API's object, byte for byte", i)
					}
				}
				// created_at is not in the API's object; the created_at filters show the dump's
				// value is the one the mock filters and sorts by.
				for i := 0; i < len(users); i += len(users)/40 + 1 {
					checkCreatedAt(t, base, tn.key, users[i])
				}
				if tn.key == "demo-key" {
					found := false
					for _, d := range users {
						if d.user.ID == "member-001" {
							found = true
							assert.Equal(t, "2025-08-12T15:40:00Z", d.createdAt)
							checkCreatedAt(t, base, tn.key, d)
						}
					}
					assert.True(t, found, "the pinned user is in the dump")
				}
			})
		}
	}
}

// checkCreatedAt asks the mock whether d's user was created exactly at d.createdAt: it matches
// [created_at, created_at+1µs) and not [.., created_at).
func checkCreatedAt(t *testing.T, base, key string, d dumped) {
	t.Helper()
	at, err := time.Parse(time.RFC3339Nano, d.createdAt)
	require.NoError(t, err)
	q := func(start, end time.Time) string {
		_, body := fetch(t, fmt.Sprintf("%s/v1/users/?user_account_id=%s&created_at_start=%s&created_at_end=%s", base,
			url.QueryEscape(d.user.ID), url.QueryEscape(start.Format(time.RFC3339Nano)), url.QueryEscape(end.Format(time.RFC3339Nano))), key)
		return body
	}
	assert.Contains(t, q(at, at.Add(time.Microsecond)), `"total_records":1`, "%s created at %s", d.user.ID, d.createdAt)
	assert.Contains(t, q(at.Add(-time.Hour), at), `"total_records":0`, "%s created at %s", d.user.ID, d.createdAt)
}

func ptr[T any](v T) *T { return &v }

func TestDumpSortsByCreatedAtThenID(t *testing.T) {
	users := parseDump(t, "ndjson", runDump(t, "--api-key", "k1", "--users", "5000", "--seed", "3", "--format", "ndjson"))
	require.Len(t, users, 5000)
	for i := 1; i < len(users); i++ {
		a, b := users[i-1], users[i]
		ta, err := time.Parse(time.RFC3339Nano, a.createdAt)
		require.NoError(t, err)
		tb, err := time.Parse(time.RFC3339Nano, b.createdAt)
		require.NoError(t, err)
		require.True(t, ta.Before(tb) || ta.Equal(tb) && a.user.ID < b.user.ID, "%s (%s) before %s (%s)", a.user.ID, a.createdAt, b.user.ID, b.createdAt)
	}
}

func TestAJSONDumpIsAPinnedUsersFile(t *testing.T) {
	first := runDump(t, "--api-key", "k1", "--users", "400", "--seed", "11", "--format", "json")
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "pinned.json"), first, 0o644))
	config := `tenants:
  - name: copy
    fi_name: Copy
    api_keys: [copy-key]
    seed: 99
    users: 400
    as_of: 2025-10-01T00:00:00Z
    pinned_users: pinned.json
`
	require.NoError(t, os.WriteFile(filepath.Join(dir, "tenants.yaml"), []byte(config), 0o644))
	second := runDump(t, "--config", filepath.Join(dir, "tenants.yaml"))
	assert.Equal(t, string(first), string(second), "a tenant made only of the dump's users dumps the same bytes")
}

func TestDumpToStdoutEqualsDumpToFile(t *testing.T) {
	for _, format := range []string{"json", "ndjson", "csv"} {
		var stdout, stderr bytes.Buffer
		require.Equal(t, 0, run(context.Background(), []string{"dump", "--tenant", "demo-savings-bank", "--format", format}, &stdout, &stderr, nil), stderr.String())
		assert.Equal(t, string(runDump(t, "--tenant", "demo-savings-bank", "--format", format)), stdout.String(), format)
	}
}

func TestDumpOfAnEmptyTenant(t *testing.T) {
	assert.Equal(t, "{\"users\":[]}\n", string(runDump(t, "--api-key", "k", "--users", "0")))
	assert.Empty(t, string(runDump(t, "--api-key", "k", "--users", "0", "--format", "ndjson")))
	assert.Equal(t, "user_account_id,created_at,total_current_market_value,product,kyc_status,kyc_approved_at,current_market_value\n",
		string(runDump(t, "--api-key", "k", "--users", "0", "--format", "csv")))
}

func TestDumpUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no tenant chosen", nil,
			"the built-in demo tenants hold 2 tenants: choose one with --tenant NAME (demo-credit-union, demo-savings-bank) or --api-key KEY"},
		{"unknown tenant", []string{"--tenant", "nope"},
			`--tenant "nope": no such tenant in the built-in demo tenants; the tenants are: demo-credit-union, demo-savings-bank`},
		{"unknown key", []string{"--api-key", "secret-nope"},
			"--api-key: no tenant in the built-in demo tenants has this key; for a tenant served with serve --api-key K --users N --seed S, give dump the same three flags"},
		{"tenant and key", []string{"--tenant", "demo-credit-union", "--api-key", "demo-key"},
			"--tenant and --api-key both choose the tenant: give one"},
		{"tenant and one-tenant flags", []string{"--tenant", "x", "--api-key", "k", "--users", "3"},
			"--tenant chooses among configured tenants; --users/--seed describe one tenant by themselves: drop one"},
		{"unknown format", []string{"--tenant", "demo-credit-union", "--format", "xml"},
			`--format must be one of "json","ndjson","csv" but got "xml"`},
		{"unreadable spec", []string{"--tenant", "demo-credit-union", "--spec", "/nonexistent/openapi.json"},
			"--spec: open /nonexistent/openapi.json: no such file or directory"},
		{"out in a missing directory", []string{"--tenant", "demo-credit-union", "--out", "/nonexistent/dir/users.json"},
			"--out /nonexistent/dir/users.json: open /nonexistent/dir/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), append([]string{"dump"}, tt.args...), &stdout, &stderr, nil)
			assert.Equal(t, 2, code)
			assert.Contains(t, stderr.String(), tt.want)
			assert.NotContains(t, stderr.String(), "secret-nope", "keys are never echoed")
			assert.NotContains(t, stdout.String(), "user_account_id")
		})
	}
}

func TestDumpWithTheSpecFlagHasTheUsersServeServes(t *testing.T) {
	// A document with one more KYC state: the generator draws it too, so the population differs
	// from the built-in document's, and dump must use the same document as serve.
	data, err := os.ReadFile("../../spec/openapi.json")
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(data, &doc))
	kyc := doc["components"].(map[string]any)["schemas"].(map[string]any)["KycStatus"].(map[string]any)
	kyc["enum"] = append(kyc["enum"].([]any), "under_review")
	edited, err := json.Marshal(doc)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "openapi.json")
	require.NoError(t, os.WriteFile(path, edited, 0o644))

	flags := []string{"--api-key", "k1", "--users", "2000", "--seed", "3", "--format", "ndjson"}
	users := parseDump(t, "ndjson", runDump(t, append(flags, "--spec", path)...))
	assert.Contains(t, fmt.Sprint(users), "under_review", "the document's new state is generated")

	cfg := app.Config{SpecData: edited, SpecSource: path}
	require.NoError(t, tenantSource{APIKey: ptr("k1"), Users: ptr(2000), Seed: ptr(uint64(3))}.apply(&cfg))
	a, err := app.New(cfg)
	require.NoError(t, err)
	srv := httptest.NewServer(a.Handler)
	defer srv.Close()
	items := walk(t, srv.URL, "k1")
	require.Len(t, users, len(items))
	for i := range items {
		require.Equal(t, items[i], users[i].raw)
	}
	assert.NotEqual(t, string(runDump(t, flags...)), string(runDump(t, append(flags, "--spec", path)...)),
		"without --spec, the built-in document's population")
}
