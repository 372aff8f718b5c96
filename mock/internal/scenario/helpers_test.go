package scenario_test

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/fixtures"
	"github.com/cryptofi/partner-mock/mock/internal/domain"
	"github.com/cryptofi/partner-mock/mock/internal/problem"
	"github.com/cryptofi/partner-mock/mock/internal/query"
	"github.com/cryptofi/partner-mock/mock/internal/resource"
	"github.com/cryptofi/partner-mock/mock/internal/resource/orders"
	"github.com/cryptofi/partner-mock/mock/internal/resource/users"
	"github.com/cryptofi/partner-mock/mock/internal/scenario"
	"github.com/cryptofi/partner-mock/mock/internal/tenant"
	"github.com/cryptofi/partner-mock/spec"
)

// The collections of a tenant, in the order the tests bind them.
const (
	usersC  = 0
	ordersC = 1
)

// fixture is a built mock's tenants and their editor.
type fixture struct {
	editor  *scenario.Editor
	tenants []*tenant.Tenant
	bound   []*resource.Bound
}

// build builds the tenants of a config (nil: the built-in ones) serving users and orders.
func build(t testing.TB, config string) *fixture {
	t.Helper()
	s, err := spec.LoadEmbedded()
	require.NoError(t, err)
	bound, vocab, problems := resource.BindAll(s, []resource.Resource{users.Resource, orders.Resource})
	require.Empty(t, problems)
	data, read := []byte(config), tenant.ReadFile(nil)
	if config == "" {
		data, err = fixtures.FS.ReadFile(fixtures.TenantsFile)
		require.NoError(t, err)
		read = fixtures.FS.ReadFile
	}
	cfg, err := tenant.ParseConfig("tenants.yaml", data)
	require.NoError(t, err)
	tenants, err := tenant.Build(bound, vocab, cfg, read)
	require.NoError(t, err)
	return &fixture{editor: scenario.New(bound, vocab), tenants: tenants, bound: bound}
}

// find answers a list query of collection c at the tenant's as_of (unless q sets At), every
// match on one page, and returns the total and the ids.
func find(tn *tenant.Tenant, c int, q query.Query) (int, []string) {
	s := tn.Collections[c].Now()
	if q.At == 0 {
		q.At = tn.AsOf()
	}
	if q.Limit == 0 {
		q.Limit = math.MaxInt32
	}
	total, page := s.Find(&q, nil)
	var ids []string
	for _, p := range page {
		ids = append(ids, s.View().Source().ID(p))
	}
	return total, ids
}

// detail returns the API object of the record of collection c with id at the tenant's as_of,
// or "" when the API answers 404.
func detail(tn *tenant.Tenant, c int, id string) string {
	s := tn.Collections[c].Now()
	p, ok := s.Lookup(id, tn.AsOf())
	if !ok {
		return ""
	}
	return string(s.AppendItem(nil, p, tn.AsOf()))
}

// ordersOf returns the ids of the orders of the user with id, whatever their placed_at.
func ordersOf(tn *tenant.Tenant, id string) []string {
	_, ids := find(tn, ordersC, query.Query{At: math.MaxInt64, Groups: []query.Group{{Key: 0, Value: id}}})
	return ids
}

// problemsOf returns the problems of err as "path: msg" lines.
func problemsOf(t *testing.T, err error) []string {
	t.Helper()
	require.Error(t, err)
	l, ok := errors.AsType[*problem.List](err)
	require.True(t, ok, "a *problem.List: %v", err)
	var out []string
	for _, p := range l.Items {
		out = append(out, p.Path+": "+p.Msg)
	}
	return out
}

// anyContains reports whether one of lines contains s.
func anyContains(lines []string, s string) bool {
	for _, l := range lines {
		if strings.Contains(l, s) {
			return true
		}
	}
	return false
}

// userBody returns a user in the pinned format, created at created, with accounts given as
// product:status[:approved_at] words.
func userBody(id, created string, accounts ...string) string {
	var acc []string
	for i, a := range accounts {
		parts := strings.Split(a, ":")
		s := fmt.Sprintf(`{"product":%q,"kyc_status":%q,"current_market_value":"%d.00"`, parts[0], parts[1], 100*(i+1))
		if len(parts) > 2 {
			s += fmt.Sprintf(`,"kyc_approved_at":%q`, strings.Join(parts[2:], ":"))
		}
		acc = append(acc, s+"}")
	}
	idField := ""
	if id != "" {
		idField = fmt.Sprintf(`"user_account_id":%q,`, id)
	}
	return fmt.Sprintf(`{%s"created_at":%q,"accounts":[%s]}`, idField, created, strings.Join(acc, ","))
}

// orderBody returns a completed one-off order in the pinned format.
func orderBody(id, user, product, symbol, placed string) string {
	quantity := "1.000000"
	if product == "crypto" {
		quantity = "0.01000000"
	}
	return fmt.Sprintf(`{"order_id":%q,"user_account_id":%q,"product":%q,"side":"buy","symbol":%q,"quantity":%q,`+
		`"notional":"100.00","fee":"1.00","status":"completed","placed_at":%q,"completed_at":%q,"is_recurring_order":false}`,
		id, user, product, symbol, quantity, placed, placed)
}

// seriesBody returns a completed recurring robo buy of VTI in series.
func seriesBody(id, user, series, placed string) string {
	return fmt.Sprintf(`{"order_id":%q,"user_account_id":%q,"product":"robo","side":"buy","symbol":"VTI","quantity":"0.300000",`+
		`"notional":"100.00","fee":"0.25","status":"completed","placed_at":%q,"completed_at":%q,"is_recurring_order":true,"recurring_order_id":%q}`,
		id, user, placed, placed, series)
}

// dcu returns the built-in Demo Credit Union.
func (f *fixture) dcu() *tenant.Tenant { return f.tenants[0] }

// world returns the tenant's current world.
func world(tn *tenant.Tenant) *domain.World { return tn.World() }

// put puts body with the editor.
func (f *fixture) put(tn *tenant.Tenant, name, id, body string) (scenario.Put, error) {
	return f.editor.Put(tn, name, id, []byte(body))
}
