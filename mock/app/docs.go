package app

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/cryptofi/partner-mock/mock/internal/clock"
	"github.com/cryptofi/partner-mock/mock/internal/domain"
	"github.com/cryptofi/partner-mock/mock/internal/httpapi"
	"github.com/cryptofi/partner-mock/mock/internal/params"
	"github.com/cryptofi/partner-mock/mock/internal/query"
	"github.com/cryptofi/partner-mock/mock/internal/refdocs"
	"github.com/cryptofi/partner-mock/mock/internal/resource"
	"github.com/cryptofi/partner-mock/mock/internal/tenant"
	"github.com/cryptofi/partner-mock/spec"
)

// apiName is the API's name as its published docs write it.
const apiName = "Partner API"

// referencePage builds the /docs page: the API's name as its heading; the tenants' keys (in
// full only for the built-in demo tenants; a partner's keys are secrets and the page is served
// without a key); the values each resource's sort key accepts; and, for each resource, from
// the first tenant — the one whose key the curl lines use — an example and every other answer
// its operations give (401, 404, 422). The example is a pinned record when there is one (the
// docs' member-001 for the built-in tenants), else the first of the default list. Every body
// on the page is what a handler over the same resources, tenants and clock answers.
func referencePage(s *spec.Spec, source string, bound []*resource.Bound, tenants []*tenant.Tenant, builtin bool, clk *clock.Clock) (*refdocs.Page, error) {
	cfg := refdocs.Config{
		Title:    pageTitle(s),
		Source:   source,
		Examples: map[string]refdocs.Example{},
		Values:   map[string]map[string][]string{},
		Answers:  map[string][]refdocs.Answer{},
	}
	for _, t := range tenants {
		for _, k := range t.Config.APIKeys {
			if !builtin {
				k = ""
			}
			cfg.Keys = append(cfg.Keys, refdocs.Key{FIName: t.Config.FIName, Key: k, Users: t.World().UserLen() - countFuture(t, clk)})
		}
	}
	for _, b := range bound {
		if v := acceptedValues(b); v != nil {
			cfg.Values[b.ListPath()] = v
		}
	}
	if len(tenants) > 0 && len(tenants[0].Config.APIKeys) > 0 {
		t := tenants[0]
		pr, err := newProber(s, bound, tenants, clk, t.Config.APIKeys[0])
		if err != nil {
			return nil, fmt.Errorf("reference page: %w", err)
		}
		at := clk.Now(t.AsOf())
		for i, b := range bound {
			if err := addExamples(&cfg, pr, b, t, t.Collections[i].Now(), at); err != nil {
				return nil, fmt.Errorf("reference page: %w", err)
			}
		}
	}
	page, err := refdocs.New(s, cfg)
	if err != nil {
		return nil, fmt.Errorf("reference page: %w", err)
	}
	return page, nil
}

// pageTitle is the page's heading: the API's name where the document's title is that name in
// another letter case (FastAPI's "Partner api"), which the served document keeps; empty, so
// the page uses the document's title, for a document titled otherwise.
func pageTitle(s *spec.Spec) string {
	if s.Doc.Info != nil && strings.EqualFold(strings.TrimSpace(s.Doc.Info.Title), apiName) {
		return apiName
	}
	return ""
}

// countFuture returns the number of t's users who do not exist yet at the clock's time.
func countFuture(t *tenant.Tenant, clk *clock.Clock) int {
	users := t.Collections[0].Now()
	total, _ := users.Find(&query.Query{At: clk.Now(t.AsOf())}, nil)
	return users.View().Source().Len() - total
}

// acceptedValues returns the values the mock accepts for b's list parameters that the document
// types as a plain string, by name: the names of b's rankings for its sort key (the parameter
// the resource's rules give that role), which the document does not list.
func acceptedValues(b *resource.Bound) map[string][]string {
	// Bind is a pure reading of the operation; only its rules are wanted here, so the vocabulary
	// it adds to and the problems it reports (already reported at start-up) are dropped.
	_, rules, _ := b.Resource.Bind(b.List, &domain.Vocab{})
	for _, r := range rules {
		if r.Role != params.RoleSortKey {
			continue
		}
		if _, ok := b.List.Param(r.Name); !ok || len(b.Schema.Rankings) == 0 {
			continue
		}
		names := make([]string, len(b.Schema.Rankings))
		for i, rk := range b.Schema.Rankings {
			names[i] = rk.Name
		}
		return map[string][]string{r.Name: names}
	}
	return nil
}

// addExamples adds resource b's examples and answers, from tenant t at instant at: the list
// and detail of a record t has, and their 401s, the list's 422 and the detail's 404.
func addExamples(cfg *refdocs.Config, pr *prober, b *resource.Bound, t *tenant.Tenant, c resource.Snapshot, at int64) error {
	p, raw, ok := int32(0), "per_page=1", false
	if e, is := b.Resource.(resource.Exampler); is {
		p, raw, ok = e.Example(t.World())
	}
	if !ok || !c.View().Match(p, &query.Query{At: at}) {
		// The newest record, the first of the default list.
		_, page := c.Find(&query.Query{At: at, Desc: true, Limit: 1}, nil)
		if len(page) == 0 {
			return nil
		}
		p, raw = page[0], "per_page=1"
	}
	list := pr.base + b.ListPath()
	res := pr.get(list+"?"+raw, pr.key)
	if res.status != http.StatusOK {
		return fmt.Errorf("the example query %q of %s got %d: %s", raw, b.Name(), res.status, res.body)
	}
	cfg.Examples[b.ListPath()] = refdocs.Example{Query: raw, Body: res.body}
	answers, err := pr.authAnswers(list)
	if err != nil {
		return err
	}
	// An out-of-range page size says most, and a page size that is no number fails under any
	// document's bounds.
	invalid := false
	for _, q := range []string{"per_page=0", "per_page=x"} {
		if res := pr.get(list+"?"+q, pr.key); res.status == http.StatusUnprocessableEntity {
			answers = append(answers, res.answer("With invalid parameters (each one is reported, in the document's order), such as", "?"+q))
			invalid = true
			break
		}
	}
	if !invalid {
		return fmt.Errorf("no invalid page size of %s got a 422", b.Name())
	}
	cfg.Answers[b.ListPath()] = answers
	if b.Detail == nil {
		return nil
	}
	name := b.Detail.PathParams[0]
	detail := func(id string) string {
		return pr.base + strings.ReplaceAll(b.DetailPath(), "{"+name+"}", url.PathEscape(id))
	}
	id := c.View().Source().ID(p)
	res = pr.get(detail(id), pr.key)
	if res.status != http.StatusOK {
		return fmt.Errorf("the example %s %q got %d: %s", b.Name(), id, res.status, res.body)
	}
	cfg.Examples[b.DetailPath()] = refdocs.Example{PathParams: map[string]string{name: url.PathEscape(id)}, Body: res.body}
	if answers, err = pr.authAnswers(detail(id)); err != nil {
		return err
	}
	missing := false
	for i := range 10 {
		unknown := "no-such-id"
		if i > 0 {
			unknown += fmt.Sprint("-", i)
		}
		if res := pr.get(detail(unknown), pr.key); res.status == http.StatusNotFound {
			answers = append(answers, res.answer("With an id the key's FI does not have, such as", detail(unknown)))
			missing = true
			break
		}
	}
	if !missing {
		return fmt.Errorf("no unknown id of %s got a 404", b.Name())
	}
	if b.Detail.Doc.Responses != nil && b.Detail.Doc.Responses.Value("422") != nil {
		// FastAPI lists a 422 for every operation; the detail's only parameter is the id in the
		// path, a string, so none is invalid.
		answers = append(answers, refdocs.Answer{Status: http.StatusUnprocessableEntity,
			When: "Listed by the document, but never given here: the only parameter is the id in the path, and any id is valid."})
	}
	cfg.Answers[b.DetailPath()] = answers
	return nil
}

// prober asks a handler over the mock's resources, tenants and clock for its answers, so that
// the page shows what the mock sends rather than a copy of it.
type prober struct {
	handler http.Handler
	tenants *tenant.Registry
	// base is the document's base path; key is a key of the tenant the examples come from.
	base, key string
}

func newProber(s *spec.Spec, bound []*resource.Bound, tenants []*tenant.Tenant, clk *clock.Clock, key string) (*prober, error) {
	reg := tenant.NewRegistry(tenants)
	h, err := httpapi.New(s, bound, reg, httpapi.Config{Clock: clk, Strict: true})
	if err != nil {
		return nil, err
	}
	return &prober{handler: h, tenants: reg, base: s.BasePath, key: key}, nil
}

// probed is one answer of the handler.
type probed struct {
	status int
	header http.Header
	body   []byte
}

// get sends GET target with key in x-api-key (none when key is empty).
func (pr *prober) get(target, key string) probed {
	req, err := http.NewRequest(http.MethodGet, "http://partner-mock"+target, nil)
	if err != nil {
		return probed{status: http.StatusBadRequest, body: []byte(err.Error())}
	}
	if key != "" {
		req.Header.Set("x-api-key", key)
	}
	rec := &recorder{header: http.Header{}}
	pr.handler.ServeHTTP(rec, req)
	return probed{status: rec.status, header: rec.header, body: rec.body.Bytes()}
}

// authAnswers returns the two 401s of target: without a key, and with one no tenant has.
func (pr *prober) authAnswers(target string) ([]refdocs.Answer, error) {
	unknown := "not-a-partner-key"
	for {
		if _, taken := pr.tenants.Lookup(unknown); !taken {
			break
		}
		unknown += "-x"
	}
	var out []refdocs.Answer
	for _, c := range []struct{ key, when string }{
		{"", "Without a key, or with an empty one."},
		{unknown, "With a key the mock does not know."},
	} {
		res := pr.get(target, c.key)
		if res.status != http.StatusUnauthorized {
			return nil, fmt.Errorf("GET %s with key %q got %d, not 401", target, c.key, res.status)
		}
		out = append(out, res.answer(c.when, ""))
	}
	return out, nil
}

// answer describes the probed answer for the page, with the headers a client should know of:
// all but the content type and length, which every JSON answer has.
func (p probed) answer(when, request string) refdocs.Answer {
	var headers []string
	for name, values := range p.header {
		switch http.CanonicalHeaderKey(name) {
		case "Content-Type", "Content-Length":
			continue
		}
		for _, v := range values {
			headers = append(headers, strings.ToLower(name)+": "+v)
		}
	}
	sort.Strings(headers)
	return refdocs.Answer{Status: p.status, When: when, Request: request, Headers: headers, Body: p.body}
}

// recorder is the http.ResponseWriter the prober's requests are answered into.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	r.WriteHeader(http.StatusOK)
	return r.body.Write(b)
}
