// Package domain holds the Partner API's resources: users, their per-product accounts and the
// money and time values they carry. It knows nothing of HTTP, JSON rendering rules beyond the
// user object itself, or how users are generated.
package domain
