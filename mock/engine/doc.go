// Package engine answers user-list queries over one tenant's population: filters that AND
// together, a total order for each sort key, and offset paging. It knows nothing of HTTP, Gin or
// query strings: callers hand it a Query and render the Page it returns.
package engine
