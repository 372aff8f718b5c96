package contract

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/cryptofi/partner-mock/spec"
)

// Probe is one request of the drift probe set.
type Probe struct {
	Name    string  `json:"name"`
	Request Request `json:"-"`
}

// Probes returns the drift probe set: auth, paths, bad parameters and edge cases, all GET, for
// the users and, when the document declares them, the orders endpoints. Every probe's answer is
// independent of the population except for the 200s, whose data the drift report does not
// compare.
func Probes(s *spec.Spec) []Probe {
	list := func(name, query string, cred Cred) Probe {
		return Probe{Name: name, Request: Request{Path: usersList, Query: query, Cred: cred, OffSpec: true}}
	}
	path := func(name, p string, cred Cred) Probe {
		return Probe{Name: name, Request: Request{Path: p, Query: "", Cred: cred, OffSpec: true}}
	}
	ps := []Probe{
		list("auth: missing key", "", CredNone),
		list("auth: empty key", "", CredEmpty),
		list("auth: unknown key", "", CredUnknown),
		list("auth: missing key wins over bad params", "per_page=0&sort_order=x", CredNone),
		list("auth: unknown key wins over bad params", "per_page=0", CredUnknown),
		path("auth: detail without key", "/users/"+probeID+"/", CredNone),
		{Name: "path: list without slash", Request: Request{Path: "/users", Query: "per_page=1", Cred: CredPrimary, OffSpec: true}},
		path("path: detail without slash", "/users/"+probeID, CredNone),
		path("path: unknown", "/contract-suite-no-such-path", CredPrimary),
		path("path: unknown nested", "/users/a/b/", CredPrimary),
		path("path: empty id", "/users//", CredPrimary),
		path("path: unknown user", "/users/"+probeID+"/", CredPrimary),
		list("edge: user filter matches nothing", "user_account_id="+probeID, CredPrimary),
		list("edge: empty user filter", "user_account_id=", CredPrimary),
		list("edge: cursor far past the end", "last_record_number=1000000000", CredPrimary),
		list("edge: cursor beyond 64 bits", "last_record_number=99999999999999999999", CredPrimary),
		list("edge: repeated parameter, last wins", "per_page=1&per_page=3&user_account_id="+probeID, CredPrimary),
		list("edge: unknown parameter ignored", "no_such_param=1&user_account_id="+probeID, CredPrimary),
		list("edge: every field wrong", "sort_key=zz&sort_order=zz&last_record_number=-2&per_page=1000&created_at_end=zz&created_at_start=zz&robo_kyc_status=zz&roth_ira_kyc_status=zz&securities_kyc_status=zz&crypto_kyc_status=zz&product=zz", CredPrimary),
		list("edge: three errors in field order", "sort_order=x&per_page=0&product=y", CredPrimary),
	}
	ps = append(ps, paramProbes("", newUsers(s))...)
	if orders := newOrders(s); orders != nil {
		ps = append(ps, ordersProbes(orders)...)
	}
	return ps
}

// ordersProbes are the drift probes of the orders endpoints, named "orders ...": the
// captures' cases and one probe per bad value of each parameter.
func ordersProbes(res *resource) []Probe {
	list := func(name, query string, cred Cred) Probe {
		return Probe{Name: "orders " + name, Request: Request{Path: res.list, Query: query, Cred: cred, OffSpec: true}}
	}
	path := func(name, p string, cred Cred) Probe {
		return Probe{Name: "orders " + name, Request: Request{Path: p, Query: "", Cred: cred, OffSpec: true}}
	}
	ps := []Probe{
		list("auth: missing key", "", CredNone),
		list("auth: empty key", "", CredEmpty),
		list("auth: unknown key", "", CredUnknown),
		list("auth: missing key wins over bad params", "side=hold&per_page=0", CredNone),
		list("auth: unknown key wins over bad params", "status=done", CredUnknown),
		path("auth: detail without key", res.detail(probeID), CredNone),
		path("auth: detail with an unknown key", res.detail(probeID), CredUnknown),
		{Name: "orders path: list without slash", Request: Request{Path: strings.TrimSuffix(res.list, "/"), Query: "side=buy", Cred: CredPrimary, OffSpec: true}},
		path("path: detail without slash", strings.TrimSuffix(res.detail(probeID), "/"), CredNone),
		path("path: unknown nested", res.detail("abc")+"fills/", CredPrimary),
		path("path: empty id", res.list+"/", CredPrimary),
		path("path: unknown order", res.detail(probeID), CredPrimary),
		list("edge: user filter matches nothing", "user_account_id="+probeID, CredPrimary),
		list("edge: empty user filter", "user_account_id=", CredPrimary),
		list("edge: cursor far past the end", "last_record_number=1000000000&user_account_id="+probeID, CredPrimary),
		list("edge: sort_key is not a parameter of the order list", "sort_key=zz&user_account_id="+probeID, CredPrimary),
		list("edge: every field wrong", "product=x&side=y&status=z&placed_at_start=a&placed_at_end=b&per_page=c&last_record_number=d&sort_order=e", CredPrimary),
		list("edge: three errors in field order", "sort_order=x&per_page=0&side=y", CredPrimary),
	}
	return append(ps, paramProbes("orders ", res)...)
}

// paramProbes sends each parameter of res's list its bad and borderline values, one probe
// each, filtered to no record so the 200s carry no population data.
func paramProbes(prefix string, res *resource) []Probe {
	var ps []Probe
	for _, p := range res.params {
		var values []string
		switch p.Kind {
		case spec.KindInteger:
			values = []string{"0", "-1", "101", "1000", "abc", "2.5", "", "1e2", "0x10", " 7 ", "1_0", "10.0", "+5", "1__0"}
		case spec.KindEnum:
			values = []string{"no-such-value", "", strings.ToUpper(p.Enum[0]), " " + p.Enum[0]}
		case spec.KindDateTime:
			values = []string{"notadate", "", "abc", "2025-13-01", "2025/01/01", "2025-01-01T25:00:00", "2025-02-30",
				"2025-01-01", "2025-01-01 00:00", "2025-01-01T00:00:00+0100", "1700000000", "1700000000000", "2025-01-01T00:00:00.1234567Z"}
		case spec.KindString:
			if p.Name == "sort_key" {
				values = []string{"no_such_key", "", "CREATED_AT"}
			}
		}
		for _, v := range values {
			q := url.Values{p.Name: {v}}
			if p.Name != "user_account_id" {
				q.Set("user_account_id", probeID)
			}
			ps = append(ps, Probe{Name: fmt.Sprintf("%sparam: %s=%q", prefix, p.Name, v),
				Request: Request{Path: res.list, Query: q.Encode(), Cred: CredPrimary, OffSpec: true}})
		}
	}
	return ps
}

// Target is one side of a drift comparison.
type Target struct {
	BaseURL string
	APIKey  string
}

// Difference is one way the two targets answered a probe differently.
type Difference struct {
	Probe string `json:"probe"`
	// What differs: "status", "header <name>", "body".
	What  string `json:"what"`
	A     string `json:"a"`
	B     string `json:"b"`
	CurlA string `json:"curl_a"`
	CurlB string `json:"curl_b"`
}

// DriftReport lists every difference between two targets' answers to the probe set.
type DriftReport struct {
	A           string       `json:"a"`
	B           string       `json:"b"`
	Probes      int          `json:"probes"`
	Requests    int          `json:"requests"`
	Differences []Difference `json:"differences"`
	// probeNames are the probes in the order they were sent.
	probeNames []string
	Duration   time.Duration `json:"-"`
	DurationMS float64       `json:"duration_ms"`
}

// OK reports whether the targets agreed on every probe.
func (d *DriftReport) OK() bool { return len(d.Differences) == 0 }

// driftHeaders are the headers whose differences matter to a client.
var driftHeaders = []string{"Content-Type", "Www-Authenticate", "Allow", "Location"}

// Drift sends the probe set to cfg's target (A) and to other (B) and lists every difference in
// status, relevant headers and error bodies. cfg's budget, rate and timeout apply to each
// target; cfg.APIKey2 is not used.
func Drift(ctx context.Context, cfg Config, other Target) (*DriftReport, error) {
	cfgB := cfg
	cfgB.BaseURL, cfgB.APIKey, cfgB.APIKey2 = other.BaseURL, other.APIKey, ""
	cfg.APIKey2 = ""
	cfg, err := cfg.normalized()
	if err != nil {
		return nil, err
	}
	cfgB, err = cfgB.normalized()
	if err != nil {
		var cerr *ConfigError
		if errors.As(err, &cerr) {
			for i, p := range cerr.Problems {
				cerr.Problems[i] = "compare target: " + p
			}
		}
		return nil, err
	}
	ca, err := newClient(cfg)
	if err != nil {
		return nil, &ConfigError{Problems: []string{err.Error()}}
	}
	cb, err := newClient(cfgB)
	if err != nil {
		return nil, &ConfigError{Problems: []string{"compare target: " + err.Error()}}
	}
	rd := newRedactor(cfg.APIKey, cfgB.APIKey)
	start := time.Now()
	probes := Probes(cfg.Spec)
	rep := &DriftReport{A: cfg.BaseURL, B: cfgB.BaseURL, Probes: len(probes), Differences: []Difference{}}
	for _, p := range probes {
		rep.probeNames = append(rep.probeNames, p.Name)
		a, err := ca.Do(ctx, p.Request)
		if err != nil {
			return nil, redactError(fmt.Errorf("%s: %w", cfg.BaseURL, err), rd)
		}
		b, err := cb.Do(ctx, p.Request)
		if err != nil {
			return nil, redactError(fmt.Errorf("%s: %w", cfgB.BaseURL, err), rd)
		}
		for _, d := range compareExchanges(a, b) {
			d.Probe = p.Name
			d.CurlA = rd.String(curlLineWith(a, EnvKey))
			d.CurlB = rd.String(curlLineWith(b, EnvCompareKey))
			d.A, d.B = rd.String(d.A), rd.String(d.B)
			rep.Differences = append(rep.Differences, d)
		}
	}
	rep.Requests = ca.Sent() + cb.Sent()
	rep.Duration = time.Since(start)
	rep.DurationMS = ms(rep.Duration)
	return rep, nil
}

// compareExchanges lists how two answers to the same probe differ. Locations are compared by
// path and query (the hosts differ by nature); 200 bodies by envelope (the data differs by
// nature); error bodies exactly.
func compareExchanges(a, b *Exchange) []Difference {
	var out []Difference
	if a.Status != b.Status {
		out = append(out, Difference{What: "status", A: fmt.Sprint(a.Status), B: fmt.Sprint(b.Status)})
	}
	for _, h := range driftHeaders {
		va, vb := a.Header.Get(h), b.Header.Get(h)
		if h == "Location" {
			va, vb = pathAndQuery(va), pathAndQuery(vb)
		}
		if va != vb {
			out = append(out, Difference{What: "header " + strings.ToLower(h), A: va, B: vb})
		}
	}
	if a.Status != b.Status {
		return out // the bodies of different statuses differ by nature
	}
	if a.Status == http.StatusOK {
		if ea, eb := envelopeShape(a.Body), envelopeShape(b.Body); ea != eb {
			out = append(out, Difference{What: "body (envelope)", A: ea, B: eb})
		}
		return out
	}
	if string(a.Body) != string(b.Body) {
		what := "body"
		if jsonEqual(canonical(a.Body), canonical(b.Body)) {
			what = "body (same JSON, different bytes)"
		}
		out = append(out, Difference{What: what, A: clip(string(a.Body), 600), B: clip(string(b.Body), 600)})
	}
	return out
}

func pathAndQuery(loc string) string {
	u, err := url.Parse(loc)
	if err != nil || loc == "" {
		return loc
	}
	return u.RequestURI()
}

// envelopeShape describes a list body without its data: keys in order, per_page, and the
// cursor when there are no items. total_records is the population's, so it is left out.
func envelopeShape(body []byte) string {
	var keys []string
	dec := json.NewDecoder(strings.NewReader(string(body)))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return "not a JSON object"
	}
	vals := map[string]json.RawMessage{}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return "malformed JSON"
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return "malformed JSON"
		}
		keys = append(keys, fmt.Sprint(k))
		vals[fmt.Sprint(k)] = v
	}
	s := "keys " + strings.Join(keys, ",") + " per_page " + string(vals["per_page"])
	if items := string(vals["items"]); items == "[]" {
		s += " items [] last_record_number " + string(vals["last_record_number"])
	}
	return s
}

func canonical(b []byte) []byte {
	var v any
	if json.Unmarshal(b, &v) != nil {
		return b
	}
	out, _ := json.Marshal(v)
	return out
}

// WriteSummary writes the drift report readably: each difference with both answers and the
// curl lines to see them.
func (d *DriftReport) WriteSummary(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "drift: %d probes sent to A %s and B %s\n", d.Probes, d.A, d.B)
	for _, x := range d.Differences {
		fmt.Fprintf(&b, "\nDIFF %s: %s\n  A: %s\n  B: %s\n  reproduce A: %s\n  reproduce B: %s\n", x.Probe, x.What, x.A, x.B, x.CurlA, x.CurlB)
	}
	fmt.Fprintf(&b, "\n%d difference(s) over %d probes; %d requests in %s\n", len(d.Differences), d.Probes, d.Requests, d.Duration.Round(time.Millisecond))
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteJSON writes the drift report as indented JSON.
func (d *DriftReport) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(d)
}

// WriteJUnit writes the drift report as JUnit XML: one testcase per probe, failing when the
// targets disagree on it.
func (d *DriftReport) WriteJUnit(w io.Writer) error {
	byProbe := map[string][]Difference{}
	for _, x := range d.Differences {
		byProbe[x.Probe] = append(byProbe[x.Probe], x)
	}
	r := &Report{Target: d.A, Duration: d.Duration}
	for _, name := range d.probeNames {
		res := Result{Name: name, Family: "drift", Description: "A and B answer alike", Status: Pass}
		for _, x := range byProbe[name] {
			res.Status = Fail
			res.Failures = append(res.Failures, Failure{Message: fmt.Sprintf("%s: A %s, B %s", x.What, x.A, x.B), Curl: x.CurlA})
		}
		if len(res.Failures) > 0 {
			res.Reason = res.Failures[0].Message
		}
		r.Checks = append(r.Checks, res)
	}
	return r.WriteJUnit(w)
}
