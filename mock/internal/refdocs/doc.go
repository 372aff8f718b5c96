// Package refdocs renders the mock's reference page (GET /docs) from the loaded OpenAPI
// document: every operation with its parameters (plain type, allowed values, default, range,
// description), every response with its fields and real bodies, the demo keys and a curl line
// per operation. FastAPI copies each handler's Python docstring into the document; the page
// reads it as prose and puts its Sphinx field lines where a reader looks for them (":param" on
// its parameter, ":return:" on the success, ":raises E: 404 …" on the 404) instead of showing
// the markup. What the document cannot say — the values a sort key accepts, the 401/404/422
// answers and their bodies — the caller passes in through Config, from the mock itself. The
// page is one self-contained HTML document — inline CSS, no scripts or fonts from elsewhere —
// so it works offline and prints cleanly; its tables wrap on a laptop screen and stack on a
// narrow one. It knows nothing of HTTP frameworks.
package refdocs
