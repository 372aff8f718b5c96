package contract

import (
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestLegalChange: what time may change between two answers (a record leaving pending, its
// stamp appearing) and what it may not (anything else, key order included).
func TestLegalChange(t *testing.T) {
	orders := mutableFields{state: "status", stamp: "completed_at"}
	users := mutableFields{state: "kyc_status", stamp: "kyc_approved_at"}
	order := func(status, extra string) string {
		return `{"order_id":"o1","fee":"1.00","status":"` + status + `","placed_at":"2025-01-01T00:00:00Z"` + extra + `,"is_recurring_order":false}`
	}
	done := `,"completed_at":"2025-01-02T00:00:00Z"`
	tests := []struct {
		name           string
		m              mutableFields
		earlier, later string
		moved          int
		// diff is part of the difference reported, "" when the change is legal.
		diff string
	}{
		{"identical", orders, order("pending", ""), order("pending", ""), 0, ""},
		{"pending settles as completed, completed_at appears", orders, order("pending", ""), order("completed", done), 1, ""},
		{"pending settles as cancelled", orders, order("pending", ""), order("cancelled", ""), 1, ""},
		{"in a list", orders, `{"items":[` + order("pending", "") + `,` + order("failed", "") + `],"total_records":2}`,
			`{"items":[` + order("failed", "") + `,` + order("failed", "") + `],"total_records":2}`, 1, ""},
		{"completed goes back to pending", orders, order("completed", done), order("pending", ""), 0, `only "pending" ever changes`},
		{"completed becomes failed", orders, order("completed", done), order("failed", ""), 0, `only "pending" ever changes`},
		{"completed_at moves", orders, order("completed", done), order("completed", `,"completed_at":"2025-01-03T00:00:00Z"`), 0, "completed_at"},
		{"completed_at appears without a settlement", orders, order("pending", ""), order("pending", done), 0, "keys"},
		{"another field changes", orders, order("pending", ""), `{"order_id":"o1","fee":"2.00","status":"pending","placed_at":"2025-01-01T00:00:00Z","is_recurring_order":false}`, 0, `$.fee: "1.00" became "2.00"`},
		{"key order changes", orders, order("pending", ""), `{"fee":"1.00","order_id":"o1","status":"pending","placed_at":"2025-01-01T00:00:00Z","is_recurring_order":false}`, 0, "keys"},
		{"a record more", orders, `{"items":[` + order("pending", "") + `]}`, `{"items":[` + order("pending", "") + `,` + order("pending", "") + `]}`, 0, "1 entries became 2"},
		{"KYC decision lands", users,
			`{"accounts":[{"current_market_value":"1.00","kyc_status":"pending","product":"crypto"}],"user_account_id":"u"}`,
			`{"accounts":[{"current_market_value":"1.00","kyc_approved_at":"2025-01-01T00:00:00Z","kyc_status":"approved","product":"crypto"}],"user_account_id":"u"}`, 1, ""},
		{"KYC approval withdrawn", users,
			`{"accounts":[{"current_market_value":"1.00","kyc_approved_at":"2025-01-01T00:00:00Z","kyc_status":"approved","product":"crypto"}],"user_account_id":"u"}`,
			`{"accounts":[{"current_market_value":"1.00","kyc_status":"rejected","product":"crypto"}],"user_account_id":"u"}`, 0, `only "pending" ever changes`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			moved, diff := legalChange(tt.m, []byte(tt.earlier), []byte(tt.later))
			if tt.diff == "" {
				assert.Empty(t, diff)
				assert.Equal(t, tt.moved, moved)
			} else {
				assert.Contains(t, diff, tt.diff)
			}
		})
	}
}

// TestStableTotals: counts that move between rounds are counted again until two rounds agree;
// counts that never hold still skip the check instead of comparing counts of different
// instants.
func TestStableTotals(t *testing.T) {
	for _, tt := range []struct {
		name string
		// settlesAfter is the number of requests after which the counts stop moving.
		settlesAfter int
		want         []int64
		skip         bool
	}{
		{"frozen", 0, []int64{10, 4}, false},
		{"moves during the first round", 1, []int64{10, 4}, false},
		{"never holds still", 1 << 30, nil, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			n := 0
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				n++
				moved := n <= tt.settlesAfter
				k := n
				mu.Unlock()
				total := 10
				if r.URL.Query().Get("kyc") != "" {
					total = 4
				}
				if moved {
					total += k // a count that moves with every request until it settles
				}
				w.Header().Set("content-type", "application/json")
				fmt.Fprintf(w, `{"items":[{"accounts":[],"total_current_market_value":"0.00","user_account_id":"u"}],"total_records":%d,"last_record_number":1,"per_page":1}`, total)
			})
			var got []int64
			res := runOn(t, h, func(t *T) {
				t.run.win = &rangeCeiling
				got, _ = t.stableTotals(t.run.users, CredPrimary, []url.Values{q(), q("kyc", "x")})
			})
			if tt.skip {
				assert.Equal(t, Skip, res.Status)
				assert.Contains(t, res.Reason, "changed in each of 4 rounds")
				return
			}
			assert.Equal(t, Pass, res.Status, "%v", res.Failures)
			assert.Equal(t, tt.want, got)
		})
	}
}
