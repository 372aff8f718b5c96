// Package engine answers user-list queries over one tenant's population: filters that AND
// together, a total order for each sort key, and offset paging. It knows nothing of HTTP, Gin or
// query strings: callers hand it a Query and render the Page it returns.
//
// Query.Matches (query.go) is the one definition of what each filter means. The Index finds the
// same users faster, from structures built once in New:
//
//   - an ordering per sort key (sortorder.go: radix sorts, ties by id), read backwards for desc;
//   - per ordering, a bitmap per product and per product+status (ordering.go), so product and
//     KYC filters are ANDs of bitmaps, scanned a word at a time (bitmap.go);
//   - a created_at range is a run of ranks in the created order, and in the id order a mask
//     built from per-bucket prefix bitmaps (createdmask.go);
//   - a hash table from id to user for constant-time detail lookups (idtable.go).
//
// The oracle tests (index_test.go) compare every path against brute force over Matches.
package engine
