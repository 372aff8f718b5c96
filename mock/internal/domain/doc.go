// Package domain holds the Partner API's resources: users with their per-product accounts, their
// orders, and the money, quantity and time values they carry. It knows nothing of HTTP, of how
// records are generated or indexed, or of JSON beyond the values' own renderings.
//
// # Time
//
// A record's state is a function of the mock's time T. Records exist from their creation
// instant (a user's created_at, an order's placed_at). The one thing that changes afterwards is
// a lifecycle state: an account is pending until its KYC decision, an order until it settles.
// Each such change is recorded once, as the instant it happens and the state it leads to, so
// the state at any T is computed, never stored.
package domain
