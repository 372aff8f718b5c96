package app_test

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/mock/app"
	"github.com/cryptofi/partner-mock/mock/internal/gen"
	"github.com/cryptofi/partner-mock/mock/internal/golden"
)

var updateGoldens = flag.Bool("update", false, "rewrite testdata/responses/*.golden (refused unless gen.Version was bumped or the bytes are unchanged)")

// TestGoldenResponses pins the full bytes of a few data responses, users and orders, for the
// built-in tenants and for a tenant from serve's flags, to gen.Version: what a partner's test
// written today sees is what it sees next year, until the version changes.
func TestGoldenResponses(t *testing.T) {
	builtin := serveApp(t, app.Config{})
	var flagsCfg app.Config
	users, seed := 5000, uint64(7)
	require.NoError(t, app.OneTenant{APIKey: "k1", Users: &users, Seed: &seed}.Use(&flagsCfg))
	flags := serveApp(t, flagsCfg)
	tests := []struct {
		name, base, key, path string
	}{
		{"builtin-first-page", builtin, "demo-key", "/v1/users/"},
		{"builtin-oldest-100", builtin, "demo-key", "/v1/users/?sort_order=asc&per_page=100"},
		{"builtin-pinned-user", builtin, "demo-key", "/v1/users/member-001/"},
		{"builtin-generated-user", builtin, "demo-key", "/v1/users/member-000123/"},
		{"builtin-filtered", builtin, "demo-key", "/v1/users/?product=robo&crypto_kyc_status=approved&created_at_start=2025-01-01&per_page=10"},
		{"builtin-second-tenant-by-id", builtin, "demo-key-2", "/v1/users/?sort_key=user_account_id&per_page=20&last_record_number=100"},
		{"builtin-orders-first-page", builtin, "demo-key", "/v1/orders/"},
		{"builtin-orders-of-member-001", builtin, "demo-key", "/v1/orders/?user_account_id=member-001"},
		{"builtin-pinned-order", builtin, "demo-key", "/v1/orders/3f2b8c1e-6a4d-4e9f-8b2a-1c5d7e9f0a11/"},
		{"builtin-orders-filtered", builtin, "demo-key", "/v1/orders/?product=crypto&side=sell&status=completed&placed_at_start=2025-06-01&per_page=10"},
		{"builtin-second-tenant-oldest-orders", builtin, "demo-key-2", "/v1/orders/?sort_order=asc&per_page=20&last_record_number=40"},
		{"flags-k1-5000-seed7-first-page", flags, "k1", "/v1/users/?per_page=50"},
		{"flags-k1-5000-seed7-orders", flags, "k1", "/v1/orders/?per_page=50"},
		{"flags-k1-5000-seed7-user", flags, "k1", "/v1/users/CIF000000123/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest("GET", tt.base+tt.path, nil)
			require.NoError(t, err)
			req.Header.Set("x-api-key", tt.key)
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			require.NoError(t, err)
			status := resp.StatusCode
			require.Equal(t, 200, status, body)
			got := fmt.Appendf(nil, "GET %s (x-api-key: %s)\n%d %s\n%s\n", tt.path, tt.key, status, resp.Header.Get("content-type"), body)
			golden.Check(t, filepath.Join("testdata", "responses", tt.name+".golden"), gen.Version, got, *updateGoldens)
		})
	}
}

// serveApp serves the mock cfg describes on an httptest server and returns its URL.
func serveApp(t *testing.T, cfg app.Config) string {
	t.Helper()
	a, err := app.New(cfg)
	require.NoError(t, err)
	srv := httptest.NewServer(a.Handler)
	t.Cleanup(srv.Close)
	return srv.URL
}
