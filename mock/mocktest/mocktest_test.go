package mocktest_test

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/mock/app"
	"github.com/cryptofi/partner-mock/mock/mocktest"
)

func TestStartServesForTheTestAndStopsAfterIt(t *testing.T) {
	var url string
	t.Run("a test", func(t *testing.T) {
		srv := mocktest.Start(t)
		url = srv.URL
		assert.True(t, strings.HasPrefix(srv.URL, "http://127.0.0.1:"))
		assert.Equal(t, srv.URL+"/v1", srv.APIURL)
		status, body, err := srv.Get("/users/?per_page=1", "demo-key")
		require.NoError(t, err)
		assert.Equal(t, 200, status)
		assert.Contains(t, string(body), `"total_records":1000`)
		fis, err := srv.FIs()
		require.NoError(t, err)
		require.Len(t, fis, 2)
		assert.Equal(t, "demo-credit-union", fis[0].ID)
		assert.Equal(t, 1000, fis[0].Counts["users"])
	})
	_, err := http.Get(url + "/healthz")
	assert.Error(t, err, "stopped when the test ended")
}

func TestHelpers(t *testing.T) {
	srv := mocktest.Start(t)
	const fi, key = "demo-credit-union", "demo-key"
	approved := time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)
	user := mocktest.User{ID: "u-1", CreatedAt: approved.Add(-time.Hour), Accounts: []mocktest.Account{
		{Product: "robo", KYCStatus: "approved", KYCApprovedAt: &approved, CurrentMarketValue: "10.00"}}}

	created, err := srv.PutUser(fi, user)
	require.NoError(t, err)
	assert.True(t, created)
	created, err = srv.PutUser(fi, user)
	require.NoError(t, err)
	assert.False(t, created, "replaced")

	placed := approved.Add(24 * time.Hour)
	order := mocktest.Order{ID: "00000000-0000-4000-8000-000000000001", UserAccountID: "u-1", Product: "robo", Side: "buy",
		Symbol: "VTI", Quantity: "0.100000", Notional: "30.00", Fee: "0.08", Status: "failed", PlacedAt: placed}
	created, err = srv.PutOrder(fi, order)
	require.NoError(t, err)
	assert.True(t, created)
	status, body, err := srv.Get("/orders/"+order.ID+"/", key)
	require.NoError(t, err)
	assert.Equal(t, 200, status)
	assert.Contains(t, string(body), `"status":"failed"`)

	t.Run("a refusal is an AdminError with every problem", func(t *testing.T) {
		bad := user
		bad.Accounts = []mocktest.Account{{Product: "robo", KYCStatus: "rejected", CurrentMarketValue: "1"}}
		_, err := srv.PutUser(fi, bad)
		var ae *mocktest.AdminError
		require.True(t, errors.As(err, &ae), "%v", err)
		assert.Equal(t, 422, ae.Status)
		assert.Equal(t, []mocktest.Problem{
			{Path: "accounts[0].current_market_value", Msg: `money "1": want a decimal with exactly two places, like 1234.50`},
		}, ae.Problems)
		_, err = srv.PutUser("nope", user)
		require.True(t, errors.As(err, &ae))
		assert.Equal(t, 404, ae.Status)
		_, err = srv.PutUser(fi, mocktest.User{})
		assert.EqualError(t, err, "PutUser: the user needs an ID")
	})

	require.NoError(t, srv.DeleteOrder(fi, order.ID))
	status, _, _ = srv.Get("/orders/"+order.ID+"/", key)
	assert.Equal(t, 404, status)
	require.NoError(t, srv.DeleteUser(fi, "u-1"))
	var ae *mocktest.AdminError
	require.True(t, errors.As(srv.DeleteUser(fi, "u-1"), &ae))
	assert.Equal(t, 404, ae.Status)

	t.Run("clock", func(t *testing.T) {
		c, err := srv.AdvanceClock(36 * time.Hour)
		require.NoError(t, err)
		assert.Equal(t, "frozen", c.Mode)
		assert.Equal(t, time.Date(2025, 10, 2, 12, 0, 0, 0, time.UTC), c.Now(fi))
		c, err = srv.SetClock(time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC))
		require.NoError(t, err)
		assert.Equal(t, time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC), c.Now("demo-savings-bank"))
		c, err = srv.RunClock(60)
		require.NoError(t, err)
		assert.Equal(t, "live", c.Mode)
		assert.Equal(t, 60.0, c.Speed)
		c, err = srv.FreezeClock()
		require.NoError(t, err)
		assert.Equal(t, "frozen", c.Mode)
		assert.False(t, c.Now(fi).Before(time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)), "frozen where the live clock got to")
	})

	t.Run("requests", func(t *testing.T) {
		require.NoError(t, srv.ClearRequests())
		_, _, _ = srv.Get("/users/?per_page=3", key)
		_, _, _ = srv.Get("/users/?per_page=4", "demo-key-2")
		all, err := srv.Requests(0, "")
		require.NoError(t, err)
		require.Len(t, all, 2)
		assert.Equal(t, "per_page=4", all[0].Query, "newest first")
		assert.Equal(t, "demo-savings-bank", all[0].FI)
		mine, err := srv.Requests(5, fi)
		require.NoError(t, err)
		require.Len(t, mine, 1)
		assert.Equal(t, mocktest.Request{Seq: mine[0].Seq, Time: mine[0].Time, FI: fi, Method: "GET", Path: "/v1/users/", Query: "per_page=3",
			Status: 200, DurationMS: mine[0].DurationMS, Faults: map[string]any{}}, mine[0])
	})

	t.Run("reset", func(t *testing.T) {
		_, err := srv.PutUser(fi, user)
		require.NoError(t, err)
		require.NoError(t, srv.Reset(fi))
		fis, err := srv.FIs()
		require.NoError(t, err)
		assert.Zero(t, fis[0].Changes)
	})
}

func TestOptions(t *testing.T) {
	t.Run("tenants from YAML, with pinned files from a directory", func(t *testing.T) {
		dir := t.TempDir()
		require.NoError(t, os.WriteFile(filepath.Join(dir, "p.yaml"), []byte("users:\n  - {user_account_id: pin-1, created_at: 2025-01-01T00:00:00Z, accounts: [{product: crypto, kyc_status: not_started, current_market_value: \"0.00\"}]}\n"), 0o644))
		srv := mocktest.Start(t, mocktest.WithTenants("tenants:\n  - {name: acme, fi_name: Acme, api_keys: [acme-key], users: 20, as_of: 2025-10-01T00:00:00Z, pinned_users: p.yaml}\n", dir))
		status, body, err := srv.Get("/users/pin-1/", "acme-key")
		require.NoError(t, err)
		assert.Equal(t, 200, status, string(body))
		fis, err := srv.FIs()
		require.NoError(t, err)
		assert.Equal(t, "acme", fis[0].ID)
		assert.Equal(t, "ac…ey", fis[0].Keys[0].Key)
	})
	t.Run("a tenants file", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "t.yaml")
		require.NoError(t, os.WriteFile(path, []byte("clock:\n  now: 2025-10-05T00:00:00Z\ntenants:\n  - {name: b, fi_name: B, api_keys: [b-key], users: 5, as_of: 2025-10-01T00:00:00Z}\n"), 0o644))
		srv := mocktest.Start(t, mocktest.WithTenantsFile(path))
		fis, err := srv.FIs()
		require.NoError(t, err)
		assert.Equal(t, time.Date(2025, 10, 5, 0, 0, 0, 0, time.UTC), fis[0].Now)
	})
	t.Run("clock", func(t *testing.T) {
		srv := mocktest.Start(t, mocktest.WithClock(app.Clock{Now: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)}))
		fis, err := srv.FIs()
		require.NoError(t, err)
		assert.Equal(t, time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), fis[1].Now)
	})
	t.Run("chaos", func(t *testing.T) {
		srv := mocktest.Start(t, mocktest.WithChaos(mocktest.Chaos{ErrorRate: "1"}))
		status, _, err := srv.Get("/users/", "demo-key")
		require.NoError(t, err)
		assert.Equal(t, 503, status)
		list, err := srv.Requests(1, "")
		require.NoError(t, err)
		assert.Equal(t, "chaos", list[0].Faults["error"])
	})
	t.Run("strict", func(t *testing.T) {
		srv := mocktest.Start(t, mocktest.WithStrict())
		req, err := http.NewRequest("GET", srv.APIURL+"/users/?per_page=1", nil)
		require.NoError(t, err)
		req.Header.Set("x-api-key", "demo-key")
		req.Header.Set("Prefer", "code=503")
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, 200, resp.StatusCode, "Prefer is ignored")
	})
	t.Run("admin token", func(t *testing.T) {
		srv := mocktest.Start(t, mocktest.WithAdminToken("my-admin-token"))
		req, err := http.NewRequest("GET", srv.URL+"/__admin/fis", nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer my-admin-token")
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, 200, resp.StatusCode)
	})
	t.Run("no journal", func(t *testing.T) {
		srv := mocktest.Start(t, mocktest.WithJournalSize(0))
		_, err := srv.Requests(0, "")
		var ae *mocktest.AdminError
		require.True(t, errors.As(err, &ae))
		assert.Equal(t, 404, ae.Status)
	})
	t.Run("bad options are errors", func(t *testing.T) {
		for _, opt := range []mocktest.Option{
			mocktest.WithAdminToken("short"),
			mocktest.WithJournalSize(-1),
			mocktest.WithTenants("tenants: []\n", ""),
			mocktest.WithTenantsFile(filepath.Join(t.TempDir(), "missing.yaml")),
			mocktest.WithChaos(mocktest.Chaos{ErrorRate: "2"}),
		} {
			srv, err := mocktest.New(opt)
			assert.Error(t, err)
			assert.Nil(t, srv)
		}
	})
}

func TestMocksRunSideBySide(t *testing.T) {
	var wg sync.WaitGroup
	for i := range 3 {
		wg.Go(func() {
			srv, err := mocktest.New()
			if !assert.NoError(t, err) {
				return
			}
			defer srv.Close()
			id := "parallel-user"
			approved := time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)
			_, err = srv.PutUser("demo-savings-bank", mocktest.User{ID: id, CreatedAt: approved, Accounts: []mocktest.Account{
				{Product: "crypto", KYCStatus: "approved", KYCApprovedAt: &approved, CurrentMarketValue: "1.00"}}})
			assert.NoError(t, err, "mock %d", i)
			status, _, err := srv.Get("/users/"+id+"/", "demo-key-2")
			assert.NoError(t, err)
			assert.Equal(t, 200, status)
		})
	}
	wg.Wait()
}
