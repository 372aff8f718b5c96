// Package contract is the Partner API contract suite: named checks of properties that hold for
// any population, sent over HTTP to a base URL (the mock, staging, or production-like
// environments), for the users and the orders endpoints and the relations between them. It is
// black-box: it imports nothing from the mock, only the OpenAPI document (package spec) to
// read the parameters and enums and to validate what it receives.
//
// The suite is safe to point at a shared environment: it sends GET requests only, within a
// request budget and a rate limit, with a per-request timeout, retrying 429 and 503 as
// Retry-After says, and it never writes the API key anywhere (reports carry $PARTNER_API_KEY
// instead).
//
// It gives no false alarm against a server whose data move while it runs (a mock whose clock
// runs, staging): new records appear with a time field at or before the server's now, and a
// record's state leaves "pending" once; nothing else changes. So every walk and every
// comparison of two answers looks only at records before an instant fixed at the start of the
// run (T.window), two answers are compared but for records that left pending in between
// (legalChange), and counts compared with each other are taken until two rounds agree
// (stableTotals). Checks of one answer (the envelope of every list answer, field rules) hold at
// any instant.
//
// Run runs the checks and returns a Report; Drift sends one probe set to two targets and lists
// where they differ.
package contract
