package tenant

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/fixtures"
	"github.com/cryptofi/partner-mock/mock/internal/domain"
	"github.com/cryptofi/partner-mock/mock/internal/gen"
	"github.com/cryptofi/partner-mock/mock/internal/problem"
	"github.com/cryptofi/partner-mock/mock/internal/query"
	"github.com/cryptofi/partner-mock/mock/internal/resource"
	"github.com/cryptofi/partner-mock/mock/internal/resource/orders"
	"github.com/cryptofi/partner-mock/mock/internal/resource/users"
	"github.com/cryptofi/partner-mock/spec"
)

func loadSpec(t testing.TB) *spec.Spec {
	t.Helper()
	s, err := spec.LoadEmbedded()
	require.NoError(t, err)
	return s
}

// bindSpec binds the served resources, users then orders, to the reference document, as the mock
// does at start-up, and returns them with the document's enums.
func bindSpec(t testing.TB, rs ...resource.Resource) ([]*resource.Bound, domain.Vocab) {
	t.Helper()
	if rs == nil {
		rs = []resource.Resource{users.Resource, orders.Resource}
	}
	bound, vocab, problems := resource.BindAll(loadSpec(t), rs)
	require.Empty(t, problems)
	return bound, vocab
}

// build builds cfg's tenants with both resources of the reference document.
func build(t testing.TB, cfg *Config, read ReadFile) ([]*Tenant, error) {
	t.Helper()
	bound, vocab := bindSpec(t)
	return Build(bound, vocab, cfg, read)
}

// The collections of a tenant built by build, in the order the resources were bound.
const (
	usersCollection = iota
	ordersCollection
)

// find answers q with c as a list request would: the number of matches and the page.
func find(c *resource.Collection, q query.Query) (int, []int32) {
	if q.Limit == 0 {
		q.Limit = 100
	}
	return c.Now().Find(&q, nil)
}

// builtInTenants builds the built-in tenants.
func builtInTenants(t *testing.T) []*Tenant {
	t.Helper()
	data, err := fixtures.FS.ReadFile(fixtures.TenantsFile)
	require.NoError(t, err)
	cfg, err := ParseConfig("tenants.yaml", data)
	require.NoError(t, err)
	tenants, err := build(t, cfg, fixtures.FS.ReadFile)
	require.NoError(t, err)
	require.Len(t, tenants, 2)
	return tenants
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

// member001 is the docs' example user as the API renders it.
const member001 = `{"accounts":[` +
	`{"current_market_value":"34891.00","kyc_approved_at":"2025-08-14T17:02:31Z","kyc_status":"approved","product":"securities"},` +
	`{"current_market_value":"8223.50","kyc_approved_at":"2025-08-14T17:02:31Z","kyc_status":"approved","product":"robo"},` +
	`{"current_market_value":"12450.32","kyc_approved_at":"2025-09-02T11:18:09Z","kyc_status":"approved","product":"crypto"},` +
	`{"current_market_value":"43181.03","kyc_status":"pending","product":"roth_ira"}],` +
	`"total_current_market_value":"98745.85","user_account_id":"member-001"}`

// member001Orders are the four orders of fixtures/pinned/demo-credit-union-orders.yaml as the API
// renders them at as_of, in the file's order.
var member001Orders = []string{
	`{"order_id":"3f2b8c1e-6a4d-4e9f-8b2a-1c5d7e9f0a11","user_account_id":"member-001","product":"crypto","side":"buy","symbol":"BTC",` +
		`"quantity":"0.00225225","notional":"250.00","fee":"3.73","status":"completed","placed_at":"2025-09-03T14:05:00Z",` +
		`"completed_at":"2025-09-03T14:05:02Z","is_recurring_order":false}`,
	`{"order_id":"9a7c5e3b-1d2f-4a6b-8c9d-0e1f2a3b4c22","user_account_id":"member-001","product":"securities","side":"buy","symbol":"AAPL",` +
		`"quantity":"3.927267","notional":"1000.00","fee":"0.00","status":"pending","placed_at":"2025-09-30T20:45:00Z","is_recurring_order":false}`,
	`{"order_id":"c4e6a8b0-2d4f-4b6a-9c8e-1f3a5b7c9d33","user_account_id":"member-001","product":"robo","side":"buy","symbol":"VTI",` +
		`"quantity":"0.327740","notional":"100.00","fee":"0.25","status":"completed","placed_at":"2025-08-15T14:30:00Z",` +
		`"completed_at":"2025-08-15T20:00:00Z","is_recurring_order":true,"recurring_order_id":"5d8f1a2c-3e4b-4c6d-8e9f-a0b1c2d3e455"}`,
	`{"order_id":"c4e6a8b0-2d4f-4b6a-9c8e-1f3a5b7c9d44","user_account_id":"member-001","product":"robo","side":"buy","symbol":"VTI",` +
		`"quantity":"0.314070","notional":"100.00","fee":"0.25","status":"completed","placed_at":"2025-09-15T14:30:00Z",` +
		`"completed_at":"2025-09-15T20:00:00Z","is_recurring_order":true,"recurring_order_id":"5d8f1a2c-3e4b-4c6d-8e9f-a0b1c2d3e455"}`,
}

func TestBuildTheBuiltInTenants(t *testing.T) {
	tenants := builtInTenants(t)
	dcu := tenants[0]
	w := dcu.World()
	asOf := w.AsOf
	require.Len(t, dcu.Collections, 2, "a collection per bound resource")
	userList, orderList := dcu.Collections[usersCollection], dcu.Collections[ordersCollection]
	assert.Equal(t, len(w.Users), userList.Table().Len())
	assert.Equal(t, w.Orders.Len(), orderList.Table().Len())
	assert.Equal(t, time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC).UnixMicro(), asOf)

	t.Run("users", func(t *testing.T) {
		total, _ := find(userList, query.Query{At: asOf})
		assert.Equal(t, 1000, total, "users counts the pinned user, at as_of")
		assert.Equal(t, 1, w.PinnedUsers)
		assert.Greater(t, len(w.Users), 1000, "the future's users follow")

		p, ok := userList.Now().Lookup("member-001", asOf)
		require.True(t, ok, "the docs' example is pinned")
		assert.Equal(t, int32(len(w.Users)-1), p, "pinned users come last")
		assert.Equal(t, member001, string(users.AppendUser(nil, &w.Users[p], asOf)))

		_, ok = userList.Now().Lookup("member-000999", asOf)
		assert.True(t, ok, "999 generated users numbered from 1 signed up by as_of")
		_, ok = userList.Now().Lookup("member-001000", asOf)
		assert.False(t, ok, "the 1000th generated user signs up after as_of")
		_, ok = userList.Now().Lookup("member-001000", asOf+int64(DefaultFuture/time.Microsecond))
		assert.True(t, ok, "and within the default year of future")
	})

	t.Run("member-001's orders are the four pinned ones", func(t *testing.T) {
		assert.Equal(t, 4, w.PinnedOrders)
		total, page := find(orderList, query.Query{At: asOf, Groups: []query.Group{{Key: 0, Value: "member-001"}}})
		require.Equal(t, 4, total)
		var got []string
		for _, p := range page {
			o := w.Orders.Order(p)
			got = append(got, string(orders.AppendOrder(nil, w, &o, asOf)))
		}
		assert.ElementsMatch(t, member001Orders, got)
		// They are the book's last four, in the file's order.
		for i, want := range member001Orders {
			o := w.Orders.Order(int32(w.Orders.Len() - 4 + i))
			assert.Equal(t, want, string(orders.AppendOrder(nil, w, &o, asOf)))
		}
	})

	t.Run("generated orders belong to generated users", func(t *testing.T) {
		book := w.Orders.Book()
		generated := book.Orders[:len(book.Orders)-w.PinnedOrders]
		require.NotEmpty(t, generated)
		var placedByAsOf int
		for _, o := range generated {
			require.Less(t, int(o.User), len(w.Users)-w.PinnedUsers, "no generated order on a pinned user")
			if o.PlacedAt <= asOf && int(o.User) < 999 {
				placedByAsOf++
			}
		}
		total, _ := find(orderList, query.Query{At: asOf})
		assert.Equal(t, placedByAsOf+4, total, "orders placed by as_of, the pinned ones included")
		t.Logf("%d orders by as_of for 999 generated users (%.2f each), %d in all", placedByAsOf,
			float64(placedByAsOf)/999, len(book.Orders))
	})

	t.Run("the second tenant", func(t *testing.T) {
		dsb := tenants[1]
		total, page := find(dsb.Collections[usersCollection], query.Query{At: dsb.World().AsOf, Ranking: 1, Limit: 1})
		assert.Equal(t, 250, total)
		require.Len(t, page, 1)
		assert.Regexp(t, `^CIF\d{9}$`, dsb.World().Users[page[0]].ID)
		assert.Zero(t, dsb.World().PinnedUsers)
		assert.Zero(t, dsb.World().PinnedOrders)
		assert.Positive(t, dsb.World().Orders.Len())
	})
}

func TestPinnedIDsNeverCollideWithGeneratedOnes(t *testing.T) {
	// member-000002 is an id the template would generate: the generator skips it.
	dir := writeFiles(t, map[string]string{
		"t.yaml": strings.Replace(strings.Replace(validTenant, "    users: 5000\n", "", 1),
			`id_format: "CIF{n:09d}"`, "id_format: \"member-{n:06d}\"\n    users: 10\n    pinned_users: p.yaml", 1),
		"p.yaml": strings.Replace(validPinned, "member-001", "member-000002", 1),
	})
	cfg, read, err := LoadFile(filepath.Join(dir, "t.yaml"))
	require.NoError(t, err)
	tenants, err := build(t, cfg, read)
	require.NoError(t, err)
	w := tenants[0].World()
	asOf := w.AsOf

	var got []string
	for _, u := range w.Users {
		require.NotContains(t, got, u.ID, "ids are unique, the future's included")
		if u.CreatedAt <= asOf {
			got = append(got, u.ID)
		}
	}
	slices.Sort(got)
	assert.Equal(t, []string{
		"member-000001", "member-000002", "member-000003", "member-000004", "member-000005",
		"member-000006", "member-000007", "member-000008", "member-000009", "member-000010",
	}, got)
	p, ok := tenants[0].Collections[usersCollection].Now().Lookup("member-000002", asOf)
	require.True(t, ok)
	assert.Equal(t, "78072.03", w.Users[p].Total.String(), "the pinned user, not a generated one")
}

func TestBuildIsDeterministic(t *testing.T) {
	cfg, err := ParseConfig("t.yaml", []byte(strings.Replace(validTenant, "users: 5000", "users: 20000", 1)))
	require.NoError(t, err)
	a, err := build(t, cfg, nil)
	require.NoError(t, err)
	b, err := build(t, cfg, nil)
	require.NoError(t, err)
	wa, wb := a[0].World(), b[0].World()
	assert.Equal(t, wa.Users, wb.Users)
	assert.Equal(t, wa.Orders, wb.Orders)
	require.Positive(t, wa.Orders.Len())

	// So are the answers: the first page of each list, newest first, at as_of.
	for c := range a[0].Collections {
		q := query.Query{At: wa.AsOf, Desc: true, Limit: 25}
		ta, pa := find(a[0].Collections[c], q)
		tb, pb := find(b[0].Collections[c], q)
		assert.Equal(t, ta, tb)
		assert.Equal(t, pa, pb)
	}
}

func TestBuildPassesFutureAndOrdersPerUser(t *testing.T) {
	build := func(t *testing.T, extra string) *domain.World {
		t.Helper()
		dir := writeFiles(t, map[string]string{
			"t.yaml": validTenant + extra + "    pinned_users: p.yaml\n    pinned_orders: o.yaml\n",
			"p.yaml": orderUsers,
			"o.yaml": validOrders,
		})
		cfg, read, err := LoadFile(filepath.Join(dir, "t.yaml"))
		require.NoError(t, err)
		bound, vocab := bindSpec(t)
		tenants, err := Build(bound, vocab, cfg, read)
		require.NoError(t, err)
		return tenants[0].World()
	}
	// counts counts the generated orders placed by as_of, and those placed after it.
	counts := func(w *domain.World) (byAsOf, after int) {
		for _, o := range w.Orders.Book().Orders[:w.Orders.Len()-w.PinnedOrders] {
			if o.PlacedAt <= w.AsOf {
				byAsOf++
			} else {
				after++
			}
		}
		return byAsOf, after
	}

	def := build(t, "")
	byAsOf, after := counts(def)
	t.Logf("default: %d orders by as_of, %d after", byAsOf, after)
	assert.InDelta(t, float64(gen.DefaultOrdersPerUser)/100, float64(byAsOf)/4998, 0.3, "three orders per user by default")
	assert.Positive(t, after, "a year of future by default")

	t.Run("no future", func(t *testing.T) {
		w := build(t, "    future: 0s\n")
		for _, u := range w.Users {
			require.LessOrEqual(t, u.CreatedAt, w.AsOf)
		}
		assert.Len(t, w.Users, 5000, "4998 generated users and 2 pinned")
		_, after := counts(w)
		assert.Zero(t, after)
	})
	t.Run("36 hours of future", func(t *testing.T) {
		w := build(t, "    future: 36h\n")
		end := w.AsOf + int64(36*time.Hour/time.Microsecond)
		assert.Greater(t, len(w.Users), 5000)
		for _, u := range w.Users {
			require.LessOrEqual(t, u.CreatedAt, end)
		}
		for _, o := range w.Orders.Book().Orders {
			require.Less(t, o.PlacedAt, end)
		}
	})
	t.Run("ten orders per user", func(t *testing.T) {
		byAsOf, _ := counts(build(t, "    orders_per_user: 10\n"))
		assert.InDelta(t, 10.0, float64(byAsOf)/4998, 1)
	})
	t.Run("no orders but the pinned ones", func(t *testing.T) {
		w := build(t, "    orders_per_user: 0\n")
		assert.Equal(t, w.PinnedOrders, w.Orders.Len())
		assert.Equal(t, 5, w.PinnedOrders, "the five of validOrders")
	})
}

func TestBuildWithoutOrders(t *testing.T) {
	// A document without GET /orders/ serves users only: no orders are generated.
	bound, vocab := bindSpec(t, users.Resource, orders.Resource)
	usersOnly, plain := bindSpec(t, users.Resource)
	require.True(t, vocab.Orders)
	require.False(t, plain.Orders)
	cfg, err := ParseConfig("t.yaml", []byte(validTenant))
	require.NoError(t, err)

	tenants, err := Build(usersOnly, plain, cfg, nil)
	require.NoError(t, err)
	require.Len(t, tenants[0].Collections, 1)
	assert.Zero(t, tenants[0].World().Orders.Len())
	withOrders, err := Build(bound, vocab, cfg, nil)
	require.NoError(t, err)
	assert.Equal(t, withOrders[0].World().Users, tenants[0].World().Users, "the users do not depend on orders")
}

func TestBuildProblemsNameTheFileTheLineAndTheFix(t *testing.T) {
	withPinned := validTenant + "    pinned_users: p.yaml\n"
	tests := []struct {
		name     string
		config   string
		pinned   string // p.yaml, when set
		orders   string // o.yaml, when set
		noOrders bool   // serve a document without orders
		want     []string
	}{
		{name: "pinned file missing", config: validTenant + "    pinned_users: missing.yaml\n",
			want: []string{"t.yaml:9: tenants[0].pinned_users: cannot read DIR/missing.yaml: no such file or directory (a relative path is relative to the config file's directory)"}},
		{name: "fewer users than pinned", config: strings.Replace(withPinned, "users: 5000", "users: 0", 1), pinned: validPinned,
			want: []string{"t.yaml:6: tenants[0].users: 0 is fewer than the 1 pinned users in DIR/p.yaml; users counts the whole population, pinned users included"}},
		{name: "bad pinned user", config: withPinned, pinned: strings.Replace(validPinned, "roth_ira", "gold", 1),
			want: []string{"t.yaml:9: tenants[0].pinned_users: DIR/p.yaml has problems:", `DIR/p.yaml:9: users[0].accounts[1].product: "gold" is not a product`}},
		{name: "pinned user after as_of", config: withPinned, pinned: strings.Replace(validPinned, "created_at: 2025-08-12T15:40:00Z", "created_at: 2025-12-01T00:00:00Z", 1),
			want: []string{"DIR/p.yaml:3: users[0].created_at: 2025-12-01T00:00:00Z is not before the tenant's as_of 2025-10-01T00:00:00Z"}},
		{name: "bad id_format", config: strings.Replace(validTenant, "CIF{n:09d}", "CIF{n:9d}", 1),
			want: []string{`t.yaml:8: tenants[0].id_format: bad placeholder "{n:9d}" at byte 3 of "CIF{n:9d}": want {n} or {n:0Wd}`}},
		{name: "id_format too small for users", config: strings.Replace(validTenant, "CIF{n:09d}", "CIF###", 1),
			want: []string{`t.yaml:8: tenants[0].id_format: "CIF###" holds only 1000 distinct ids (0 of them reserved), too few for 5000 users and the 1894 who sign up in the future`}},
		{name: "id_format too small for the future's users", config: strings.Replace(strings.Replace(validTenant, "CIF{n:09d}", "CIF####", 1), "users: 5000", "users: 9000", 1),
			want: []string{`t.yaml:8: tenants[0].id_format: "CIF####" holds only 10000 distinct ids`}},
		{name: "future too long for the users", config: strings.Replace(validTenant, "users: 5000", "users: 10000000", 1) + "    future: 3650d\n",
			want: []string{"t.yaml:9: tenants[0].future: 87600h0m0s past as_of brings 37894045 sign-ups to the 10000000 users, more than the 16777215 users a tenant can hold in all; shorten it"}},
		{name: "problems in two tenants", config: strings.Replace(validTenant, "CIF{n:09d}", "{x}", 1) +
			strings.Replace(strings.Replace(validTenant, "tenants:\n", "", 1), "acme", "acme2", -1) + "    pinned_users: gone.yaml\n",
			want: []string{"t.yaml:8: tenants[0].id_format: bad placeholder", "t.yaml:16: tenants[1].pinned_users: cannot read"}},
		{name: "pinned orders file missing", config: withPinned + "    pinned_orders: gone.yaml\n", pinned: orderUsers,
			want: []string{"t.yaml:10: tenants[0].pinned_orders: cannot read DIR/gone.yaml: no such file or directory"}},
		{name: "bad pinned order", config: withPinned + "    pinned_orders: o.yaml\n", pinned: orderUsers,
			orders: strings.Replace(validOrders, `fee: "3.73"`, `fee: "-3.73"`, 1),
			want:   []string{"t.yaml:10: tenants[0].pinned_orders: DIR/o.yaml has problems:", "DIR/o.yaml:9: orders[0].fee: -3.73 is negative; a fee is 0.00 or more"}},
		{name: "pinned orders without pinned users", config: validTenant + "    pinned_orders: o.yaml\n", orders: validOrders,
			want: []string{`DIR/o.yaml:3: orders[0].user_account_id: "member-001" is not a pinned user of this tenant`}},
		{name: "pinned orders when the document has none", config: withPinned + "    pinned_orders: o.yaml\n", pinned: orderUsers,
			orders: validOrders, noOrders: true,
			want: []string{"t.yaml:10: tenants[0].pinned_orders: the document declares no orders (GET /orders/); remove pinned_orders or serve a document that has them"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{"t.yaml": tt.config}
			if tt.pinned != "" {
				files["p.yaml"] = tt.pinned
			}
			if tt.orders != "" {
				files["o.yaml"] = tt.orders
			}
			dir := writeFiles(t, files)
			cfg, read, err := LoadFile(filepath.Join(dir, "t.yaml"))
			require.NoError(t, err, "the config itself is valid")
			bound, vocab := bindSpec(t)
			if tt.noOrders {
				bound, vocab = bindSpec(t, users.Resource)
			}
			_, err = Build(bound, vocab, cfg, read)
			require.Error(t, err)
			_, ok := errors.AsType[*problem.List](err)
			require.True(t, ok, "a *problem.List: %v", err)
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
	tenants, err := build(t, cfg, nil)
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
	tenants, err := build(t, cfg, nil)
	require.NoError(t, err)
	w := tenants[0].World()
	assert.Empty(t, w.Users, "no users, and so no future ones")
	assert.Zero(t, w.Orders.Len())
	for _, c := range tenants[0].Collections {
		assert.Zero(t, c.Table().Len())
		total, page := find(c, query.Query{At: w.AsOf})
		assert.Zero(t, total)
		assert.Empty(t, page)
	}
}
