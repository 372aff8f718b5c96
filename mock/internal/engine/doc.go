// Package engine answers list queries (package query) over one resource's records, for any
// resource: it knows nothing of users, orders, HTTP or query strings. A resource describes its
// records through a Schema and a Source; the engine builds a Table once and answers every query
// from it.
//
// A record has a time key (created_at, placed_at) from which it exists, a primary id, literal
// columns (a product, a KYC state, a side) and group keys (the user an order belongs to). A
// column's value may change once, at an instant (pending until a decision): Cell holds the value
// before and after it. The query's instant At decides which records exist and which value each
// cell shows, so one Table serves every point in time.
//
// Match (match.go) is the one definition of what a query keeps. The Table finds the same records
// faster:
//
//   - rankings (ranking.go): the records in the time key's order and, when the schema asks, in
//     the id's, each with ties broken by id, read backwards for desc;
//   - per ranking, a bitmap per column value before and after its change (column.go), and for
//     columns that change, the state at an instant as a snapshot, rebuilt or patched as the
//     instant moves;
//   - a time range is a run of ranks in the time ranking, and in another ranking a mask built
//     from per-bucket prefix bitmaps (rangemask.go);
//   - group keys as lists of ranks per group (the orders of one user);
//   - scans that AND bitmaps a word at a time, counting every match and picking the page on the
//     way, so a deep page costs what the first costs (bitmap.go).
//
// The oracle tests compare every path against brute force over Match.
package engine
