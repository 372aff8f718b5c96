package contract

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/cryptofi/partner-mock/spec"
)

// Report is the outcome of a suite run.
type Report struct {
	Target      string   `json:"target"`
	SecondKey   bool     `json:"second_key"`
	MaxRequests int      `json:"max_requests"`
	Requests    int      `json:"requests"`
	Population  int64    `json:"population"`
	Checks      []Result `json:"checks"`
	Passed      int      `json:"passed"`
	Failed      int      `json:"failed"`
	Skipped     int      `json:"skipped"`
	// Sampled is true when some check covered only part of the population.
	Sampled bool `json:"sampled"`
	// Window says which records the checks that walk or compare answers looked at: those
	// created or placed before an instant fixed at the start of the run, so that records a
	// live server adds meanwhile do not move what they compare.
	Window     string        `json:"window,omitempty"`
	Duration   time.Duration `json:"-"`
	DurationMS float64       `json:"duration_ms"`
}

// OK reports whether no check failed.
func (r *Report) OK() bool { return r.Failed == 0 }

// Checks returns every check of the suite, in the order it runs them.
func Checks() []Check {
	users := usersOf
	var all []Check
	for _, family := range [][]Check{
		schemaChecks(users, "user", "schema"),
		authChecks(users, "user", "auth"),
		envelopeChecks(users, "user", "envelope"),
		pagingChecks(users, "user", "paging", shareUserWalk, shareUserFilteredWalk),
		orderingChecks, filterChecks,
		timeRangeChecks(users, "user", "created_at", "timerange"),
		moneyChecks,
		validationChecks(users, "user", "validation"),
		tenantChecks, repeatChecks,
		ordersChecks(),
	} {
		all = append(all, family...)
	}
	return all
}

// runner holds what the checks of one run share.
type runner struct {
	cfg    Config
	spec   *spec.Spec
	client *client
	redact redactor

	// users and orders are the collections the checks run on; orders is nil when the
	// document has no orders endpoints.
	users, orders *resource

	// population is the primary FI's user count, from the preflight request.
	population int64
	// sample memoizes the user objects the money checks inspect.
	sample     []sampledUser
	sampleNote string
	// lost is set when the target stopped answering during the run.
	lost error
	// probes memoizes, per resource, the record whose exact time the time range checks
	// found.
	probes map[string]probeRecord
	// orderTotal is the number of orders in the run's window, once asked; orderSample and
	// windows memoize the orders the field, relation and filter checks inspect.
	orderTotal      *int64
	orderSample     []sampledOrder
	orderSampleNote string
	windows         []orderWindow
	// orderUsers memoizes the users of the sampled orders the relation checks found, and
	// the ids the FI answered 404 for.
	orderUsers        map[string]*user
	orderUsersMissing map[string]*Exchange
	orderUsersNote    string
	// win is the end of the run's window (see T.window), once found; winNote says how.
	win     *time.Time
	winNote string
}

type sampledUser struct {
	raw []byte
	ex  *Exchange
}

// Run runs the suite against cfg.BaseURL. It returns a *ConfigError for a bad config or a key
// the target rejects, an error wrapping ErrUnreachable when the target does not answer, and
// otherwise a Report (which may list failures). When the target stops answering during the
// run, Run stops and returns both the report so far and the error.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	cfg, err := cfg.normalized()
	if err != nil {
		return nil, err
	}
	c, err := newClient(cfg)
	if err != nil {
		return nil, &ConfigError{Problems: []string{err.Error()}}
	}
	r := &runner{cfg: cfg, spec: cfg.Spec, client: c, redact: newRedactor(cfg.APIKey, cfg.APIKey2),
		users: newUsers(cfg.Spec), orders: newOrders(cfg.Spec), probes: map[string]probeRecord{}}
	start := time.Now()
	if err := r.preflight(ctx); err != nil {
		return nil, redactError(err, r.redact)
	}
	rep := &Report{Target: cfg.BaseURL, SecondKey: cfg.APIKey2 != "", MaxRequests: cfg.MaxRequests, Population: r.population}
	var selected []Check
	for _, ch := range Checks() {
		if len(cfg.Only) == 0 || ch.matches(cfg.Only) {
			selected = append(selected, ch)
		}
	}
	for i, ch := range selected {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if cfg.Log != nil && cfg.LogLive {
			fmt.Fprint(cfg.Log, progressLabel(i, len(selected))+" RUN  "+ch.Name+" …")
		}
		var res Result
		if ch.matches(cfg.Skip) {
			res = Result{Name: ch.Name, Family: ch.Family, Description: ch.Description, Status: Skip, Reason: SkippedByFlag}
		} else {
			res = r.runCheck(ctx, ch)
		}
		rep.Checks = append(rep.Checks, res)
		switch {
		case r.lost != nil:
			rep.Failed++
		case res.Status == Pass:
			rep.Passed++
		case res.Status == Fail:
			rep.Failed++
		case res.Status == Skip:
			rep.Skipped++
		}
		rep.Sampled = rep.Sampled || res.Sampled
		if cfg.Log != nil {
			line := r.redact.String(progressLine(res, i, len(selected)))
			if cfg.LogLive {
				line = "\r\033[K" + line
			}
			fmt.Fprintln(cfg.Log, line)
		}
		if r.lost != nil {
			rep.Window = r.winNote
			rep.Requests = c.Sent()
			rep.Duration = time.Since(start)
			rep.DurationMS = ms(rep.Duration)
			redactReport(rep, r.redact)
			return rep, redactError(r.lost, r.redact)
		}
	}
	rep.Requests = c.Sent()
	rep.Duration = time.Since(start)
	rep.DurationMS = ms(rep.Duration)
	rep.Window = r.winNote
	redactReport(rep, r.redact)
	return rep, nil
}

// SkippedByFlag is the reason given for a check Config.Skip (--skip) left out.
const SkippedByFlag = "skipped by --skip"

// matches reports whether names lists the check or its family.
func (ch Check) matches(names []string) bool {
	return slices.Contains(names, ch.Name) || slices.Contains(names, ch.Family)
}

// preflight asks for one user with each key: it finds out whether the target answers, whether
// the keys and base URL are right, and how big the population is.
func (r *runner) preflight(ctx context.Context) error {
	ex, err := r.client.Do(ctx, Request{Path: "/users/", Query: "per_page=1", Cred: CredPrimary})
	if err != nil {
		return err
	}
	switch ex.Status {
	case http.StatusUnauthorized:
		return &ConfigError{Problems: []string{fmt.Sprintf("the target rejected the API key (GET %s answered 401 %s)", ex.URL, clip(string(ex.Body), 100))}}
	case http.StatusNotFound:
		return &ConfigError{Problems: []string{fmt.Sprintf("GET %s answered 404: the base URL must include the API's base path (e.g. .../v1)", ex.URL)}}
	case http.StatusOK:
		if p, err := decodeList(ex.Body); err == nil {
			r.population = p.TotalRecords
		} // else the checks report it
	}
	if r.cfg.APIKey2 == "" {
		return nil
	}
	ex, err = r.client.Do(ctx, Request{Path: "/users/", Query: "per_page=1", Cred: CredSecond})
	if err != nil {
		return err
	}
	if ex.Status == http.StatusUnauthorized {
		return &ConfigError{Problems: []string{fmt.Sprintf("the target rejected the second API key (GET %s answered 401 %s)", ex.URL, clip(string(ex.Body), 100))}}
	}
	return nil
}

// listOf returns the resource whose list path is path, or nil.
func (r *runner) listOf(path string) *resource {
	for _, res := range []*resource{r.users, r.orders} {
		if res != nil && res.isList(path) {
			return res
		}
	}
	return nil
}

func (r *runner) runCheck(ctx context.Context, ch Check) (res Result) {
	res = Result{Name: ch.Name, Family: ch.Family, Description: ch.Description, Status: Pass}
	start := time.Now()
	defer func() {
		if v := recover(); v != nil {
			if _, ok := v.(abort); !ok {
				panic(v)
			}
		}
		res.Duration = time.Since(start)
		res.DurationMS = ms(res.Duration)
		if res.Status == Fail && res.Reason == "" && len(res.Failures) > 0 {
			res.Reason = res.Failures[0].Message
		}
	}()
	if ch.NeedsSecondKey && r.cfg.APIKey2 == "" {
		res.Status = Skip
		res.Reason = "needs a second FI's key (--api-key-2 or PARTNER_API_KEY_2)"
		return res
	}
	t := &T{ctx: ctx, run: r, res: &res}
	ch.run(t)
	return res
}

// users returns the primary FI's user objects the money checks inspect, fetched once per run
// within the run's window: everyone when a walk fits the checks' allowance, otherwise the
// first pages in both orders, so the newest and the oldest users are covered.
func (t *T) users() []sampledUser {
	r := t.run
	if r.sample != nil {
		if r.sampleNote != "" {
			t.Sampled("%s", r.sampleNote)
		}
		return r.sample
	}
	res := r.users
	scope := t.scope(res, q())
	_, first := t.List(res, CredPrimary, with(scope, "per_page", "1"))
	total := first.TotalRecords
	if total == 0 {
		t.Skipf("the FI has no users to inspect in the run's window")
	}
	r.sample = []sampledUser{}
	if walkCost(total, 100) <= int64(t.Allowance(shareUserSample)) {
		w := walk(t, res, CredPrimary, q(), 100, 0)
		for i, raw := range w.items {
			r.sample = append(r.sample, sampledUser{raw: raw, ex: w.pageOf(i)})
		}
		return r.sample
	}
	const half = moneySample / 2
	for _, order := range []string{"desc", "asc"} {
		for cursor := 0; cursor < half; cursor += 100 {
			ex, p := t.List(res, CredPrimary, with(scope, "per_page", "100", "sort_order", order, "last_record_number", itoa(cursor)))
			for _, raw := range p.Items {
				r.sample = append(r.sample, sampledUser{raw: raw, ex: ex})
			}
		}
	}
	r.sampleNote = fmt.Sprintf("inspected %d of %d users (the newest and the oldest)", len(r.sample), total)
	t.Sampled("%s", r.sampleNote)
	return r.sample
}

func redactReport(rep *Report, rd redactor) {
	rep.Target = rd.String(rep.Target)
	rep.Window = rd.String(rep.Window)
	for i := range rep.Checks {
		c := &rep.Checks[i]
		c.Reason = rd.String(c.Reason)
		for j := range c.Failures {
			c.Failures[j].Message = rd.String(c.Failures[j].Message)
			c.Failures[j].Curl = rd.String(c.Failures[j].Curl)
		}
		for j := range c.Notes {
			c.Notes[j] = rd.String(c.Notes[j])
		}
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// redactError removes the keys from err's message, keeping what callers test for.
func redactError(err error, rd redactor) error {
	var cerr *ConfigError
	if errors.As(err, &cerr) {
		out := &ConfigError{}
		for _, p := range cerr.Problems {
			out.Problems = append(out.Problems, rd.String(p))
		}
		return out
	}
	if errors.Is(err, ErrUnreachable) {
		return fmt.Errorf("%w: %s", ErrUnreachable, rd.String(strings.TrimPrefix(err.Error(), ErrUnreachable.Error()+": ")))
	}
	return errors.New(rd.String(err.Error()))
}
