package tenant

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"sync"

	"github.com/cryptofi/partner-mock/mock/internal/domain"
	"github.com/cryptofi/partner-mock/mock/internal/engine"
	"github.com/cryptofi/partner-mock/mock/internal/gen"
	"github.com/cryptofi/partner-mock/mock/internal/render"
	"github.com/cryptofi/partner-mock/spec"
)

// Tenant is one FI's population, ready to serve.
type Tenant struct {
	Config TenantConfig
	Index  *engine.Index
	// Pinned is the number of pinned users in the population.
	Pinned int
	// rendered holds the users' JSON when the population is small enough (see prerender).
	rendered *render.Users
}

// ReadFile reads a file named in a config (pinned users), relative to the config.
type ReadFile func(name string) ([]byte, error)

// Build validates cfg and generates every tenant, concurrently. It either returns every tenant
// or an error listing every problem found; it never returns part of a config. The result does
// not depend on scheduling: each population is a pure function of its config and the generator
// version.
func Build(s *spec.Spec, cfg *Config, read ReadFile) ([]*Tenant, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	pinned, pinnedErr := cfg.Pinned(s.Products, s.KycStatuses, read)
	// The generator's own checks (id_format, its capacity) run before any generation, so one
	// run reports the pinned files' problems and the templates' together.
	params := make([]gen.Params, len(cfg.Tenants))
	errs := []error{pinnedErr}
	for i := range cfg.Tenants {
		var p []domain.User
		if pinnedErr == nil {
			p = pinned[i]
		}
		params[i] = genParams(s, cfg.Tenants[i], p)
		if err := params[i].Validate(); err != nil {
			errs = append(errs, cfg.genError(i, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	out := make([]*Tenant, len(cfg.Tenants))
	errs = make([]error, len(cfg.Tenants))
	var wg sync.WaitGroup
	for i := range cfg.Tenants {
		wg.Go(func() {
			out[i], errs[i] = buildOne(cfg, i, params[i], pinned[i])
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

// Pinned reads and checks the pinned users of every tenant of a validated cfg against the
// document's enums and each tenant's as_of, by tenant index. Its error lists every problem:
// *FileErrors naming the config's line and the pinned file's own lines.
func (c *Config) Pinned(products, statuses []string, read ReadFile) ([][]domain.User, error) {
	if read == nil {
		read = func(name string) ([]byte, error) { return nil, errors.New("no file reader configured") }
	}
	out := make([][]domain.User, len(c.Tenants))
	var errs []error
	for i, tc := range c.Tenants {
		if tc.PinnedUsers == "" {
			continue
		}
		field := fmt.Sprintf("tenants[%d].pinned_users", i)
		name := c.pinnedName(tc.PinnedUsers)
		data, err := read(tc.PinnedUsers)
		if err != nil {
			errs = append(errs, c.problem(field, "cannot read %s: %v (a relative path is relative to the config file's directory)",
				name, unwrapPathError(err)))
			continue
		}
		users, err := PinnedRules{Products: products, Statuses: statuses, AsOf: tc.AsOf}.Parse(name, data)
		if err != nil {
			errs = append(errs, c.problem(field, "%s has problems:", name), err)
			continue
		}
		if len(users) > tc.Users {
			errs = append(errs, c.problem(fmt.Sprintf("tenants[%d].users", i),
				"%d is fewer than the %d pinned users in %s; users counts the whole population, pinned users included",
				tc.Users, len(users), name))
			continue
		}
		out[i] = users
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

// problem returns a *FileError for one problem at the field at path.
func (c *Config) problem(path, format string, args ...any) *FileError {
	return &FileError{File: c.source(), Problems: []Problem{{Line: c.line(path), Path: path, Msg: fmt.Sprintf(format, args...)}}}
}

// genParams returns the generator's parameters for a tenant with the given pinned users.
func genParams(s *spec.Spec, tc TenantConfig, pinned []domain.User) gen.Params {
	reserved := make(map[string]bool, len(pinned))
	for _, u := range pinned {
		reserved[u.ID] = true
	}
	return gen.Params{
		Seed:     tc.Seed,
		Users:    tc.Users - len(pinned),
		AsOf:     tc.AsOf,
		IDFormat: tc.IDFormat,
		Products: toProducts(s.Products),
		Statuses: toStatuses(s.KycStatuses),
		Reserved: reserved,
	}
}

// genError turns the generator's error for tenant i into a *FileError. The generator names its
// fields as the config does (id_format, users, as_of): each of its lines points at that field.
func (c *Config) genError(i int, err error) error {
	at := fmt.Sprintf("tenants[%d]", i)
	var problems []Problem
	for _, msg := range strings.Split(err.Error(), "\n") {
		field, rest, ok := strings.Cut(msg, ": ")
		path := at + "." + field
		if !ok || !isField(field) {
			path, rest = at, msg
		}
		problems = append(problems, Problem{Line: c.line(path), Path: path, Msg: rest})
	}
	return &FileError{File: c.source(), Problems: problems}
}

// buildOne generates tenant i of cfg from its checked parameters and adds its pinned users.
func buildOne(cfg *Config, i int, p gen.Params, pinned []domain.User) (*Tenant, error) {
	users, err := gen.Generate(p)
	if err != nil {
		return nil, cfg.genError(i, err)
	}
	users = append(users, pinned...)
	ix, err := engine.New(users)
	if err != nil {
		// Unreachable: generated ids skip the pinned ones and pinned ids are checked unique.
		return nil, fmt.Errorf("%s: tenants[%d]: %w", cfg.source(), i, err)
	}
	t := &Tenant{Config: cfg.Tenants[i], Index: ix, Pinned: len(pinned)}
	t.prerender(users)
	return t, nil
}

// isField reports whether name is a field of a tenant in the config file.
func isField(name string) bool {
	switch name {
	case "name", "fi_name", "api_keys", "seed", "users", "as_of", "id_format", "pinned_users":
		return true
	}
	return false
}

// pinnedName returns how messages name a pinned-users file: the path the mock actually reads.
func (c *Config) pinnedName(name string) string {
	if c.Dir == "" || filepath.IsAbs(name) {
		return name
	}
	return filepath.Join(c.Dir, name)
}

// unwrapPathError drops the "open NAME:" prefix of an *fs.PathError: the message names the
// file already.
func unwrapPathError(err error) error {
	if pe, ok := errors.AsType[*fs.PathError](err); ok {
		return pe.Err
	}
	return err
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
