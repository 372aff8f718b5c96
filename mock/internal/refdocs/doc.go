// Package refdocs renders the mock's reference page (GET /docs) from the loaded OpenAPI
// document: every operation with its parameters (type, default, allowed values, range,
// description), the response shapes with real examples, the demo keys and a curl line per
// operation. The page is one self-contained HTML document — inline CSS, no scripts or fonts from
// elsewhere — so it works offline and prints cleanly. It knows nothing of HTTP frameworks.
package refdocs
