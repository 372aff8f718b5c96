package app

import (
	"fmt"
	"math/big"
	"net/url"
	"strconv"

	"github.com/cryptofi/partner-mock/mock/internal/domain"
	"github.com/cryptofi/partner-mock/mock/internal/engine"
	"github.com/cryptofi/partner-mock/mock/internal/refdocs"
	"github.com/cryptofi/partner-mock/mock/internal/render"
	"github.com/cryptofi/partner-mock/mock/internal/tenant"
	"github.com/cryptofi/partner-mock/spec"
)

// referencePage builds the /docs page: the tenants' keys (in full only for the built-in demo
// tenants; a partner's keys are secrets and the page is served without a key) and, as the
// example, the first pinned user of the first tenant that has one — the docs' member-001 for
// the built-in tenants — or else that tenant's first user in the default order.
func referencePage(s *spec.Spec, source string, tenants []*tenant.Tenant, pinned [][]domain.User, builtin bool) (*refdocs.Page, error) {
	cfg := refdocs.Config{Source: source}
	for _, t := range tenants {
		for _, k := range t.Config.APIKeys {
			if !builtin {
				k = ""
			}
			cfg.Keys = append(cfg.Keys, refdocs.Key{FIName: t.Config.FIName, Key: k, Users: t.Index.Len()})
		}
	}
	if u := exampleUser(tenants, pinned); u != nil {
		cfg.Examples = examples(s, u)
	}
	page, err := refdocs.New(s, cfg)
	if err != nil {
		return nil, fmt.Errorf("reference page: %w", err)
	}
	return page, nil
}

func exampleUser(tenants []*tenant.Tenant, pinned [][]domain.User) *domain.User {
	if len(tenants) == 0 {
		return nil
	}
	// The example must come from the tenant whose key the curl lines use: the first one.
	t := tenants[0]
	if len(pinned) > 0 && len(pinned[0]) > 0 {
		if u, ok := t.Index.Get(pinned[0][0].ID); ok {
			return u
		}
	}
	if users := t.Index.Users(engine.SortKeys[0]); len(users) > 0 {
		return users[0]
	}
	return nil
}

// examples are the requests the page's curl lines make for u, with the bodies the mock answers:
// the list filtered to u (one item, so total_records and the cursor are 1) and u's detail.
func examples(s *spec.Spec, u *domain.User) map[string]refdocs.Example {
	perPage := 0
	if p, ok := s.Param("per_page"); ok {
		perPage, _ = strconv.Atoi(p.Default)
	}
	list := render.AppendList(nil, []*domain.User{u}, render.ListEnvelope{
		Total: 1, LastRecordNumber: big.NewInt(0), Returned: 1, PerPage: perPage,
	}, render.AppendUser)
	return map[string]refdocs.Example{
		spec.ListPath:   {Query: "user_account_id=" + url.QueryEscape(u.ID), Body: list},
		spec.DetailPath: {PathParams: map[string]string{"user_account_id": url.PathEscape(u.ID)}, Body: render.AppendUser(nil, u)},
	}
}
