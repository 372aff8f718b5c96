package app_test

import (
	"fmt"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/mock/app"
)

// TestOrdersPerUserIsTheMeanPlacedByAsOf serves the one tenant of serve's flags (1,000 users)
// with orders_per_user 0, 1, 3 and 10 and counts the orders placed by as_of (the default
// clock). The setting is "the mean number of orders a user has placed by as_of", and the flag's
// help says 0 means none: 0 must give no order, the others a mean within 25% of the setting.
func TestOrdersPerUserIsTheMeanPlacedByAsOf(t *testing.T) {
	t.Parallel()
	const users = 1000
	for _, perUser := range []float64{0, 1, 3, 10} {
		t.Run(fmt.Sprint(perUser), func(t *testing.T) {
			t.Parallel()
			var cfg app.Config
			n := users
			require.NoError(t, app.OneTenant{APIKey: "k", Users: &n, OrdersPerUser: &perUser}.Use(&cfg))
			a, err := app.New(cfg)
			require.NoError(t, err)
			total := list(t, a.Handler, "k", ordersPath, url.Values{"per_page": {"1"}}).TotalRecords
			if perUser == 0 {
				assert.Zero(t, total, "orders_per_user 0: no orders")
				return
			}
			assert.InEpsilon(t, perUser, float64(total)/users, 0.25, "orders_per_user %v: %d orders for %d users", perUser, total, users)
		})
	}
}

// TestDemoOrdersUseEveryEnumValue counts the demo FIs' orders by side and by status, past the
// horizon where every order exists: the generator draws one-off orders as buys and sells that
// complete, are cancelled or fail, so each value of the side and status enums (pending aside,
// which settles) must appear, or the side and status filters can only be seen matching
// nothing.
func TestDemoOrdersUseEveryEnumValue(t *testing.T) {
	t.Parallel()
	count := map[string]int{}
	for _, f := range demoFIs {
		for _, o := range sharedSnapshot(t, f, farInstant).orders {
			count["side="+o.Side]++
			count["status="+o.Status]++
		}
	}
	for _, v := range orderSides {
		assert.Positive(t, count["side="+v], "orders with side %s", v)
	}
	for _, v := range orderStatuses[1:] {
		assert.Positive(t, count["status="+v], "orders with status %s", v)
	}
	t.Logf("%v", count)
}
