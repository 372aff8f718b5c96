package tenant

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/fixtures"
	"github.com/cryptofi/partner-mock/mock/internal/domain"
	"github.com/cryptofi/partner-mock/mock/internal/problem"
	"github.com/cryptofi/partner-mock/mock/internal/query"
	"github.com/cryptofi/partner-mock/mock/internal/resource"
	"github.com/cryptofi/partner-mock/mock/internal/resource/orders"
)

// orderUsers are the pinned users the pinned-orders tests place orders for: the docs' member-001
// (securities and robo approved 2025-08-14T17:02:31Z, crypto 2025-09-02T11:18:09Z, roth_ira
// pending) and member-002 (crypto and robo approved 2025-01-02).
const orderUsers = `users:
  - user_account_id: member-001
    created_at: 2025-08-12T15:40:00Z
    accounts:
      - product: securities
        kyc_status: approved
        kyc_approved_at: 2025-08-14T17:02:31Z
        current_market_value: "34891.00"
      - product: robo
        kyc_status: approved
        kyc_approved_at: 2025-08-14T17:02:31Z
        current_market_value: "8223.50"
      - product: crypto
        kyc_status: approved
        kyc_approved_at: 2025-09-02T11:18:09Z
        current_market_value: "12450.32"
      - product: roth_ira
        kyc_status: pending
        current_market_value: "43181.03"
  - user_account_id: member-002
    created_at: 2025-01-01T09:00:00Z
    accounts:
      - product: crypto
        kyc_status: approved
        kyc_approved_at: 2025-01-02T00:00:00Z
        current_market_value: "100.00"
      - product: robo
        kyc_status: approved
        kyc_approved_at: 2025-01-02T00:00:00Z
        current_market_value: "500.00"
`

// validOrders is a pinned-orders file of orderUsers that passes; tests edit it into bad ones.
// It holds a completed crypto buy (lines 2-13), a pending securities sell (14-24) and a weekly
// robo series of three (25-62), the second of which failed.
const validOrders = `orders:
  - order_id: 3f2b8c1e-6a4d-4e9f-8b2a-1c5d7e9f0a11
    user_account_id: member-001
    product: crypto
    side: buy
    symbol: BTC
    quantity: "0.00225225"
    notional: "250.00"
    fee: "3.73"
    status: completed
    placed_at: 2025-09-03T14:05:00Z
    completed_at: 2025-09-03T14:05:02Z
    is_recurring_order: false
  - order_id: 9a7c5e3b-1d2f-4a6b-8c9d-0e1f2a3b4c22
    user_account_id: member-001
    product: securities
    side: sell
    symbol: AAPL
    quantity: "3.927267"
    notional: "1000.00"
    fee: "0.00"
    status: pending
    placed_at: 2025-09-30T20:45:00Z
    is_recurring_order: false
  - order_id: c4e6a8b0-2d4f-4b6a-9c8e-1f3a5b7c9d33
    user_account_id: member-001
    product: robo
    side: buy
    symbol: VTI
    quantity: "0.327740"
    notional: "100.00"
    fee: "0.25"
    status: completed
    placed_at: 2025-08-15T14:30:00Z
    completed_at: 2025-08-15T20:00:00Z
    is_recurring_order: true
    recurring_order_id: 5d8f1a2c-3e4b-4c6d-8e9f-a0b1c2d3e455
  - order_id: c4e6a8b0-2d4f-4b6a-9c8e-1f3a5b7c9d44
    user_account_id: member-001
    product: robo
    side: buy
    symbol: VTI
    quantity: "0.314070"
    notional: "100.00"
    fee: "0.25"
    status: failed
    placed_at: 2025-08-22T14:30:00Z
    is_recurring_order: true
    recurring_order_id: 5d8f1a2c-3e4b-4c6d-8e9f-a0b1c2d3e455
  - order_id: c4e6a8b0-2d4f-4b6a-9c8e-1f3a5b7c9d55
    user_account_id: member-001
    product: robo
    side: buy
    symbol: VTI
    quantity: "0.320000"
    notional: "100.00"
    fee: "0.25"
    status: completed
    placed_at: 2025-08-29T14:30:00Z
    completed_at: 2025-08-29T20:00:00Z
    is_recurring_order: true
    recurring_order_id: 5d8f1a2c-3e4b-4c6d-8e9f-a0b1c2d3e455
`

// parseOrderUsers parses orderUsers.
func parseOrderUsers(t *testing.T) []domain.User {
	t.Helper()
	users, err := rules.Parse("p.yaml", []byte(orderUsers))
	require.NoError(t, err)
	require.Len(t, users, 2)
	return users
}

// instant returns the Unix microseconds of an RFC 3339 instant.
func instant(t *testing.T, s string) int64 {
	t.Helper()
	ts, err := time.Parse(time.RFC3339, s)
	require.NoError(t, err)
	return ts.UnixMicro()
}

func TestValidPinnedOrdersParse(t *testing.T) {
	users := parseOrderUsers(t)
	got, err := rules.ParseOrders("o.yaml", []byte(validOrders), users)
	require.NoError(t, err)
	require.Len(t, got, 5)
	series, ok := domain.ParseUUID("5d8f1a2c-3e4b-4c6d-8e9f-a0b1c2d3e455")
	require.True(t, ok)
	id, ok := domain.ParseUUID("3f2b8c1e-6a4d-4e9f-8b2a-1c5d7e9f0a11")
	require.True(t, ok)
	assert.Equal(t, PinnedOrder{
		ID: id, User: 0, Product: "crypto", Side: "buy", Symbol: "BTC", Quantity: 225225, Notional: 25000, Fee: 373,
		Status: "completed", PlacedAt: instant(t, "2025-09-03T14:05:00Z"), CompletedAt: instant(t, "2025-09-03T14:05:02Z"),
	}, got[0])
	assert.Equal(t, int64(3927267), got[1].Quantity, "six places for securities")
	assert.Zero(t, got[1].CompletedAt, "only completed orders complete")
	assert.Nil(t, got[1].Series)
	for _, o := range got[2:] {
		require.NotNil(t, o.Series)
		assert.Equal(t, series, *o.Series)
	}
	assert.Zero(t, got[3].CompletedAt, "the failed buy")
}

// replace returns an edit of a file that replaces the first old with new.
func replace(old, new string) func(string) string {
	return func(s string) string { return strings.Replace(s, old, new, 1) }
}

func TestPinnedOrderForms(t *testing.T) {
	tests := []struct {
		name  string
		old   string // must be in validOrders
		edit  func(string) string
		check func(t *testing.T, orders []PinnedOrder)
	}{
		{name: "placed the second the account was approved",
			old: "placed_at: 2025-09-03T14:05:00Z", edit: replace("placed_at: 2025-09-03T14:05:00Z", "placed_at: 2025-09-02T11:18:09Z"),
			check: func(t *testing.T, orders []PinnedOrder) {
				assert.Equal(t, instant(t, "2025-09-02T11:18:09Z"), orders[0].PlacedAt)
			}},
		{name: "completed the second it was placed",
			old: "completed_at: 2025-09-03T14:05:02Z", edit: replace("completed_at: 2025-09-03T14:05:02Z", "completed_at: 2025-09-03T14:05:00Z"),
			check: func(t *testing.T, orders []PinnedOrder) { assert.Equal(t, orders[0].PlacedAt, orders[0].CompletedAt) }},
		{name: "completed at as_of",
			old: "completed_at: 2025-09-03T14:05:02Z", edit: replace("completed_at: 2025-09-03T14:05:02Z", "completed_at: 2025-10-01T00:00:00Z"),
			check: func(t *testing.T, orders []PinnedOrder) {
				assert.Equal(t, rules.AsOf.UnixMicro(), orders[0].CompletedAt)
			}},
		{name: "cancelled, without completed_at",
			old: "    status: completed\n    placed_at: 2025-09-03T14:05:00Z\n    completed_at: 2025-09-03T14:05:02Z\n",
			edit: replace("    status: completed\n    placed_at: 2025-09-03T14:05:00Z\n    completed_at: 2025-09-03T14:05:02Z\n",
				"    status: cancelled\n    placed_at: 2025-09-03T14:05:00Z\n"),
			check: func(t *testing.T, orders []PinnedOrder) {
				assert.Equal(t, domain.OrderStatus("cancelled"), orders[0].Status)
				assert.Zero(t, orders[0].CompletedAt)
			}},
		{name: "is_recurring_order left out of a one-off order",
			old: "    is_recurring_order: false\n  - order_id: 9a7c", edit: replace("    is_recurring_order: false\n  - order_id: 9a7c", "  - order_id: 9a7c"),
			check: func(t *testing.T, orders []PinnedOrder) { assert.Nil(t, orders[0].Series) }},
		{name: "a monthly series of three, the same day and time of each month", old: "2025-08-29", edit: monthlySeries,
			check: func(t *testing.T, orders []PinnedOrder) {
				for _, o := range orders[2:] {
					assert.Equal(t, 1, o.User, "member-002's")
				}
				assert.Equal(t, instant(t, "2025-03-15T14:30:00Z"), orders[4].PlacedAt)
			}},
		{name: "a series listed out of time order",
			old:  "placed_at: 2025-08-15T14:30:00Z\n    completed_at: 2025-08-15T20:00:00Z",
			edit: replace("placed_at: 2025-08-15T14:30:00Z\n    completed_at: 2025-08-15T20:00:00Z", "placed_at: 2025-09-05T14:30:00Z\n    completed_at: 2025-09-05T20:00:00Z"),
			check: func(t *testing.T, orders []PinnedOrder) {
				assert.Equal(t, instant(t, "2025-09-05T14:30:00Z"), orders[2].PlacedAt)
			}},
		{name: "a series of two at any interval", old: "  - order_id: c4e6a8b0-2d4f-4b6a-9c8e-1f3a5b7c9d55",
			edit: func(s string) string {
				s = s[:strings.Index(s, "  - order_id: c4e6a8b0-2d4f-4b6a-9c8e-1f3a5b7c9d55")]
				return strings.Replace(s, "placed_at: 2025-08-22T14:30:00Z", "placed_at: 2025-09-23T09:11:00Z", 1)
			},
			check: func(t *testing.T, orders []PinnedOrder) { require.Len(t, orders, 4) }},
		{name: "JSON", old: validOrders,
			edit: func(string) string {
				return `{"orders":[{"order_id":"3f2b8c1e-6a4d-4e9f-8b2a-1c5d7e9f0a11","user_account_id":"member-002",` +
					`"product":"crypto","side":"sell","symbol":"ETH","quantity":"0.01000000","notional":"34.00","fee":"0.51","status":"failed",` +
					`"placed_at":"2025-03-04T05:06:07Z","is_recurring_order":false}]}`
			},
			check: func(t *testing.T, orders []PinnedOrder) {
				require.Len(t, orders, 1)
				assert.Equal(t, 1, orders[0].User, "member-002")
				assert.Equal(t, int64(1_000_000), orders[0].Quantity)
			}},
		{name: "no orders", old: validOrders, edit: func(string) string { return "orders: []\n" },
			check: func(t *testing.T, orders []PinnedOrder) { assert.Empty(t, orders) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Contains(t, validOrders, tt.old)
			got, err := rules.ParseOrders("o.yaml", []byte(tt.edit(validOrders)), parseOrderUsers(t))
			require.NoError(t, err)
			tt.check(t, got)
		})
	}
}

// monthlySeries turns validOrders' weekly series into member-002's monthly one, on the 15th of
// January, February and March at 14:30.
func monthlySeries(data string) string {
	for i, day := range []string{"2025-08-15", "2025-08-22", "2025-08-29"} {
		data = strings.ReplaceAll(data, day, fmt.Sprintf("2025-%02d-15", i+1))
	}
	for _, id := range []string{"9d33", "9d44", "9d55"} {
		data = strings.Replace(data, id+"\n    user_account_id: member-001", id+"\n    user_account_id: member-002", 1)
	}
	return data
}

func TestBadPinnedOrdersNameTheLineTheOrderAndTheFix(t *testing.T) {
	const series = "5d8f1a2c-3e4b-4c6d-8e9f-a0b1c2d3e455"
	tests := []struct {
		name string
		old  string
		new  string
		want string
	}{
		// order_id
		{name: "order_id missing", old: "  - order_id: 3f2b8c1e-6a4d-4e9f-8b2a-1c5d7e9f0a11\n    user_account_id", new: "  - user_account_id",
			want: "o.yaml:2: orders[0].order_id: required: the order's tx_id, a lowercase UUID such as 7f9c24e8-3b1a-4c5d-9e2f-0a1b2c3d4e5f"},
		{name: "order_id not a UUID", old: "3f2b8c1e-6a4d-4e9f-8b2a-1c5d7e9f0a11", new: "order-1",
			want: `o.yaml:2: orders[0].order_id: "order-1" is not a lowercase UUID (8-4-4-4-12 hex digits)`},
		{name: "order_id in upper case", old: "3f2b8c1e-6a4d-4e9f-8b2a-1c5d7e9f0a11", new: "3F2B8C1E-6A4D-4E9F-8B2A-1C5D7E9F0A11",
			want: `o.yaml:2: orders[0].order_id: "3F2B8C1E-6A4D-4E9F-8B2A-1C5D7E9F0A11" is not a lowercase UUID (8-4-4-4-12 hex digits)`},
		{name: "order_id without dashes", old: "3f2b8c1e-6a4d-4e9f-8b2a-1c5d7e9f0a11", new: "3f2b8c1e6a4d4e9f8b2a1c5d7e9f0a11",
			want: `o.yaml:2: orders[0].order_id: "3f2b8c1e6a4d4e9f8b2a1c5d7e9f0a11" is not a lowercase UUID`},
		{name: "duplicate order_id", old: "9a7c5e3b-1d2f-4a6b-8c9d-0e1f2a3b4c22", new: "3f2b8c1e-6a4d-4e9f-8b2a-1c5d7e9f0a11",
			want: "o.yaml:14: orders[1].order_id: 3f2b8c1e-6a4d-4e9f-8b2a-1c5d7e9f0a11 is also the id of orders[0]; ids must be unique"},

		// user and account
		{name: "user not pinned", old: "user_account_id: member-001", new: "user_account_id: member-000001",
			want: `o.yaml:3: orders[0].user_account_id: "member-000001" is not a pinned user of this tenant; pinned orders belong to the users of pinned_users`},
		{name: "user missing", old: "    user_account_id: member-001\n    product: crypto", new: "    product: crypto",
			want: "o.yaml:2: orders[0].user_account_id: required: the pinned user the order belongs to"},
		{name: "no account for the product", old: "9a7c5e3b-1d2f-4a6b-8c9d-0e1f2a3b4c22\n    user_account_id: member-001",
			new:  "9a7c5e3b-1d2f-4a6b-8c9d-0e1f2a3b4c22\n    user_account_id: member-002",
			want: "o.yaml:16: orders[1].product: user member-002 has no securities account; an order is placed on an account of its user"},
		{name: "account not approved", old: "product: securities", new: "product: roth_ira",
			want: "o.yaml:16: orders[1].product: user member-001's roth_ira account is pending; orders are placed on approved accounts only"},
		{name: "placed a second before the approval", old: "placed_at: 2025-09-03T14:05:00Z", new: "placed_at: 2025-09-02T11:18:08Z",
			want: "o.yaml:11: orders[0].placed_at: 2025-09-02T11:18:08Z is before user member-001's crypto account was approved (2025-09-02T11:18:09Z); an order comes after approval"},

		// enums
		{name: "unknown product", old: "product: crypto", new: "product: gold",
			want: `o.yaml:4: orders[0].product: "gold" is not a product; want one of crypto, securities, roth_ira, robo`},
		{name: "unknown side", old: "side: buy", new: "side: short",
			want: `o.yaml:5: orders[0].side: "short" is not a side; want one of buy, sell`},
		{name: "side in upper case", old: "side: sell", new: "side: SELL",
			want: `o.yaml:17: orders[1].side: "SELL" is not a side; want one of buy, sell`},
		{name: "unknown status", old: "status: pending", new: "status: queued",
			want: `o.yaml:22: orders[1].status: "queued" is not an order status; want one of pending, completed, cancelled, failed`},

		// decimals
		{name: "crypto quantity with six places", old: `"0.00225225"`, new: `"0.002252"`,
			want: `o.yaml:7: orders[0].quantity: "0.002252": want a decimal with exactly 8 places, like 0.00000015 (a crypto quantity has 8 places)`},
		{name: "securities quantity with eight places", old: `"3.927267"`, new: `"3.92726700"`,
			want: `o.yaml:19: orders[1].quantity: "3.92726700": want a decimal with exactly 6 places, like 0.000015 (a securities quantity has 6 places)`},
		{name: "robo quantity with two places", old: `"0.327740"`, new: `"0.33"`,
			want: `o.yaml:30: orders[2].quantity: "0.33": want a decimal with exactly 6 places, like 0.000015 (a robo quantity has 6 places)`},
		{name: "zero quantity", old: `"0.00225225"`, new: `"0.00000000"`,
			want: "o.yaml:7: orders[0].quantity: 0.00000000 is not more than 0"},
		{name: "negative quantity", old: `"0.00225225"`, new: `"-0.00225225"`,
			want: `o.yaml:7: orders[0].quantity: "-0.00225225": want a decimal with exactly 8 places`},
		{name: "zero notional", old: `notional: "250.00"`, new: `notional: "0.00"`,
			want: "o.yaml:8: orders[0].notional: 0.00 is not more than 0.00"},
		{name: "negative notional", old: `notional: "250.00"`, new: `notional: "-250.00"`,
			want: "o.yaml:8: orders[0].notional: -250.00 is not more than 0.00"},
		{name: "notional with three places", old: `notional: "250.00"`, new: `notional: "250.000"`,
			want: `o.yaml:8: orders[0].notional: money "250.000": want a decimal with exactly two places, like 1234.50`},
		{name: "negative fee", old: `fee: "3.73"`, new: `fee: "-0.01"`,
			want: "o.yaml:9: orders[0].fee: -0.01 is negative; a fee is 0.00 or more"},
		{name: "fee missing", old: "    fee: \"3.73\"\n", new: "",
			want: `o.yaml:2: orders[0].fee: money "": want a decimal with exactly two places`},

		// placed_at
		{name: "placed_at missing", old: "    placed_at: 2025-09-03T14:05:00Z\n", new: "",
			want: "o.yaml:2: orders[0].placed_at: required: when the order was placed, e.g. placed_at: 2025-09-03T14:05:00Z"},
		{name: "placed_at with a fraction of a second", old: "placed_at: 2025-09-03T14:05:00Z", new: "placed_at: 2025-09-03T14:05:00.5Z",
			want: "o.yaml:11: orders[0].placed_at: whole seconds only (the API renders YYYY-MM-DDTHH:MM:SSZ), got 2025-09-03T14:05:00.5Z"},
		{name: "placed at as_of", old: "placed_at: 2025-09-30T20:45:00Z", new: "placed_at: 2025-10-01T00:00:00Z",
			want: "o.yaml:23: orders[1].placed_at: 2025-10-01T00:00:00Z is not before the tenant's as_of 2025-10-01T00:00:00Z; move it earlier or raise as_of"},
		{name: "placed_at not an instant", old: "placed_at: 2025-09-03T14:05:00Z", new: "placed_at: yesterday",
			want: `o.yaml:11: orders[0].placed_at: want an RFC 3339 instant such as 2025-10-01T00:00:00Z, got the text "yesterday"`},

		// completed_at
		{name: "completed without completed_at", old: "    completed_at: 2025-09-03T14:05:02Z\n", new: "",
			want: "o.yaml:2: orders[0].completed_at: required when status is completed, e.g. completed_at: 2025-09-03T14:05:02Z"},
		{name: "pending with completed_at", old: "    status: pending\n", new: "    status: pending\n    completed_at: 2025-09-30T20:46:00Z\n",
			want: "o.yaml:23: orders[1].completed_at: only completed orders have one (status is pending); remove it"},
		{name: "failed with completed_at", old: "    status: failed\n", new: "    status: failed\n    completed_at: 2025-08-22T20:00:00Z\n",
			want: "o.yaml:47: orders[3].completed_at: only completed orders have one (status is failed); remove it"},
		{name: "completed before placed", old: "completed_at: 2025-09-03T14:05:02Z", new: "completed_at: 2025-09-03T14:04:59Z",
			want: "o.yaml:12: orders[0].completed_at: 2025-09-03T14:04:59Z is before placed_at 2025-09-03T14:05:00Z; an order completes after it is placed"},
		{name: "completed after as_of", old: "completed_at: 2025-09-03T14:05:02Z", new: "completed_at: 2025-10-01T00:00:01Z",
			want: "o.yaml:12: orders[0].completed_at: 2025-10-01T00:00:01Z is after the tenant's as_of 2025-10-01T00:00:00Z; move it earlier or raise as_of"},
		{name: "completed_at with a fraction of a second", old: "completed_at: 2025-09-03T14:05:02Z", new: "completed_at: 2025-09-03T14:05:02.25Z",
			want: "o.yaml:12: orders[0].completed_at: whole seconds only, got 2025-09-03T14:05:02.25Z"},

		// recurring_order_id
		{name: "recurring without recurring_order_id", old: "    is_recurring_order: true\n    recurring_order_id: " + series + "\n  - order_id: c4e6a8b0-2d4f-4b6a-9c8e-1f3a5b7c9d44",
			new:  "    is_recurring_order: true\n  - order_id: c4e6a8b0-2d4f-4b6a-9c8e-1f3a5b7c9d44",
			want: "o.yaml:25: orders[2].recurring_order_id: required when is_recurring_order is true: the id the series' orders share, a lowercase UUID"},
		{name: "recurring_order_id on a one-off order", old: "    is_recurring_order: false\n  - order_id: 9a7c",
			new:  "    is_recurring_order: false\n    recurring_order_id: " + series + "\n  - order_id: 9a7c",
			want: "o.yaml:14: orders[0].recurring_order_id: only recurring orders have one; set is_recurring_order: true or remove it"},
		{name: "recurring_order_id without is_recurring_order", old: "    is_recurring_order: true\n", new: "",
			want: "o.yaml:36: orders[2].recurring_order_id: only recurring orders have one; set is_recurring_order: true or remove it"},
		{name: "recurring_order_id not a lowercase UUID", old: "recurring_order_id: " + series, new: "recurring_order_id: 5D8F1A2C-3E4B-4C6D-8E9F-A0B1C2D3E455",
			want: `o.yaml:37: orders[2].recurring_order_id: "5D8F1A2C-3E4B-4C6D-8E9F-A0B1C2D3E455" is not a lowercase UUID`},
		{name: "a recurring sell", old: "    side: buy\n    symbol: VTI", new: "    side: sell\n    symbol: VTI",
			want: "o.yaml:28: orders[2].side: sell, but a recurring order is a buy; set side: buy or make it a one-off order"},
		{name: "is_recurring_order not a boolean", old: "is_recurring_order: false", new: `is_recurring_order: "no"`,
			want: `o.yaml:13: orders[0].is_recurring_order: want true or false, got the text "no"`},

		// series
		{name: "series of another symbol", old: "    symbol: VTI\n    quantity: \"0.320000\"", new: "    symbol: VEA\n    quantity: \"0.320000\"",
			want: "o.yaml:62: orders[4].recurring_order_id: " + series + " is also the series of orders[2], which is another user's, product, symbol or side; a series is one user's buys of one symbol"},
		{name: "series of another user", old: "c4e6a8b0-2d4f-4b6a-9c8e-1f3a5b7c9d55\n    user_account_id: member-001",
			new:  "c4e6a8b0-2d4f-4b6a-9c8e-1f3a5b7c9d55\n    user_account_id: member-002",
			want: "o.yaml:62: orders[4].recurring_order_id: " + series + " is also the series of orders[2], which is another user's, product, symbol or side"},
		{name: "a sell in a series of buys", old: "    side: buy\n    symbol: VTI\n    quantity: \"0.320000\"", new: "    side: sell\n    symbol: VTI\n    quantity: \"0.320000\"",
			want: "o.yaml:53: orders[4].side: sell, but a recurring order is a buy"},
		{name: "irregular series of three", old: "placed_at: 2025-08-29T14:30:00Z\n    completed_at: 2025-08-29T20:00:00Z",
			new:  "placed_at: 2025-08-30T14:30:00Z\n    completed_at: 2025-08-30T20:00:00Z",
			want: "o.yaml:37: orders[2].recurring_order_id: the orders of series " + series + " are not at a regular interval (a fixed gap, or the same day and time of consecutive months)"},
		{name: "series of three at one instant", old: "placed_at: 2025-08-22T14:30:00Z", new: "placed_at: 2025-08-15T14:30:00Z",
			want: "the orders of series " + series + " are not at a regular interval"},

		// fields
		{name: "unknown field", old: "    symbol: BTC\n", new: "    sybmol: BTC\n",
			want: "o.yaml:6: orders[0].sybmol: unknown field (did you mean symbol?); the fields here are order_id, user_account_id, product, side, symbol, quantity, notional, fee, status, placed_at, completed_at, is_recurring_order, recurring_order_id"},
		{name: "symbol missing", old: "    symbol: BTC\n", new: "",
			want: "o.yaml:2: orders[0].symbol: required, e.g. symbol: BTC"},
		{name: "symbol with a space", old: "symbol: BTC", new: `symbol: "BT C"`,
			want: `o.yaml:6: orders[0].symbol: "BT C" contains a space or a control character`},
		{name: "orders not a list", old: validOrders, new: "orders: {}\n",
			want: "o.yaml:1: orders: want a list"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Contains(t, validOrders, tt.old)
			data := strings.Replace(validOrders, tt.old, tt.new, 1)
			got, err := rules.ParseOrders("o.yaml", []byte(data), parseOrderUsers(t))
			require.Error(t, err)
			assert.Nil(t, got)
			_, ok := errors.AsType[*problem.List](err)
			require.True(t, ok, "a *problem.List: %v", err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestSeriesAreCheckedOnceTheOrdersAreGood(t *testing.T) {
	// A series problem hides behind any other: the series check needs every order's fields.
	data := strings.Replace(validOrders, "    symbol: VTI\n    quantity: \"0.320000\"", "    symbol: VEA\n    quantity: \"0.320000\"", 1)
	data = strings.Replace(data, `fee: "3.73"`, `fee: "-3.73"`, 1)
	_, err := rules.ParseOrders("o.yaml", []byte(data), parseOrderUsers(t))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "orders[0].fee")
	assert.NotContains(t, err.Error(), "recurring_order_id")
}

func TestPinnedOrdersAgainstAnotherDocument(t *testing.T) {
	// The document decides the enums: with a side "short" and no "cancelled" state, a short
	// passes and a cancelled order does not.
	r := rules
	r.Vocab.OrderSides = []domain.OrderSide{"buy", "sell", "short"}
	r.Vocab.OrderStatuses = []domain.OrderStatus{"pending", "completed", "failed"}
	data := strings.Replace(validOrders, "side: sell", "side: short", 1)
	_, err := r.ParseOrders("o.yaml", []byte(data), parseOrderUsers(t))
	require.NoError(t, err)
	data = strings.Replace(data, "status: failed", "status: cancelled", 1)
	_, err = r.ParseOrders("o.yaml", []byte(data), parseOrderUsers(t))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `o.yaml:46: orders[3].status: "cancelled" is not an order status; want one of pending, completed, failed`)

	// A document without a buy side names recurring orders' side its own way.
	r.Vocab.OrderSides = []domain.OrderSide{"bid", "ask"}
	data = strings.ReplaceAll(strings.ReplaceAll(validOrders, "side: buy", "side: bid"), "side: sell", "side: ask")
	_, err = r.ParseOrders("o.yaml", []byte(data), parseOrderUsers(t))
	require.NoError(t, err)
}

func TestTooManyOrderProblemsAreCapped(t *testing.T) {
	var b strings.Builder
	b.WriteString("orders:\n")
	for i := range 30 {
		fmt.Fprintf(&b, "  - {order_id: bad-%d, user_account_id: member-002, product: crypto, side: buy, symbol: BTC, quantity: \"1.00000000\","+
			" notional: \"1.00\", fee: \"0.00\", status: failed, placed_at: 2025-03-01T00:00:00Z}\n", i)
	}
	_, err := rules.ParseOrders("o.yaml", []byte(b.String()), parseOrderUsers(t))
	require.Error(t, err)
	assert.Equal(t, maxPinnedProblems+1, strings.Count(err.Error(), "\n")+1)
	assert.Contains(t, err.Error(), "... and 10 more problems")
}

func TestTheBuiltInPinnedOrdersParse(t *testing.T) {
	usersData, err := fixtures.FS.ReadFile("pinned/demo-credit-union.yaml")
	require.NoError(t, err)
	users, err := rules.Parse("demo-credit-union.yaml", usersData)
	require.NoError(t, err)
	data, err := fixtures.FS.ReadFile("pinned/demo-credit-union-orders.yaml")
	require.NoError(t, err)
	got, err := rules.ParseOrders("demo-credit-union-orders.yaml", data, users)
	require.NoError(t, err)
	require.Len(t, got, 4)
	var symbols []string
	for _, o := range got {
		assert.Equal(t, 0, o.User, "member-001's")
		symbols = append(symbols, o.Symbol)
	}
	assert.Equal(t, []string{"BTC", "AAPL", "VTI", "VTI"}, symbols)
	assert.Equal(t, domain.OrderStatus("pending"), got[1].Status)
	require.NotNil(t, got[2].Series)
	assert.Equal(t, *got[2].Series, *got[3].Series, "the monthly robo deposits are one series")
}

func TestADumpOfPinnedOrdersIsAPinnedOrdersFile(t *testing.T) {
	// partner-mock dump --resource orders --format json writes the API's order objects: for the
	// pinned users, that is a valid pinned-orders file, and it reads back the orders it came from.
	tenants := builtInTenants(t)
	w := tenants[0].World()
	dumper, ok := orders.Resource.(resource.Dumper)
	require.True(t, ok)
	_, page := find(tenants[0].Collections[ordersCollection], query.Query{At: w.AsOf, Groups: []query.Group{{Key: 0, Value: "member-001"}}})
	require.Len(t, page, 4)
	dump := []byte(`{"orders":[`)
	for i, p := range page {
		if i > 0 {
			dump = append(dump, ',')
		}
		dump = dumper.AppendDumpItem(dump, w, p, w.AsOf)
	}
	dump = append(dump, "]}"...)

	pinnedUsers := w.Users[len(w.Users)-w.PinnedUsers:]
	got, err := rules.ParseOrders("dump.json", dump, pinnedUsers)
	require.NoError(t, err)
	require.Len(t, got, 4)
	for i, p := range page {
		o := w.Orders.Order(p)
		assert.Equal(t, o.ID, got[i].ID)
		assert.Equal(t, o.PlacedAt, got[i].PlacedAt)
		assert.Equal(t, o.Quantity, got[i].Quantity)
		assert.Equal(t, o.Notional, got[i].Notional)
		assert.Equal(t, o.Fee, got[i].Fee)
		assert.Equal(t, w.Orders.Vocab.Statuses[o.Status], got[i].Status)
		assert.Equal(t, o.Recurring(), got[i].Series != nil)
	}
}
