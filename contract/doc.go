// Package contract is the Partner API contract suite: named checks of properties that hold for
// any population, sent over HTTP to a base URL (the mock, staging, or production-like
// environments). It is black-box: it imports nothing from the mock, only the OpenAPI document
// (package spec) to validate what it receives.
//
// The suite is safe to point at a shared environment: it sends GET requests only, within a
// request budget and a rate limit, with a per-request timeout, retrying 429 and 503 as
// Retry-After says, and it never writes the API key anywhere (reports carry $PARTNER_API_KEY
// instead).
//
// Run runs the checks and returns a Report; Drift sends one probe set to two targets and lists
// where they differ.
package contract
