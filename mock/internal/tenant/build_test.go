package tenant

import (
	"errors"
	"github.com/cryptofi/partner-mock/mock/internal/problem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/fixtures"
	"github.com/cryptofi/partner-mock/mock/internal/engine"
	"github.com/cryptofi/partner-mock/spec"
)

func loadSpec(t testing.TB) *spec.Spec {
	t.Helper()
	s, err := spec.LoadEmbedded()
	require.NoError(t, err)
	return s
}

// writeFiles writes name -> content under a temporary directory and returns it.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	}
	return dir
}

func TestBuildTheBuiltInTenants(t *testing.T) {
	data, err := fixtures.FS.ReadFile(fixtures.TenantsFile)
	require.NoError(t, err)
	cfg, err := ParseConfig("tenants.yaml", data)
	require.NoError(t, err)
	tenants, err := Build(loadSpec(t), cfg, fixtures.FS.ReadFile)
	require.NoError(t, err)
	require.Len(t, tenants, 2)

	dcu := tenants[0]
	assert.Equal(t, 1000, dcu.Index.Len(), "users counts the pinned user")
	assert.Equal(t, 1, dcu.Pinned)
	u, ok := dcu.Index.Get("member-001")
	require.True(t, ok, "the docs' example is pinned")
	assert.Equal(t, "98745.85", u.Total.String())
	_, ok = dcu.Index.Get("member-000999")
	assert.True(t, ok, "999 generated users numbered from 1")
	_, ok = dcu.Index.Get("member-001000")
	assert.False(t, ok)

	assert.Equal(t, 250, tenants[1].Index.Len())
	assert.Regexp(t, `^CIF\d{9}$`, tenants[1].Index.Users(engine.SortUserAccountID)[0].ID)
}

func TestPinnedIDsNeverCollideWithGeneratedOnes(t *testing.T) {
	// member-000002 is an id the template would generate: the generator skips it.
	dir := writeFiles(t, map[string]string{
		"t.yaml": strings.Replace(validTenant, `id_format: "CIF{n:09d}"`, "id_format: \"member-{n:06d}\"\n    users: 10\n    pinned_users: p.yaml", 1),
		"p.yaml": strings.Replace(validPinned, "member-001", "member-000002", 1),
	})
	// validTenant already has users: 5000; drop it so the test's users: 10 is the only one.
	cfgPath := filepath.Join(dir, "t.yaml")
	data, err := os.ReadFile(cfgPath)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(cfgPath, []byte(strings.Replace(string(data), "    users: 5000\n", "", 1)), 0o644))

	cfg, read, err := LoadFile(cfgPath)
	require.NoError(t, err)
	tenants, err := Build(loadSpec(t), cfg, read)
	require.NoError(t, err)
	ix := tenants[0].Index
	require.Equal(t, 10, ix.Len())
	var got []string
	for _, u := range ix.Users(engine.SortUserAccountID) {
		got = append(got, u.ID)
	}
	assert.Equal(t, []string{
		"member-000001", "member-000002", "member-000003", "member-000004", "member-000005",
		"member-000006", "member-000007", "member-000008", "member-000009", "member-000010",
	}, got)
	pinned, ok := ix.Get("member-000002")
	require.True(t, ok)
	assert.Equal(t, "78072.03", pinned.Total.String(), "the pinned user, not a generated one")
}

func TestBuildIsDeterministic(t *testing.T) {
	cfg, err := ParseConfig("t.yaml", []byte(strings.Replace(validTenant, "users: 5000", "users: 20000", 1)))
	require.NoError(t, err)
	a, err := Build(loadSpec(t), cfg, nil)
	require.NoError(t, err)
	b, err := Build(loadSpec(t), cfg, nil)
	require.NoError(t, err)
	assert.Equal(t, a[0].Index.Users(engine.SortCreatedAt), b[0].Index.Users(engine.SortCreatedAt))
}

func TestBuildProblemsNameTheFileTheLineAndTheFix(t *testing.T) {
	tests := []struct {
		name   string
		config string
		pinned string // p.yaml, when set
		want   []string
	}{
		{"pinned file missing", validTenant + "    pinned_users: missing.yaml\n", "",
			[]string{"t.yaml:9: tenants[0].pinned_users: cannot read DIR/missing.yaml: no such file or directory (a relative path is relative to the config file's directory)"}},
		{"fewer users than pinned", strings.Replace(validTenant, "users: 5000", "users: 0", 1) + "    pinned_users: p.yaml\n", validPinned,
			[]string{"t.yaml:6: tenants[0].users: 0 is fewer than the 1 pinned users in DIR/p.yaml; users counts the whole population, pinned users included"}},
		{"bad pinned user", validTenant + "    pinned_users: p.yaml\n", strings.Replace(validPinned, "roth_ira", "gold", 1),
			[]string{"t.yaml:9: tenants[0].pinned_users: DIR/p.yaml has problems:", `DIR/p.yaml:9: users[0].accounts[1].product: "gold" is not a product`}},
		{"pinned user after as_of", validTenant + "    pinned_users: p.yaml\n", strings.Replace(validPinned, "created_at: 2025-08-12T15:40:00Z", "created_at: 2025-12-01T00:00:00Z", 1),
			[]string{"DIR/p.yaml:3: users[0].created_at: 2025-12-01T00:00:00Z is not before the tenant's as_of 2025-10-01T00:00:00Z"}},
		{"bad id_format", strings.Replace(validTenant, "CIF{n:09d}", "CIF{n:9d}", 1), "",
			[]string{`t.yaml:8: tenants[0].id_format: bad placeholder "{n:9d}" at byte 3 of "CIF{n:9d}": want {n} or {n:0Wd}`}},
		{"id_format too small for users", strings.Replace(validTenant, "CIF{n:09d}", "CIF###", 1), "",
			[]string{`t.yaml:8: tenants[0].id_format: "CIF###" holds only 1000 distinct ids (0 of them reserved), too few for 5000 users`}},
		{"problems in two tenants", strings.Replace(validTenant, "CIF{n:09d}", "{x}", 1) +
			strings.Replace(strings.Replace(validTenant, "tenants:\n", "", 1), "acme", "acme2", -1) + "    pinned_users: gone.yaml\n", "",
			[]string{"t.yaml:8: tenants[0].id_format: bad placeholder", "t.yaml:16: tenants[1].pinned_users: cannot read"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{"t.yaml": tt.config}
			if tt.pinned != "" {
				files["p.yaml"] = tt.pinned
			}
			dir := writeFiles(t, files)
			cfg, read, err := LoadFile(filepath.Join(dir, "t.yaml"))
			require.NoError(t, err, "the config itself is valid")
			_, err = Build(loadSpec(t), cfg, read)
			require.Error(t, err)
			var fe *problem.List
			require.True(t, errors.As(err, &fe), "a *problem.List: %v", err)
			msg := strings.ReplaceAll(err.Error(), dir, "DIR")
			for _, w := range tt.want {
				assert.Contains(t, msg, strings.Replace(w, "t.yaml", "DIR/t.yaml", 1))
			}
		})
	}
}

func TestLoadFileThatCannotBeRead(t *testing.T) {
	_, _, err := LoadFile(filepath.Join(t.TempDir(), "nope.yaml"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "nope.yaml: cannot read the config: no such file or directory")
}

func TestRegistryResolvesEachKeyToItsTenant(t *testing.T) {
	cfg, err := ParseConfig("t.yaml", []byte(`tenants:
  - {fi_name: A, api_keys: [a1, a2], users: 3, as_of: 2025-10-01T00:00:00Z}
  - {fi_name: B, api_keys: [b1], users: 4, as_of: 2025-10-01T00:00:00Z}
`))
	require.NoError(t, err)
	tenants, err := Build(loadSpec(t), cfg, nil)
	require.NoError(t, err)
	r := NewRegistry(tenants)
	for key, want := range map[string]string{"a1": "A", "a2": "A", "b1": "B"} {
		got, ok := r.Lookup(key)
		require.True(t, ok, key)
		assert.Equal(t, want, got.Config.FIName, key)
	}
	for _, key := range []string{"", "a", "a1 ", "A1", "b2"} {
		_, ok := r.Lookup(key)
		assert.False(t, ok, "%q", key)
	}
	assert.Equal(t, tenants, r.Tenants())
}

func TestATenantOfZeroUsersBuilds(t *testing.T) {
	cfg, err := ParseConfig("t.yaml", []byte(strings.Replace(validTenant, "users: 5000", "users: 0", 1)))
	require.NoError(t, err)
	tenants, err := Build(loadSpec(t), cfg, nil)
	require.NoError(t, err)
	assert.Equal(t, 0, tenants[0].Index.Len())
	assert.Empty(t, tenants[0].Index.Users(engine.SortCreatedAt))
}
