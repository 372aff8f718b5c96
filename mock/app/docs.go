package app

import (
	"fmt"
	"math/big"
	"net/url"

	"github.com/cryptofi/partner-mock/mock/internal/clock"
	"github.com/cryptofi/partner-mock/mock/internal/query"
	"github.com/cryptofi/partner-mock/mock/internal/refdocs"
	"github.com/cryptofi/partner-mock/mock/internal/render"
	"github.com/cryptofi/partner-mock/mock/internal/resource"
	"github.com/cryptofi/partner-mock/mock/internal/tenant"
	"github.com/cryptofi/partner-mock/spec"
)

// referencePage builds the /docs page: the tenants' keys (in full only for the built-in demo
// tenants; a partner's keys are secrets and the page is served without a key) and, for each
// resource, an example from the first tenant — the one whose key the curl lines use: a pinned
// record when there is one (the docs' member-001 for the built-in tenants), else the first of
// the default list, with the answers the mock gives to the curl lines.
func referencePage(s *spec.Spec, source string, bound []*resource.Bound, tenants []*tenant.Tenant, builtin bool, clk *clock.Clock) (*refdocs.Page, error) {
	cfg := refdocs.Config{Source: source, Examples: map[string]refdocs.Example{}}
	for _, t := range tenants {
		for _, k := range t.Config.APIKeys {
			if !builtin {
				k = ""
			}
			cfg.Keys = append(cfg.Keys, refdocs.Key{FIName: t.Config.FIName, Key: k, Users: len(t.World.Users) - countFuture(t, clk)})
		}
	}
	if len(tenants) > 0 {
		t := tenants[0]
		at := clk.Now(t.World.AsOf)
		for i, b := range bound {
			if err := addExamples(cfg.Examples, b, t, t.Collections[i].Now(), at); err != nil {
				return nil, err
			}
		}
	}
	page, err := refdocs.New(s, cfg)
	if err != nil {
		return nil, fmt.Errorf("reference page: %w", err)
	}
	return page, nil
}

// countFuture returns the number of t's users who do not exist yet at the clock's time.
func countFuture(t *tenant.Tenant, clk *clock.Clock) int {
	users := t.Collections[0].Now()
	total, _ := users.Find(&query.Query{At: clk.Now(t.World.AsOf)}, nil)
	return users.View().Source().Len() - total
}

// addExamples adds resource b's list and detail examples from tenant t at instant at.
func addExamples(ex map[string]refdocs.Example, b *resource.Bound, t *tenant.Tenant, c resource.Snapshot, at int64) error {
	p, raw, ok := int32(0), "per_page=1", false
	if e, is := b.Resource.(resource.Exampler); is {
		p, raw, ok = e.Example(t.World)
	}
	if !ok || !c.View().Match(p, &query.Query{At: at}) {
		// The newest record, the first of the default list.
		_, page := c.Find(&query.Query{At: at, Desc: true, Limit: 1}, nil)
		if len(page) == 0 {
			return nil
		}
		p, raw = page[0], "per_page=1"
	}
	req, errs := b.Parser.Parse(raw)
	if errs != nil {
		return fmt.Errorf("reference page: the example query %q of %s is invalid: %v", raw, b.Name(), errs)
	}
	req.Query.At = at
	total, page := c.Find(&req.Query, nil)
	list := c.AppendList(nil, page, render.Envelope{Total: total, LastRecordNumber: big.NewInt(0), Returned: len(page), PerPage: req.PerPage}, at)
	ex[b.ListPath()] = refdocs.Example{Query: raw, Body: list}
	if b.Detail != nil {
		id := c.View().Source().ID(p)
		ex[b.DetailPath()] = refdocs.Example{PathParams: map[string]string{b.Detail.PathParams[0]: url.PathEscape(id)}, Body: c.AppendItem(nil, p, at)}
	}
	return nil
}
