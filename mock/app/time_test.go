package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/fixtures"
	"github.com/cryptofi/partner-mock/mock/app"
)

// changes counts what happened between two snapshots of one FI.
type changes struct {
	newUsers, newOrders int
	// approved and rejected count accounts pending at the first instant and decided by the
	// second; settled counts orders pending at the first and completed, cancelled or failed by
	// the second.
	approved, rejected, settled int
}

// checkChanges asserts that late is early moved on in time and nothing else, field by field:
// every user and order of early is in late; a user keeps its created_at, its accounts (their
// products, order and values) and its total, and only an account pending in early may change,
// to approved (with kyc_approved_at in (early.at, late.at]) or rejected, or stay pending; an
// order keeps every field but status and completed_at, and only a pending order may change, to
// completed (with completed_at in (early.at, late.at]), cancelled or failed. What did not change
// renders byte for byte as before. Users and orders new in late were created or placed in
// (early.at, late.at].
func checkChanges(t *testing.T, early, late *snapshot) changes {
	t.Helper()
	var c changes
	within := func(at time.Time) bool { return at.After(early.at) && !at.After(late.at) }
	for _, u := range early.users {
		l, ok := late.user[u.ID]
		if !assert.True(t, ok, "user %s of %s is still there at %s", u.ID, early.at, late.at) {
			continue
		}
		assert.Equal(t, u.CreatedAt, l.CreatedAt, "user %s: created_at", u.ID)
		assert.Equal(t, u.Total, l.Total, "user %s: total_current_market_value", u.ID)
		if !assert.Len(t, l.Accounts, len(u.Accounts), "user %s: the same accounts", u.ID) {
			continue
		}
		same := true
		for i, a := range u.Accounts {
			b := l.Accounts[i]
			assert.Equal(t, []string{a.Product, a.Value}, []string{b.Product, b.Value}, "user %s: account %d's product and value", u.ID, i)
			if a.Status != "pending" {
				assert.Equal(t, a, b, "user %s: a %s account stays as it is", u.ID, a.Status)
				continue
			}
			switch b.Status {
			case "pending":
				continue
			case "approved":
				c.approved++
				assert.True(t, within(b.ApprovedAt), "user %s: %s approved at %s, within (%s, %s]", u.ID, a.Product, b.ApprovedAt, early.at, late.at)
			case "rejected":
				c.rejected++
			default:
				assert.Fail(t, "a pending account is decided approved or rejected", "user %s: %s became %s", u.ID, a.Product, b.Status)
			}
			same = false
		}
		if same {
			assert.Equal(t, u.raw, l.raw, "user %s did not change", u.ID)
		}
	}
	for _, u := range late.users {
		if _, ok := early.user[u.ID]; !ok {
			c.newUsers++
			assert.True(t, within(u.CreatedAt), "new user %s created at %s, within (%s, %s]", u.ID, u.CreatedAt, early.at, late.at)
		}
	}
	for _, o := range early.orders {
		l, ok := late.order[o.ID]
		if !assert.True(t, ok, "order %s of %s is still there at %s", o.ID, early.at, late.at) {
			continue
		}
		fixed := func(o *orderRec) []string {
			return []string{o.ID, o.User, o.Product, o.Side, o.Symbol, o.Quantity, o.Notional, o.Fee,
				o.PlacedAt.String(), fmt.Sprint(o.Recurring), o.SeriesID}
		}
		assert.Equal(t, fixed(o), fixed(l), "order %s: every field but status and completed_at stays", o.ID)
		if o.Status != "pending" || l.Status == "pending" {
			assert.Equal(t, o.raw, l.raw, "order %s did not change", o.ID)
			continue
		}
		c.settled++
		if l.Status == "completed" {
			assert.True(t, within(l.CompletedAt), "order %s completed at %s, within (%s, %s]", o.ID, l.CompletedAt, early.at, late.at)
		}
	}
	for _, o := range late.orders {
		if _, ok := early.order[o.ID]; !ok {
			c.newOrders++
			assert.True(t, within(o.PlacedAt), "new order %s placed at %s, within (%s, %s]", o.ID, o.PlacedAt, early.at, late.at)
		}
	}
	return c
}

// TestStateChangesOnlyAsTimeAllows compares each FI's snapshots at consecutive instants of
// instants (before as_of, as_of, inside the horizon, past it): each is the one before moved on
// in time, and nothing else.
func TestStateChangesOnlyAsTimeAllows(t *testing.T) {
	t.Parallel()
	for i := 1; i < len(instants); i++ {
		for _, f := range demoFIs {
			t.Run(instants[i-1].name+"-to-"+instants[i].name+"/"+f.name, func(t *testing.T) {
				t.Parallel()
				early := sharedSnapshot(t, f, instants[i-1].at)
				late := sharedSnapshot(t, f, instants[i].at)
				c := checkChanges(t, early, late)
				assert.Positive(t, c.newUsers, "users sign up")
				assert.Positive(t, c.newOrders, "orders are placed")
				t.Logf("%+v", c)
			})
		}
	}
}

// TestAWeekLater serves T1 and T2 = T1 + 7 days, frozen, and shows on both demo FIs what a
// week does: more users and more orders, an account pending at T1 decided, an order pending at
// T1 settled, and nothing else changed. The week is the one across as_of, from four days
// before it: at as_of itself the Demo Savings Bank (250 users) has no pending order to settle.
func TestAWeekLater(t *testing.T) {
	t.Parallel()
	t1 := asOf.AddDate(0, 0, -4)
	t2 := t1.AddDate(0, 0, 7)
	for _, f := range demoFIs {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			early := sharedSnapshot(t, f, t1)
			late := sharedSnapshot(t, f, t2)
			c := checkChanges(t, early, late)
			assert.Greater(t, len(late.users), len(early.users), "more users a week later")
			assert.Greater(t, len(late.orders), len(early.orders), "more orders a week later")
			assert.Positive(t, c.approved+c.rejected, "an account pending at T1 is approved or rejected at T2")
			assert.Positive(t, c.settled, "an order pending at T1 is completed, cancelled or failed at T2")
		})
	}
}

// TestBackdating serves an instant before as_of and shows the past: fewer users and orders,
// and a user approved by as_of, who existed then, pending with no kyc_approved_at; a completed
// order placed before then, pending with no completed_at.
func TestBackdating(t *testing.T) {
	t.Parallel()
	before := instants[0].at
	for _, f := range demoFIs {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			past := sharedSnapshot(t, f, before)
			now := sharedSnapshot(t, f, asOf)
			assert.Less(t, len(past.users), len(now.users), "fewer users before as_of")
			assert.Less(t, len(past.orders), len(now.orders), "fewer orders before as_of")
			h := sharedApp(t, frozenAt(before)).Handler

			var user, product string
			for _, u := range now.users {
				if _, existed := past.user[u.ID]; !existed {
					continue
				}
				for _, a := range u.Accounts {
					if a.Status == "approved" && a.ApprovedAt.After(before) && user == "" {
						user, product = u.ID, a.Product
					}
				}
			}
			require.NotEmpty(t, user, "a user of %s approved between %s and as_of", f.name, before)
			code, body := get(h, f.key, usersPath+url.PathEscape(user)+"/")
			require.Equal(t, http.StatusOK, code, "%s", body)
			u, err := decodeUser(body)
			require.NoError(t, err)
			a, ok := u.account(product)
			require.True(t, ok)
			assert.Equal(t, "pending", a.Status, "user %s's %s account before its approval: %s", user, product, body)
			assert.False(t, a.approvedKey, "no kyc_approved_at while pending: %s", body)

			// An order that took a while to settle, seen while in flight: at an instant between its
			// placement and its completion, found in the data rather than assumed.
			var order string
			var inFlight time.Time
			for _, o := range now.orders {
				if o.Status == "completed" && o.CompletedAt.Sub(o.PlacedAt) > 2*time.Second {
					order, inFlight = o.ID, o.PlacedAt.Add(o.CompletedAt.Sub(o.PlacedAt)/2)
					break
				}
			}
			require.NotEmpty(t, order, "an order of %s that took more than 2 s to complete", f.name)
			code, body = get(sharedApp(t, frozenAt(inFlight)).Handler, f.key, ordersPath+order+"/")
			require.Equal(t, http.StatusOK, code, "%s", body)
			o, err := decodeOrder(body)
			require.NoError(t, err)
			assert.Equal(t, "pending", o.Status, "order %s at %s, before it completes: %s", order, inFlight, body)
			assert.NotContains(t, o.keys, "completed_at", "no completed_at while pending: %s", body)
		})
	}
}

// creditUnionOnly returns a config of the built-in Demo Credit Union alone, frozen at at: a
// cheaper app for tests that need many instants of one FI.
func creditUnionOnly(t *testing.T, at time.Time) *app.App {
	t.Helper()
	tc, err := app.BuiltinTenants()
	require.NoError(t, err)
	tc.Tenants = tc.Tenants[:1]
	require.Equal(t, demoFIs[0].name, tc.Tenants[0].Name)
	a, err := app.New(app.Config{Tenants: tc, ReadFile: fixtures.FS.ReadFile, Clock: app.Clock{Now: at}})
	require.NoError(t, err)
	return a
}

// TestChangesHappenAtTheirInstant freezes the clock exactly at a change and one microsecond
// before it, for three changes after as_of in Demo Credit Union: a sign-up (the user exists
// from created_at on), a KYC approval (approved, with kyc_approved_at, from that instant on)
// and an order's completion (completed, with completed_at, from that instant on).
func TestChangesHappenAtTheirInstant(t *testing.T) {
	t.Parallel()
	f := demoFIs[0]
	now := sharedSnapshot(t, f, asOf)
	later := sharedSnapshot(t, f, asOf.AddDate(0, 0, 40))
	var signUp *userRec
	var approved, approvedProduct string
	var approval time.Time
	for _, u := range later.users {
		if _, ok := now.user[u.ID]; !ok && signUp == nil {
			signUp = u
		}
		for _, a := range u.Accounts {
			if a.Status == "approved" && a.ApprovedAt.After(asOf) && !u.CreatedAt.Equal(a.ApprovedAt) && approved == "" {
				approved, approvedProduct, approval = u.ID, a.Product, a.ApprovedAt
			}
		}
	}
	var completed *orderRec
	for _, o := range later.orders {
		if o.Status == "completed" && o.CompletedAt.After(asOf) && o.CompletedAt.After(o.PlacedAt) {
			completed = o
			break
		}
	}
	require.NotNil(t, signUp, "a sign-up after as_of")
	require.NotEmpty(t, approved, "an approval after as_of")
	require.NotNil(t, completed, "a completion after as_of")

	// Each change is also looked for with filters the engine answers from its indexes rather
	// than record by record: a one-second time range holding that record alone.
	second := func(at time.Time) (string, string) {
		return at.Format(time.RFC3339Nano), at.Add(time.Second).Format(time.RFC3339Nano)
	}
	alone := func(t *testing.T, at time.Time, times []time.Time) {
		n := 0
		for _, x := range times {
			if !x.Before(at) && x.Before(at.Add(time.Second)) {
				n++
			}
		}
		require.Equal(t, 1, n, "the record is alone in its second")
	}
	var created, placed []time.Time
	for _, u := range later.users {
		created = append(created, u.CreatedAt)
	}
	for _, o := range later.orders {
		placed = append(placed, o.PlacedAt)
	}
	approvedUser := later.user[approved]
	// matched reports how many records the list at path with q holds.
	matched := func(t *testing.T, h http.Handler, path string, q url.Values) int {
		return list(t, h, f.key, path, q).TotalRecords
	}
	tests := []struct {
		name  string
		at    time.Time
		check func(t *testing.T, h http.Handler, exactly bool)
	}{
		{"sign-up of " + signUp.ID, signUp.CreatedAt, func(t *testing.T, h http.Handler, exactly bool) {
			alone(t, signUp.CreatedAt, created)
			from, to := second(signUp.CreatedAt)
			code, body := get(h, f.key, usersPath+url.PathEscape(signUp.ID)+"/")
			byID := matched(t, h, usersPath, url.Values{"user_account_id": {signUp.ID}})
			byTime := matched(t, h, usersPath, url.Values{"created_at_start": {from}, "created_at_end": {to}})
			if exactly {
				require.Equal(t, http.StatusOK, code, "%s", body)
				u, err := decodeUser(body)
				require.NoError(t, err)
				assert.Equal(t, signUp.ID, u.ID, "the user exists from created_at on")
				assert.Equal(t, []int{1, 1}, []int{byID, byTime}, "listed from created_at on, by id and by time")
				return
			}
			assert.Equal(t, http.StatusNotFound, code, "%s", body)
			assert.Equal(t, []int{0, 0}, []int{byID, byTime}, "not listed before created_at, by id or by time")
		}},
		{"approval of " + approved + "'s " + approvedProduct, approval, func(t *testing.T, h http.Handler, exactly bool) {
			alone(t, approvedUser.CreatedAt, created)
			code, body := get(h, f.key, usersPath+url.PathEscape(approved)+"/")
			require.Equal(t, http.StatusOK, code, "%s", body)
			u, err := decodeUser(body)
			require.NoError(t, err)
			a, ok := u.account(approvedProduct)
			require.True(t, ok)
			from, to := second(approvedUser.CreatedAt)
			filter := approvedProduct + "_kyc_status"
			count := func(status string) []int {
				return []int{
					matched(t, h, usersPath, url.Values{"user_account_id": {approved}, filter: {status}}),
					matched(t, h, usersPath, url.Values{"created_at_start": {from}, "created_at_end": {to}, filter: {status}}),
				}
			}
			if exactly {
				assert.Equal(t, "approved", a.Status, "%s", body)
				assert.Equal(t, approval, a.ApprovedAt, "%s", body)
				assert.Equal(t, []int{1, 1}, count("approved"), "%s=approved from the approval on, by id and by time", filter)
				assert.Equal(t, []int{0, 0}, count("pending"), "not %s=pending from the approval on", filter)
				return
			}
			assert.Equal(t, "pending", a.Status, "%s", body)
			assert.False(t, a.approvedKey, "%s", body)
			assert.Equal(t, []int{0, 0}, count("approved"), "not %s=approved before the approval", filter)
			assert.Equal(t, []int{1, 1}, count("pending"), "%s=pending before the approval, by id and by time", filter)
		}},
		{"completion of order " + completed.ID, completed.CompletedAt, func(t *testing.T, h http.Handler, exactly bool) {
			alone(t, completed.PlacedAt, placed)
			code, body := get(h, f.key, ordersPath+completed.ID+"/")
			require.Equal(t, http.StatusOK, code, "%s", body)
			o, err := decodeOrder(body)
			require.NoError(t, err)
			from, to := second(completed.PlacedAt)
			count := func(status string) []int {
				return []int{
					matched(t, h, ordersPath, url.Values{"user_account_id": {completed.User}, "placed_at_start": {from}, "placed_at_end": {to}, "status": {status}}),
					matched(t, h, ordersPath, url.Values{"placed_at_start": {from}, "placed_at_end": {to}, "status": {status}}),
				}
			}
			if exactly {
				assert.Equal(t, completed.raw, o.raw, "completed, with completed_at")
				assert.Equal(t, []int{1, 1}, count("completed"), "status=completed from completed_at on, by user and by time")
				assert.Equal(t, []int{0, 0}, count("pending"), "not status=pending from completed_at on")
				return
			}
			assert.Equal(t, "pending", o.Status, "%s", body)
			assert.NotContains(t, o.keys, "completed_at", "%s", body)
			assert.Equal(t, []int{0, 0}, count("completed"), "not status=completed before completed_at")
			assert.Equal(t, []int{1, 1}, count("pending"), "status=pending before completed_at, by user and by time")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.check(t, creditUnionOnly(t, tt.at).Handler, true)
			tt.check(t, creditUnionOnly(t, tt.at.Add(-time.Microsecond)).Handler, false)
		})
	}
}

// TestLiveClock runs the clock at a day per second from as_of and polls Demo Credit Union for a
// few seconds: the numbers of users and orders never fall and grow, and an order seen pending
// is later seen settled; completed, its completed_at lies between the mock times of the two
// sightings (each bounded by the wall time around its request).
func TestLiveClock(t *testing.T) {
	t.Parallel()
	const speed = 86400
	f := demoFIs[0]
	start := time.Now()
	a, err := app.New(app.Config{Clock: app.Clock{Live: true, Speed: speed, Start: start}})
	require.NoError(t, err)
	mockTime := func(wall time.Time) time.Time {
		return asOf.Add(time.Duration(float64(wall.Sub(start)) * speed))
	}
	total := func(path string) int {
		return list(t, a.Handler, f.key, path, url.Values{"per_page": {"1"}}).TotalRecords
	}
	firstUsers, firstOrders := total(usersPath), total(ordersPath)
	lastUsers, lastOrders := firstUsers, firstOrders
	// pendingSince holds each order seen pending, with the earliest mock time it can have
	// been seen at.
	pendingSince := map[string]time.Time{}
	settled := 0
	deadline := time.Now().Add(6 * time.Second)
	for time.Now().Before(deadline) && (settled == 0 || lastUsers == firstUsers || lastOrders == firstOrders) {
		time.Sleep(100 * time.Millisecond)
		users, orders := total(usersPath), total(ordersPath)
		assert.GreaterOrEqual(t, users, lastUsers, "the number of users never falls")
		assert.GreaterOrEqual(t, orders, lastOrders, "the number of orders never falls")
		lastUsers, lastOrders = users, orders

		for id, since := range pendingSince {
			code, body := get(a.Handler, f.key, ordersPath+id+"/")
			after := time.Now()
			require.Equal(t, http.StatusOK, code, "%s", body)
			o, err := decodeOrder(body)
			require.NoError(t, err)
			if o.Status == "pending" {
				continue
			}
			settled++
			delete(pendingSince, id)
			if o.Status == "completed" {
				assert.True(t, o.CompletedAt.After(since.Add(-time.Second)), "order %s seen pending at %s or later, completed at %s", id, since, o.CompletedAt)
				assert.False(t, o.CompletedAt.After(mockTime(after)), "order %s seen completed by %s, completed at %s", id, mockTime(after), o.CompletedAt)
			}
		}
		before := time.Now()
		var e envelope
		code, body := get(a.Handler, f.key, ordersPath+"?status=pending&per_page=100")
		require.Equal(t, http.StatusOK, code, "%s", body)
		require.NoError(t, json.Unmarshal(body, &e))
		for _, raw := range e.Items {
			o, err := decodeOrder(raw)
			require.NoError(t, err)
			if _, ok := pendingSince[o.ID]; !ok {
				pendingSince[o.ID] = mockTime(before)
			}
		}
	}
	t.Logf("mock time ran %s in %s: users %d to %d, orders %d to %d, %d pending orders settled",
		mockTime(time.Now()).Sub(asOf).Round(time.Hour), time.Since(start).Round(time.Millisecond),
		firstUsers, lastUsers, firstOrders, lastOrders, settled)
	assert.Greater(t, lastUsers, firstUsers, "users sign up while the clock runs")
	assert.Greater(t, lastOrders, firstOrders, "orders are placed while the clock runs")
	assert.Positive(t, settled, "an order seen pending settles while the clock runs")
}
