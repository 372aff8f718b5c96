package mocktest

import (
	"os"
	"path/filepath"
	"time"
)

// User is a user in the pinned-users format: the API's user object with created_at, which the
// API never shows but filters and sorts by.
type User struct {
	// ID is the user_account_id.
	ID string `json:"user_account_id"`
	// CreatedAt is when the user signed up; it may be after the mock's time (the user shows
	// from then). At most microsecond precision.
	CreatedAt time.Time `json:"created_at"`
	// Accounts are the user's product accounts, one per product.
	Accounts []Account `json:"accounts"`
	// TotalCurrentMarketValue may be left empty: it is the sum of the accounts' values.
	TotalCurrentMarketValue string `json:"total_current_market_value,omitempty"`
}

// Account is one product account of a user.
type Account struct {
	// Product is crypto, securities, roth_ira or robo (the document's enum).
	Product string `json:"product"`
	// KYCStatus is not_started, pending, approved or rejected.
	KYCStatus string `json:"kyc_status"`
	// KYCApprovedAt is set exactly when KYCStatus is approved: whole seconds, not before
	// CreatedAt. Before it, the account shows pending.
	KYCApprovedAt *time.Time `json:"kyc_approved_at,omitempty"`
	// CurrentMarketValue is a decimal with two places, "1234.50".
	CurrentMarketValue string `json:"current_market_value"`
}

// Order is an order in the pinned-orders format: the API's order object.
type Order struct {
	// ID is the order_id, a lowercase UUID.
	ID            string `json:"order_id"`
	UserAccountID string `json:"user_account_id"`
	Product       string `json:"product"`
	// Side is buy or sell; Status pending, completed, cancelled or failed.
	Side   string `json:"side"`
	Symbol string `json:"symbol"`
	// Quantity has 8 places for crypto and 6 otherwise; Notional and Fee have 2.
	Quantity string `json:"quantity"`
	Notional string `json:"notional"`
	Fee      string `json:"fee"`
	Status   string `json:"status"`
	// PlacedAt is whole seconds, not before the user's account for Product was approved.
	PlacedAt time.Time `json:"placed_at"`
	// CompletedAt is set exactly when Status is completed; before it, the order shows
	// pending.
	CompletedAt *time.Time `json:"completed_at,omitempty"`
	// IsRecurringOrder and RecurringOrderID go together: a series is one user's buys of one
	// symbol at a regular interval.
	IsRecurringOrder bool   `json:"is_recurring_order"`
	RecurringOrderID string `json:"recurring_order_id,omitempty"`
}

// FI describes one FI the mock serves.
type FI struct {
	// ID is the FI's name in the tenants config, which the helpers take.
	ID   string `json:"id"`
	Name string `json:"name"`
	// Keys are its API keys, masked (the built-in demo keys in full).
	Keys []struct {
		Key    string `json:"key"`
		Faults string `json:"faults"`
	} `json:"keys"`
	Seed             uint64 `json:"seed"`
	GeneratorVersion string `json:"generator_version"`
	// Counts are the records that exist at Now, by resource (users, orders).
	Counts map[string]int `json:"counts"`
	// Changes counts the records put or deleted since start or the last Reset.
	Changes int `json:"changes"`
	Clock   struct {
		Mode  string  `json:"mode"`
		Speed float64 `json:"speed"`
	} `json:"clock"`
	// Now is the FI's mock time.
	Now time.Time `json:"now"`
}

// ClockState is the mock's clock after a move: frozen or live (at Speed), and each FI's time.
type ClockState struct {
	Mode  string  `json:"mode"`
	Speed float64 `json:"speed"`
	FIs   []struct {
		ID  string    `json:"id"`
		Now time.Time `json:"now"`
	} `json:"fis"`
}

// Now returns FI fi's mock time, or the zero time when the mock has no such FI.
func (c ClockState) Now(fi string) time.Time {
	for _, f := range c.FIs {
		if f.ID == fi {
			return f.Now
		}
	}
	return time.Time{}
}

// Request is one request the mock served, as its journal recorded it: never a key.
type Request struct {
	Seq  int       `json:"seq"`
	Time time.Time `json:"time"`
	// FI is the FI the request's key resolved to; empty when none did.
	FI     string `json:"fi"`
	Method string `json:"method"`
	// Path is decoded; Query is raw, as sent.
	Path       string  `json:"path"`
	Query      string  `json:"query"`
	Status     int     `json:"status"`
	DurationMS float64 `json:"duration_ms"`
	Truncated  bool    `json:"truncated"`
	// Faults are the faults applied ("latency_ms", "error", "prefer", ...), only those that
	// were.
	Faults map[string]any `json:"faults"`
}

// dirReader reads the files a tenants config names, relative to dir.
func dirReader(dir string) func(string) ([]byte, error) {
	return func(name string) ([]byte, error) {
		if !filepath.IsAbs(name) {
			name = filepath.Join(dir, name)
		}
		return os.ReadFile(name)
	}
}
