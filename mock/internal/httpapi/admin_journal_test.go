package httpapi_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/mock/app"
)

// entry is a journal entry as the admin API answers it.
type entry struct {
	Seq    int
	FI     string
	Method string
	Path   string
	Query  string
	Status int
	Faults map[string]any
}

func requests(t *testing.T, m *adminMock, query string) []entry {
	t.Helper()
	got := m.admin("GET", "/__admin/requests"+query, "")
	require.Equal(t, 200, got.status, got.body)
	var out struct{ Requests []entry }
	got.decode(t, &out)
	return out.Requests
}

func TestAdminJournalListsTheRequestsSent(t *testing.T) {
	m := newAdminMockOf(t, app.Config{Journal: app.NewJournal(100, time.Now)})
	sent := []struct {
		path, key string
		status    int
	}{
		{"/v1/users/?per_page=2", "demo-key", 200},
		{"/v1/users/member-001/", "demo-key", 200},
		{"/v1/orders/?user_account_id=member-001&note=demo-key", "demo-key", 200},
		{"/v1/users/?per_page=0", "demo-key-2", 422},
		{"/v1/users/", "wrong-key-123", 401},
		{"/v1/users/demo-key/", "demo-key", 404},
	}
	for _, s := range sent {
		require.Equal(t, s.status, m.api(s.path, s.key).status, s.path)
	}
	m.admin("GET", "/__admin/fis", "")
	m.do("GET", "/healthz", "", nil)

	got := requests(t, m, "")
	require.Len(t, got, len(sent), "the admin API and /healthz are not recorded")
	want := []entry{
		{Seq: 6, FI: "demo-credit-union", Method: "GET", Path: "/v1/users/[REDACTED]/", Status: 404},
		{Seq: 5, FI: "", Method: "GET", Path: "/v1/users/", Status: 401},
		{Seq: 4, FI: "demo-savings-bank", Method: "GET", Path: "/v1/users/", Query: "per_page=0", Status: 422},
		{Seq: 3, FI: "demo-credit-union", Method: "GET", Path: "/v1/orders/", Query: "user_account_id=member-001&note=[REDACTED]", Status: 200},
		{Seq: 2, FI: "demo-credit-union", Method: "GET", Path: "/v1/users/member-001/", Status: 200},
		{Seq: 1, FI: "demo-credit-union", Method: "GET", Path: "/v1/users/", Query: "per_page=2", Status: 200},
	}
	for i := range got {
		got[i].Faults = nil
	}
	assert.Equal(t, want, got, "newest first, as sent")
	body := m.admin("GET", "/__admin/requests", "").body
	for _, key := range []string{"demo-key", "wrong-key-123"} {
		assert.NotContains(t, body, key, "a key is never recorded")
	}

	t.Run("limit and fi", func(t *testing.T) {
		got := requests(t, m, "?limit=2")
		require.Len(t, got, 2)
		assert.Equal(t, []int{6, 5}, []int{got[0].Seq, got[1].Seq})
		got = requests(t, m, "?fi=demo-savings-bank")
		require.Len(t, got, 1)
		assert.Equal(t, 4, got[0].Seq)
		got = requests(t, m, "?fi=demo-credit-union&limit=1")
		require.Len(t, got, 1)
		assert.Equal(t, 6, got[0].Seq)
	})
	t.Run("bad parameters", func(t *testing.T) {
		got := m.admin("GET", "/__admin/requests?limit=0&fi=nope&colour=red", "")
		assert.Equal(t, 422, got.status)
		assert.Equal(t, []string{
			"colour: unknown query parameter; the parameters are limit and fi",
			`limit: "0": want a whole number of requests, 1 or more`,
			`fi: no FI "nope"; the FIs are demo-credit-union, demo-savings-bank`,
		}, got.problems(t))
		assert.Equal(t, 422, m.admin("GET", "/__admin/requests?limit=ten", "").status)
	})
	t.Run("cleared", func(t *testing.T) {
		got := m.admin("DELETE", "/__admin/requests", "")
		require.Equal(t, 204, got.status)
		assert.Empty(t, requests(t, m, ""))
		m.api("/v1/users/", "demo-key")
		got2 := requests(t, m, "")
		require.Len(t, got2, 1)
		assert.Equal(t, 7, got2[0].Seq, "numbers go on")
	})
}

func TestAdminJournalFaultsAreRecorded(t *testing.T) {
	m := newAdminMockOf(t, app.Config{Journal: app.NewJournal(10, time.Now)})
	got := m.do("GET", "/v1/users/", "", map[string]string{"x-api-key": "demo-key", "Prefer": "code=503"})
	require.Equal(t, 503, got.status)
	list := requests(t, m, "")
	require.Len(t, list, 1)
	assert.Equal(t, 503, list[0].Status)
	assert.Equal(t, map[string]any{"prefer": "code=503"}, list[0].Faults)
}

func TestAdminJournalOff(t *testing.T) {
	m := newAdminMock(t, "")
	for _, method := range []string{"GET", "DELETE"} {
		got := m.admin(method, "/__admin/requests", "")
		assert.Equal(t, 404, got.status)
		assert.Equal(t, []string{": no request journal is kept (--journal-size 0); start with --journal-size N to keep the last N requests"}, got.problems(t))
	}
}
