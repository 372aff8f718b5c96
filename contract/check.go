package contract

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// Check is one named property of the API. Its Description is the line a failing report prints.
type Check struct {
	// Name is "family/case", e.g. "paging/walk".
	Name string
	// Family groups checks: schema, auth, envelope, paging, ordering, filters, timerange,
	// money, validation, tenants, repeat for users; orders-schema, orders-auth,
	// orders-envelope, orders-paging, orders-ordering, orders-filters, orders-timerange,
	// orders-detail, orders-validation, orders-fields for orders; relations between them.
	Family      string
	Description string
	// NeedsSecondKey skips the check when no second FI's key is given.
	NeedsSecondKey bool
	run            func(t *T)
}

// Status is a check's outcome.
type Status string

// The outcomes of a check.
const (
	Pass Status = "pass"
	Fail Status = "fail"
	Skip Status = "skip"
)

// Failure is one problem a check found, with a command that shows it.
type Failure struct {
	Message string `json:"message"`
	// Curl repeats the request that showed the problem; the key is read from
	// $PARTNER_API_KEY, never written.
	Curl string `json:"curl,omitempty"`
}

// maxFailures caps how many failures one check lists; the rest are counted.
const maxFailures = 12

// Result is how one check went.
type Result struct {
	Name        string    `json:"name"`
	Family      string    `json:"family"`
	Description string    `json:"description"`
	Status      Status    `json:"status"`
	Reason      string    `json:"reason,omitempty"`
	Failures    []Failure `json:"failures,omitempty"`
	// More counts failures beyond the ones listed.
	More int `json:"more_failures,omitempty"`
	// Notes say how the check covered the population, e.g. that it sampled.
	Notes    []string      `json:"notes,omitempty"`
	Sampled  bool          `json:"sampled,omitempty"`
	Requests int           `json:"requests"`
	Duration time.Duration `json:"-"`
	// DurationMS is Duration in milliseconds, for the JSON report.
	DurationMS float64 `json:"duration_ms"`
}

// T is what a check runs with: a client bound to the check's result.
type T struct {
	ctx context.Context
	run *runner
	res *Result
}

// abort ends a check early; the runner recovers it.
type abort struct{}

// Get sends r. A schema violation in the exchange is recorded as a failure. When the budget is
// spent the check ends as skipped; when the target stops answering it ends as failed.
func (t *T) Get(r Request) *Exchange {
	ex, err := t.run.client.Do(t.ctx, r)
	t.res.Requests++
	switch {
	case errors.Is(err, ErrBudget):
		t.res.Status = Skip
		t.res.Reason = fmt.Sprintf("request budget of %d exhausted; raise --max-requests", t.run.cfg.MaxRequests)
		panic(abort{})
	case err != nil:
		msg := "GET " + t.run.client.URL(r) + ": " + err.Error()
		t.record(nil, msg)
		if errors.Is(err, ErrUnreachable) {
			// Losing the target is what the run stops on, so it is the reason given.
			t.run.lost = err
			t.res.Reason = msg
		}
		panic(abort{})
	}
	if ex.SchemaErr != nil {
		t.Errorf(ex, "schema: %v", ex.SchemaErr)
	}
	// Every list answer goes through here, so its envelope is checked whatever check asked
	// for it and whatever page it is: first, full, short last, or past the end.
	if ex.Status == http.StatusOK {
		if res := t.run.listOf(r.Path); res != nil {
			t.checkEnvelope(res, ex)
		}
	}
	return ex
}

// List gets res's list with query q; anything but a 200 with the envelope ends the check.
func (t *T) List(res *resource, cred Cred, q url.Values) (*Exchange, *listPage) {
	ex := t.Get(Request{Path: res.list, Query: q.Encode(), Cred: cred})
	if ex.Status != http.StatusOK {
		t.Fatalf(ex, "status %d, want 200: %s", ex.Status, clip(string(ex.Body), 200))
	}
	if ex.pageErr != nil {
		t.Fatalf(ex, "%v", ex.pageErr)
	}
	return ex, ex.page
}

// Errorf records a failure shown by ex (nil when no single request shows it).
func (t *T) Errorf(ex *Exchange, format string, args ...any) {
	t.record(ex, fmt.Sprintf(format, args...))
}

// Fatalf records a failure and ends the check.
func (t *T) Fatalf(ex *Exchange, format string, args ...any) {
	t.Errorf(ex, format, args...)
	panic(abort{})
}

// Skipf ends the check as skipped, saying why.
func (t *T) Skipf(format string, args ...any) {
	t.res.Status = Skip
	t.res.Reason = fmt.Sprintf(format, args...)
	panic(abort{})
}

// Sampled notes that the check covered part of the population, and how.
func (t *T) Sampled(format string, args ...any) {
	t.res.Sampled = true
	t.res.Notes = append(t.res.Notes, "sampled: "+fmt.Sprintf(format, args...))
}

// Notef adds a note to the result.
func (t *T) Notef(format string, args ...any) {
	t.res.Notes = append(t.res.Notes, fmt.Sprintf(format, args...))
}

// Failed reports whether the check has failed so far.
func (t *T) Failed() bool { return t.res.Status == Fail }

// fixedCost is about what the checks whose cost does not grow with the population need
// together, users and orders (auth, envelope, the partition counts, the time range
// bisections, validation, detail and tenant lookups, repeatability). The rest of the budget is
// shared by the checks that walk or sample the population, each taking its share below.
const fixedCost = 480

// The shares of the walking budget (MaxRequests - fixedCost) each check that walks or samples
// the population plans with. They add up to at most 1, so every check gets its share whatever
// ran before it; what a check needs beyond its share it samples, and says so. With the default
// budget the users' shares cover a population of 1,000 in full.
const (
	shareUserWalk          = 0.36
	shareUserFilteredWalk  = 0.07
	shareUserReverse       = 0.045 // each sort key
	shareUserSample        = 0.025
	shareUserTenants       = 0.045
	shareUserFilterProduct = 0.03
	shareUserFilterKyc     = 0.05
	shareUserFilterAnd     = 0.01
	shareOrderWalk         = 0.10
	shareOrderFilteredWalk = 0.04
	shareOrderReverse      = 0.04
	shareOrderSample       = 0.04
	shareOrderFilter       = 0.015 // each of side, product, status, and, user_account_id
	shareOrderTenants      = 0.015
)

// allShares lists every share as checks take them, for the test that they fit.
var allShares = []float64{
	shareUserWalk, shareUserFilteredWalk, shareUserReverse, shareUserReverse, shareUserSample,
	shareUserTenants, shareUserFilterProduct, shareUserFilterKyc, shareUserFilterAnd,
	shareOrderWalk, shareOrderFilteredWalk, shareOrderReverse, shareOrderSample,
	shareOrderFilter, shareOrderFilter, shareOrderFilter, shareOrderFilter, shareOrderFilter,
	shareOrderTenants,
}

// Allowance is how many requests a check that walks the population may plan for: its share of
// the budget left after the fixed-cost checks, and no more than what is left in fact.
func (t *T) Allowance(share float64) int {
	n := int(share * float64(max(0, t.run.cfg.MaxRequests-fixedCost)))
	if r := t.run.client.Remaining(); n > r {
		n = r
	}
	return n
}

func (t *T) record(ex *Exchange, msg string) {
	t.res.Status = Fail
	if len(t.res.Failures) >= maxFailures {
		t.res.More++
		return
	}
	f := Failure{Message: msg}
	if ex != nil {
		f.Curl = curlLine(ex)
	}
	t.res.Failures = append(t.res.Failures, f)
}
