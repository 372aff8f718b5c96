package tenant

import (
	"fmt"
	"sync"

	"github.com/cryptofi/partner-mock/mock/domain"
	"github.com/cryptofi/partner-mock/mock/engine"
	"github.com/cryptofi/partner-mock/mock/gen"
	"github.com/cryptofi/partner-mock/spec"
)

// Tenant is one FI's population, ready to serve.
type Tenant struct {
	Config TenantConfig
	Index  *engine.Index
	// Pinned is the number of pinned users in the population.
	Pinned int
}

// ReadFile reads a file named in a config (pinned users), relative to the config.
type ReadFile func(name string) ([]byte, error)

// Build generates every tenant of cfg, concurrently. The result does not depend on scheduling:
// each population is a pure function of its config and the generator version.
func Build(s *spec.Spec, cfg *Config, read ReadFile) ([]*Tenant, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	out := make([]*Tenant, len(cfg.Tenants))
	errs := make([]error, len(cfg.Tenants))
	var wg sync.WaitGroup
	for i := range cfg.Tenants {
		wg.Go(func() {
			out[i], errs[i] = buildOne(s, cfg.Tenants[i], read)
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func buildOne(s *spec.Spec, tc TenantConfig, read ReadFile) (*Tenant, error) {
	var pinned []domain.User
	if tc.PinnedUsers != "" {
		data, err := read(tc.PinnedUsers)
		if err != nil {
			return nil, fmt.Errorf("tenant %s: pinned_users: %w", tc.Name, err)
		}
		pinned, err = ParsePinned(tc.PinnedUsers, data, s.Products, s.KycStatuses)
		if err != nil {
			return nil, fmt.Errorf("tenant %s: %w", tc.Name, err)
		}
	}
	if len(pinned) > tc.Users {
		return nil, fmt.Errorf("tenant %s: users: %d is fewer than its %d pinned users", tc.Name, tc.Users, len(pinned))
	}
	reserved := make(map[string]bool, len(pinned))
	for _, u := range pinned {
		reserved[u.ID] = true
	}
	p := gen.Params{
		Seed:     tc.Seed,
		Users:    tc.Users - len(pinned),
		AsOf:     tc.AsOf,
		IDFormat: tc.IDFormat,
		Products: toProducts(s.Products),
		Statuses: toStatuses(s.KycStatuses),
		Reserved: reserved,
	}
	users, err := gen.Generate(p)
	if err != nil {
		return nil, fmt.Errorf("tenant %s: %w", tc.Name, err)
	}
	users = append(users, pinned...)
	ix, err := engine.New(users)
	if err != nil {
		return nil, fmt.Errorf("tenant %s: %w", tc.Name, err)
	}
	return &Tenant{Config: tc, Index: ix, Pinned: len(pinned)}, nil
}

func toProducts(v []string) []domain.Product {
	out := make([]domain.Product, len(v))
	for i, s := range v {
		out[i] = domain.Product(s)
	}
	return out
}

func toStatuses(v []string) []domain.KycStatus {
	out := make([]domain.KycStatus, len(v))
	for i, s := range v {
		out[i] = domain.KycStatus(s)
	}
	return out
}
