package mocktest_test

import (
	"encoding/json"
	"fmt"
	"log"
	"testing"
	"time"

	"github.com/cryptofi/partner-mock/mock/mocktest"
)

// A test starts a mock of its own with Start: the mock stops when the test ends. The helpers
// shape the data the code under test will read; it reaches the mock at srv.APIURL with the
// built-in key demo-key, as it would reach the live API.
func ExampleStart() {
	testSignUp := func(t *testing.T) {
		srv := mocktest.Start(t)
		approved := time.Date(2025, 9, 30, 13, 0, 0, 0, time.UTC)
		if _, err := srv.PutUser("demo-credit-union", mocktest.User{
			ID:        "member-900",
			CreatedAt: time.Date(2025, 9, 30, 12, 0, 0, 0, time.UTC),
			Accounts: []mocktest.Account{
				{Product: "crypto", KYCStatus: "approved", KYCApprovedAt: &approved, CurrentMarketValue: "150.25"},
			},
		}); err != nil {
			t.Fatal(err)
		}
		// ... run the code under test against srv.APIURL, then check what it sent:
		sent, err := srv.Requests(0, "demo-credit-union")
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("the service sent %d requests", len(sent))
	}
	_ = testSignUp // in your package: func TestSignUp(t *testing.T) { ... }
}

// A mock shared by several tests, or used outside a test, is made with New and stopped with
// Close. This example puts a user and an order, reads them through the Partner API, moves the
// clock, reads the journal, and puts the FI back as generated.
func Example() {
	srv, err := mocktest.New()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	const fi, key = "demo-credit-union", "demo-key"

	approved := time.Date(2025, 9, 30, 13, 0, 0, 0, time.UTC)
	created, err := srv.PutUser(fi, mocktest.User{
		ID:        "member-900",
		CreatedAt: time.Date(2025, 9, 30, 12, 0, 0, 0, time.UTC),
		Accounts: []mocktest.Account{
			{Product: "crypto", KYCStatus: "approved", KYCApprovedAt: &approved, CurrentMarketValue: "150.25"},
			{Product: "securities", KYCStatus: "rejected", CurrentMarketValue: "0.00"},
		},
	})
	fmt.Println("user created:", created, err)
	status, body, _ := srv.Get("/users/member-900/", key)
	fmt.Println(status, string(body))

	placed := time.Date(2025, 10, 1, 9, 30, 0, 0, time.UTC) // after the mock's time: shows later
	done := placed.Add(2 * time.Second)
	_, err = srv.PutOrder(fi, mocktest.Order{
		ID: "0b0e7f4c-1a2b-4c3d-8e9f-000000000001", UserAccountID: "member-900",
		Product: "crypto", Side: "buy", Symbol: "BTC", Quantity: "0.00150000", Notional: "100.00", Fee: "1.49",
		Status: "completed", PlacedAt: placed, CompletedAt: &done,
	})
	fmt.Println("order put:", err)
	status, _, _ = srv.Get("/orders/0b0e7f4c-1a2b-4c3d-8e9f-000000000001/", key)
	fmt.Println("the order before its placed_at:", status)

	clock, _ := srv.AdvanceClock(12 * time.Hour)
	fmt.Println("now:", clock.Now(fi).Format(time.RFC3339))
	_, body, _ = srv.Get("/orders/?user_account_id=member-900", key)
	var page struct {
		Items []struct{ Status string } `json:"items"`
	}
	_ = json.Unmarshal(body, &page)
	fmt.Println("member-900's orders:", page.Items)

	// A refusal lists every problem, each with the field it is about.
	_, err = srv.PutOrder(fi, mocktest.Order{
		ID: "0b0e7f4c-1a2b-4c3d-8e9f-000000000002", UserAccountID: "member-900",
		Product: "securities", Side: "buy", Symbol: "AAPL", Quantity: "1.000000", Notional: "230.00", Fee: "0.00",
		Status: "pending", PlacedAt: placed,
	})
	fmt.Println(err)

	requests, _ := srv.Requests(2, fi)
	for _, r := range requests {
		fmt.Println(r.Method, r.Path, r.Query, r.Status)
	}

	fmt.Println("reset:", srv.Reset(fi))
	status, _, _ = srv.Get("/users/member-900/", key)
	fmt.Println("member-900 after the reset:", status)

	// Output:
	// user created: true <nil>
	// 200 {"accounts":[{"current_market_value":"150.25","kyc_approved_at":"2025-09-30T13:00:00Z","kyc_status":"approved","product":"crypto"},{"current_market_value":"0.00","kyc_status":"rejected","product":"securities"}],"total_current_market_value":"150.25","user_account_id":"member-900"}
	// order put: <nil>
	// the order before its placed_at: 404
	// now: 2025-10-01T12:00:00Z
	// member-900's orders: [{completed}]
	// admin API answered 422
	//   - product: user member-900's securities account is rejected; orders are placed on approved accounts only
	// GET /v1/orders/ user_account_id=member-900 200
	// GET /v1/orders/0b0e7f4c-1a2b-4c3d-8e9f-000000000001/  404
	// reset: <nil>
	// member-900 after the reset: 404
}
