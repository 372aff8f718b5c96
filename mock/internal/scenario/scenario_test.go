package scenario_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/mock/internal/query"
	"github.com/cryptofi/partner-mock/mock/internal/scenario"
)

// The built-in Demo Credit Union's pinned user and orders (fixtures/pinned).
const (
	member001   = "member-001"
	cryptoOrder = "3f2b8c1e-6a4d-4e9f-8b2a-1c5d7e9f0a11"
	roboSeries  = "5d8f1a2c-3e4b-4c6d-8e9f-a0b1c2d3e455"
	roboAug     = "c4e6a8b0-2d4f-4b6a-9c8e-1f3a5b7c9d33"
	roboSep     = "c4e6a8b0-2d4f-4b6a-9c8e-1f3a5b7c9d44"
	newOrder    = "0b0e7f4c-1a2b-4c3d-8e9f-000000000001"
)

// The product columns of the user resource, in the document's order.
const (
	colCrypto     = 0
	colSecurities = 1
)

// statusApproved is the index of approved among the KYC states.
const statusApproved = 2

func TestPutUserIsVisibleToListsFiltersSortAndDetail(t *testing.T) {
	f := build(t, "")
	tn := f.dcu()
	before, _ := find(tn, usersC, query.Query{})
	approvedBefore, _ := find(tn, usersC, query.Query{Conds: []query.Cond{{Column: colCrypto, Value: statusApproved}}})
	approvedLater, _ := find(tn, usersC, query.Query{At: tn.AsOf() + 3600e6, Conds: []query.Cond{{Column: colCrypto, Value: statusApproved}}})
	require.Equal(t, approvedBefore, approvedLater, "no generated decision in that hour: the test's premise")

	put, err := f.put(tn, "users", "zz-new", userBody("", "2025-09-30T23:59:59.999Z", "crypto:approved:2025-10-01T01:00:00Z", "securities:rejected"))
	require.NoError(t, err)
	assert.True(t, put.Created)
	assert.JSONEq(t, `{"accounts":[
		{"current_market_value":"100.00","kyc_approved_at":"2025-10-01T01:00:00Z","kyc_status":"approved","product":"crypto"},
		{"current_market_value":"200.00","kyc_status":"rejected","product":"securities"}],
		"total_current_market_value":"300.00","user_account_id":"zz-new","created_at":"2025-09-30T23:59:59.999Z"}`, string(put.Record),
		"the record as put: each account in its settled state")

	total, ids := find(tn, usersC, query.Query{Desc: true})
	assert.Equal(t, before+1, total, "the total counts it")
	assert.Equal(t, "zz-new", ids[0], "the newest sign-up, first of the default list")
	total, _ = find(tn, usersC, query.Query{Conds: []query.Cond{{Column: colCrypto, Value: statusApproved}}})
	assert.Equal(t, approvedBefore, total, "crypto_kyc_status=approved does not keep it yet")
	total, _ = find(tn, usersC, query.Query{At: tn.AsOf() + 3600e6, Conds: []query.Cond{{Column: colCrypto, Value: statusApproved}}})
	assert.Equal(t, approvedBefore+1, total, "an hour later it does")
	_, ids = find(tn, usersC, query.Query{Conds: []query.Cond{{Column: colSecurities, Value: query.Present}}})
	assert.Contains(t, ids, "zz-new", "product=securities keeps it")
	_, ids = find(tn, usersC, query.Query{Ranking: 1})
	assert.Equal(t, "zz-new", ids[len(ids)-1], "sort_key=user_account_id puts it last")
	_, ids = find(tn, usersC, query.Query{Ranking: 1, Desc: true, Limit: 1})
	assert.Equal(t, []string{"zz-new"}, ids)
	assert.JSONEq(t, `{"accounts":[
		{"current_market_value":"100.00","kyc_status":"pending","product":"crypto"},
		{"current_market_value":"200.00","kyc_status":"rejected","product":"securities"}],
		"total_current_market_value":"300.00","user_account_id":"zz-new"}`, detail(tn, usersC, "zz-new"),
		"at as_of, before its approval, the crypto account is pending")
}

func TestAUserOfTheFutureShowsFromItsCreatedAt(t *testing.T) {
	f := build(t, "")
	tn := f.dcu()
	_, err := f.put(tn, "users", "later", userBody("later", "2025-10-02T00:00:00Z", "crypto:rejected"))
	require.NoError(t, err)
	assert.Empty(t, detail(tn, usersC, "later"), "not yet at as_of")
	_, ids := find(tn, usersC, query.Query{At: tn.AsOf() + 2*86400e6, Desc: true, Limit: 1000})
	assert.Contains(t, ids, "later")
}

func TestReplaceUserKeepsItsOrders(t *testing.T) {
	f := build(t, "")
	tn := f.dcu()
	before, _ := find(tn, usersC, query.Query{})
	orders := ordersOf(tn, member001)
	require.Len(t, orders, 4)

	body := userBody(member001, "2025-08-12T15:40:00Z",
		"securities:approved:2025-08-14T17:02:31Z", "robo:approved:2025-08-14T17:02:31Z", "crypto:approved:2025-09-02T11:18:09Z")
	put, err := f.put(tn, "users", member001, body)
	require.NoError(t, err)
	assert.False(t, put.Created, "replaced")

	total, _ := find(tn, usersC, query.Query{})
	assert.Equal(t, before, total)
	assert.JSONEq(t, `{"accounts":[
		{"current_market_value":"100.00","kyc_approved_at":"2025-08-14T17:02:31Z","kyc_status":"approved","product":"securities"},
		{"current_market_value":"200.00","kyc_approved_at":"2025-08-14T17:02:31Z","kyc_status":"approved","product":"robo"},
		{"current_market_value":"300.00","kyc_approved_at":"2025-09-02T11:18:09Z","kyc_status":"approved","product":"crypto"}],
		"total_current_market_value":"600.00","user_account_id":"member-001"}`, detail(tn, usersC, member001))
	assert.Equal(t, orders, ordersOf(tn, member001), "the user's orders are still its own")
	assert.Contains(t, detail(tn, ordersC, cryptoOrder), `"user_account_id":"member-001"`)
	_, ids := find(tn, usersC, query.Query{Conds: []query.Cond{{Column: 2 /* roth_ira */, Value: query.Present}}})
	assert.NotContains(t, ids, member001, "the roth_ira account is gone")

	// And again: the second replacement replaces a record a change added.
	_, err = f.put(tn, "users", member001, body)
	require.NoError(t, err)
	total, _ = find(tn, usersC, query.Query{})
	assert.Equal(t, before, total)
	assert.Equal(t, orders, ordersOf(tn, member001))
}

func TestReplaceUserThatBreaksItsOrdersIsRefused(t *testing.T) {
	f := build(t, "")
	tn := f.dcu()
	w := world(tn)
	want := detail(tn, usersC, member001)
	tests := []struct {
		name     string
		accounts []string
		want     []string
	}{
		{"crypto turned rejected", []string{"securities:approved:2025-08-14T17:02:31Z", "robo:approved:2025-08-14T17:02:31Z", "crypto:rejected"},
			[]string{"accounts[2].kyc_status: order " + cryptoOrder + " (crypto, placed 2025-09-03T14:05:00Z) is on this user's crypto account, and its crypto account would be rejected, not approved",
				"DELETE /__admin/fis/demo-credit-union/orders/" + cryptoOrder}},
		{"no crypto account", []string{"securities:approved:2025-08-14T17:02:31Z", "robo:approved:2025-08-14T17:02:31Z"},
			[]string{"accounts: order " + cryptoOrder + " (crypto, placed 2025-09-03T14:05:00Z) is on this user's crypto account, and the user would have no crypto account"}},
		{"robo approved after its orders", []string{"securities:approved:2025-08-14T17:02:31Z", "robo:approved:2025-09-01T00:00:00Z", "crypto:approved:2025-09-02T11:18:09Z"},
			[]string{"accounts[1].kyc_approved_at: order " + roboAug, "its robo account would be approved at 2025-09-01T00:00:00Z, after the order was placed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.put(tn, "users", member001, userBody(member001, "2025-08-12T15:40:00Z", tt.accounts...))
			got := problemsOf(t, err)
			for _, w := range tt.want {
				assert.True(t, anyContains(got, w), "%q in %q", w, got)
			}
			assert.Equal(t, want, detail(tn, usersC, member001), "nothing changed")
			assert.Same(t, w, world(tn), "nothing published")
		})
	}
	t.Run("every conflicting order is listed", func(t *testing.T) {
		_, err := f.put(tn, "users", member001, userBody(member001, "2025-08-12T15:40:00Z", "roth_ira:pending"))
		got := problemsOf(t, err)
		assert.Len(t, got, 4, "%q", got)
		for _, id := range ordersOf(tn, member001) {
			assert.True(t, anyContains(got, id), id)
		}
	})
}

func TestDeleteUserDeletesItsOrders(t *testing.T) {
	f := build(t, "")
	tn := f.dcu()
	users, _ := find(tn, usersC, query.Query{})
	orders, _ := find(tn, ordersC, query.Query{})
	require.NoError(t, f.editor.Delete(tn, "users", member001))

	assert.Empty(t, detail(tn, usersC, member001))
	total, _ := find(tn, usersC, query.Query{})
	assert.Equal(t, users-1, total)
	assert.Empty(t, ordersOf(tn, member001))
	total, _ = find(tn, ordersC, query.Query{})
	assert.Equal(t, orders-4, total, "its four orders are gone")
	assert.Empty(t, detail(tn, ordersC, cryptoOrder))

	assert.ErrorIs(t, f.editor.Delete(tn, "users", member001), scenario.ErrNotFound, "a deleted user is not found")
	assert.ErrorIs(t, f.editor.Delete(tn, "users", "nobody"), scenario.ErrNotFound)
	assert.ErrorIs(t, f.editor.Delete(tn, "orders", cryptoOrder), scenario.ErrNotFound, "deleted with its user")
	assert.ErrorIs(t, f.editor.Delete(tn, "orders", "not-a-uuid"), scenario.ErrNotFound)

	// The id is free again: a new user of that id has no orders.
	put, err := f.put(tn, "users", member001, userBody("", "2025-01-01T00:00:00Z", "crypto:approved:2025-01-02T00:00:00Z"))
	require.NoError(t, err)
	assert.True(t, put.Created)
	assert.Empty(t, ordersOf(tn, member001))
}

func TestPutOrderIsVisibleAndObeysTheRules(t *testing.T) {
	f := build(t, "")
	tn := f.dcu()
	before, _ := find(tn, ordersC, query.Query{})

	put, err := f.put(tn, "orders", newOrder, orderBody(newOrder, member001, "crypto", "DOGE", "2025-09-20T10:00:00Z"))
	require.NoError(t, err)
	assert.True(t, put.Created)
	assert.JSONEq(t, `{"order_id":"`+newOrder+`","user_account_id":"member-001","product":"crypto","side":"buy","symbol":"DOGE",
		"quantity":"0.01000000","notional":"100.00","fee":"1.00","status":"completed","placed_at":"2025-09-20T10:00:00Z",
		"completed_at":"2025-09-20T10:00:00Z","is_recurring_order":false}`, string(put.Record))
	total, _ := find(tn, ordersC, query.Query{})
	assert.Equal(t, before+1, total)
	assert.Contains(t, ordersOf(tn, member001), newOrder)
	_, ids := find(tn, ordersC, query.Query{Groups: []query.Group{{Key: 0, Value: member001}}, Conds: []query.Cond{{Column: 0, Value: 0 /* crypto */}}})
	assert.ElementsMatch(t, []string{cryptoOrder, newOrder}, ids)
	assert.Contains(t, detail(tn, ordersC, newOrder), `"symbol":"DOGE"`, "a new symbol joins the vocabulary")

	// Replaced: the same id, another symbol.
	put, err = f.put(tn, "orders", newOrder, orderBody("", member001, "crypto", "BTC", "2025-09-21T10:00:00Z"))
	require.NoError(t, err)
	assert.False(t, put.Created)
	total, _ = find(tn, ordersC, query.Query{})
	assert.Equal(t, before+1, total)
	assert.Contains(t, detail(tn, ordersC, newOrder), `"symbol":"BTC"`)

	require.NoError(t, f.editor.Delete(tn, "orders", newOrder))
	total, _ = find(tn, ordersC, query.Query{})
	assert.Equal(t, before, total)
	assert.Empty(t, detail(tn, ordersC, newOrder))
}

func TestPutOrderForAUserWithoutAnApprovedAccountIsRefused(t *testing.T) {
	f := build(t, "")
	tn := f.dcu()
	_, err := f.put(tn, "users", "rejected-1", userBody("", "2025-01-01T00:00:00Z", "crypto:rejected", "robo:approved:2025-02-01T00:00:00Z"))
	require.NoError(t, err)
	tests := []struct {
		name, body, want string
	}{
		{"a rejected account", orderBody(newOrder, "rejected-1", "crypto", "BTC", "2025-09-01T00:00:00Z"),
			"product: user rejected-1's crypto account is rejected; orders are placed on approved accounts only"},
		{"no account", orderBody(newOrder, "rejected-1", "securities", "AAPL", "2025-09-01T00:00:00Z"),
			"product: user rejected-1 has no securities account"},
		{"before the approval", orderBody(newOrder, "rejected-1", "robo", "VTI", "2025-01-15T00:00:00Z"),
			"placed_at: 2025-01-15T00:00:00Z is before user rejected-1's robo account was approved (2025-02-01T00:00:00Z)"},
		{"an unknown user", orderBody(newOrder, "nobody", "robo", "VTI", "2025-09-01T00:00:00Z"),
			`user_account_id: "nobody" is not a user of this FI`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.put(tn, "orders", newOrder, tt.body)
			assert.True(t, anyContains(problemsOf(t, err), tt.want), "%q", problemsOf(t, err))
			assert.Empty(t, detail(tn, ordersC, newOrder))
		})
	}
}

func TestRecurringSeriesStayRegular(t *testing.T) {
	f := build(t, "")
	tn := f.dcu()
	const oct = "0b0e7f4c-1a2b-4c3d-8e9f-00000000000a"
	t.Run("an order at an irregular instant is refused", func(t *testing.T) {
		_, err := f.put(tn, "orders", oct, seriesBody(oct, member001, roboSeries, "2025-10-20T14:30:00Z"))
		assert.True(t, anyContains(problemsOf(t, err), "placed_at: with this order, series "+roboSeries+" would be placed at 2025-08-15T14:30:00Z, 2025-09-15T14:30:00Z, 2025-10-20T14:30:00Z"))
	})
	const nov = "0b0e7f4c-1a2b-4c3d-8e9f-00000000000b"
	t.Run("the next months' join", func(t *testing.T) {
		_, err := f.put(tn, "orders", oct, seriesBody(oct, member001, roboSeries, "2025-10-15T14:30:00Z"))
		require.NoError(t, err)
		_, err = f.put(tn, "orders", nov, seriesBody(nov, member001, roboSeries, "2025-11-15T14:30:00Z"))
		require.NoError(t, err)
		assert.Contains(t, detail(tn, ordersC, roboSep), roboSeries)
		s := tn.Collections[ordersC].Now()
		p, ok := s.Lookup(nov, tn.AsOf()+60*86400e6)
		require.True(t, ok)
		assert.Contains(t, string(s.AppendItem(nil, p, tn.AsOf()+60*86400e6)), `"recurring_order_id":"`+roboSeries+`"`)
	})
	t.Run("another user's order cannot join", func(t *testing.T) {
		_, err := f.put(tn, "users", "other", userBody("", "2025-01-01T00:00:00Z", "robo:approved:2025-01-02T00:00:00Z"))
		require.NoError(t, err)
		_, err = f.put(tn, "orders", newOrder, seriesBody(newOrder, "other", roboSeries, "2025-12-15T14:30:00Z"))
		assert.True(t, anyContains(problemsOf(t, err), "recurring_order_id: "+roboSeries+" is the series of user member-001's orders"))
	})
	t.Run("another symbol cannot join", func(t *testing.T) {
		body := seriesBody(newOrder, member001, roboSeries, "2025-12-15T14:30:00Z")
		_, err := f.put(tn, "orders", newOrder, strings.Replace(body, `"VTI"`, `"VXUS"`, 1))
		assert.True(t, anyContains(problemsOf(t, err), "series "+roboSeries+" is buy of VTI on robo"))
	})
	t.Run("deleting from the middle is refused", func(t *testing.T) {
		err := f.editor.Delete(tn, "orders", roboSep)
		assert.True(t, anyContains(problemsOf(t, err), "order "+roboSep+" is in recurring series "+roboSeries+", and deleting it would leave the series placed at 2025-08-15T14:30:00Z, 2025-10-15T14:30:00Z, 2025-11-15T14:30:00Z"))
		assert.NotEmpty(t, detail(tn, ordersC, roboSep))
	})
	t.Run("moving an order out of the middle is refused", func(t *testing.T) {
		_, err := f.put(tn, "orders", roboSep, orderBody(roboSep, member001, "robo", "VTI", "2025-09-16T00:00:00Z"))
		assert.True(t, anyContains(problemsOf(t, err), "placing it outside its series would leave"))
	})
	t.Run("deleting from the end, then the middle one is the end", func(t *testing.T) {
		require.NoError(t, f.editor.Delete(tn, "orders", nov))
		require.NoError(t, f.editor.Delete(tn, "orders", oct))
		require.NoError(t, f.editor.Delete(tn, "orders", roboSep))
		assert.Empty(t, detail(tn, ordersC, roboSep))
		assert.NotEmpty(t, detail(tn, ordersC, roboAug))
	})
}

func TestResetGoesBackToTheBuiltRecords(t *testing.T) {
	f := build(t, "")
	tn := f.dcu()
	built := world(tn)
	_, usersBefore := find(tn, usersC, query.Query{})
	_, ordersBefore := find(tn, ordersC, query.Query{})
	memberBefore := detail(tn, usersC, member001)

	_, err := f.put(tn, "users", "zz-new", userBody("", "2025-09-30T00:00:00Z", "crypto:approved:2025-09-30T01:00:00Z"))
	require.NoError(t, err)
	_, err = f.put(tn, "orders", newOrder, orderBody(newOrder, "zz-new", "crypto", "BTC", "2025-09-30T02:00:00Z"))
	require.NoError(t, err)
	require.NoError(t, f.editor.Delete(tn, "users", member001))
	require.Equal(t, 7, world(tn).Changed(), "two users and five orders: member-001 and its four orders deleted")

	f.editor.Reset(tn)
	assert.Same(t, built, world(tn))
	_, ids := find(tn, usersC, query.Query{})
	assert.Equal(t, usersBefore, ids)
	_, ids = find(tn, ordersC, query.Query{})
	assert.Equal(t, ordersBefore, ids)
	assert.Equal(t, memberBefore, detail(tn, usersC, member001))
	assert.Empty(t, detail(tn, usersC, "zz-new"))

	// Changes after a reset start from the built records again.
	_, err = f.put(tn, "users", "zz-other", userBody("", "2025-09-30T00:00:00Z", "crypto:rejected"))
	require.NoError(t, err)
	assert.Empty(t, detail(tn, usersC, "zz-new"))
	assert.NotEmpty(t, detail(tn, usersC, "zz-other"))
	assert.Equal(t, 1, world(tn).Changed())
}

func TestChangesStayInTheirTenant(t *testing.T) {
	f := build(t, "")
	dsb := f.tenants[1]
	_, before := find(dsb, usersC, query.Query{})
	_, err := f.put(f.dcu(), "users", "zz-new", userBody("", "2025-09-30T00:00:00Z", "crypto:rejected"))
	require.NoError(t, err)
	_, after := find(dsb, usersC, query.Query{})
	assert.Equal(t, before, after)
	assert.Empty(t, detail(dsb, usersC, "zz-new"))
}

func TestBadRequests(t *testing.T) {
	f := build(t, "")
	tn := f.dcu()
	_, err := f.put(tn, "users", "x", `{"user_account_id": "x",`)
	assert.ErrorIs(t, err, scenario.ErrMalformed)
	assert.True(t, anyContains(problemsOf(t, err), "not valid JSON at line 1"))

	_, err = f.put(tn, "widgets", "x", `{}`)
	assert.ErrorIs(t, err, scenario.ErrNoResource)
	assert.ErrorContains(t, err, `"widgets": the records that can change are users, orders`)
	assert.ErrorIs(t, f.editor.Delete(tn, "widgets", "x"), scenario.ErrNoResource)

	_, err = f.put(tn, "users", "x", `{"accounts": 5, "created_at": "2025-01-01T00:00:00Z"}`)
	assert.False(t, errors.Is(err, scenario.ErrMalformed))
	assert.Equal(t, []string{"accounts: want an array, got the number 5"}, problemsOf(t, err))
	assert.Equal(t, 0, world(tn).Changed())
}
