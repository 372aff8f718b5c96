package app

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/cryptofi/partner-mock/mock/internal/faults"
	"github.com/cryptofi/partner-mock/mock/internal/gen"
	"github.com/cryptofi/partner-mock/mock/internal/tenant"
)

// GeneratorVersion is the data generator's version: the same binary inputs and generator
// version give byte-identical responses.
const GeneratorVersion = gen.Version

// MaxUsers is the largest population a tenant may have.
const MaxUsers = tenant.MaxUsers

// MaxResponseDelay is the longest a fault control can hold a response: a server's write
// timeout must exceed it.
const MaxResponseDelay = faults.MaxDelay + faults.MaxLatency

// The one tenant that serve --api-key K --users N --seed S (and dump with the same flags)
// describes. Its fixed settings are part of what those flags promise: changing one changes
// every partner's population, like a generator change.
const (
	flagTenantName     = "partner"
	flagTenantFIName   = "Partner FI"
	flagTenantIDFormat = "CIF{n:09d}"
	// DefaultFlagUsers and DefaultFlagSeed are the one tenant's defaults.
	DefaultFlagUsers = 1000
	DefaultFlagSeed  = 1
)

// flagTenantAsOf ends the created_at window of the flags' tenant: the built-in tenants' as_of.
var flagTenantAsOf = time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)

// OneTenant is the tenant that the --api-key/--users/--seed flags describe. Nil Users and Seed
// take their defaults.
type OneTenant struct {
	APIKey string
	Users  *int
	Seed   *uint64
}

// Use sets cfg's tenants to the one tenant, or reports every problem with the flags.
func (o OneTenant) Use(cfg *Config) error {
	var problems []string
	if k := o.APIKey; strings.TrimSpace(k) == "" || k != strings.TrimSpace(k) {
		problems = append(problems, "--api-key: want a non-empty key without leading or trailing spaces")
	}
	users := DefaultFlagUsers
	if o.Users != nil {
		users = *o.Users
		if users < 0 || users > MaxUsers {
			problems = append(problems, fmt.Sprintf("--users %d: want 0 to %d", users, MaxUsers))
		}
	}
	seed := uint64(DefaultFlagSeed)
	if o.Seed != nil {
		seed = *o.Seed
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "\n"))
	}
	c := &tenant.Config{
		Source: "the --api-key/--users/--seed flags",
		Tenants: []tenant.TenantConfig{{
			Name:     flagTenantName,
			FIName:   flagTenantFIName,
			APIKeys:  []string{o.APIKey},
			Seed:     seed,
			Users:    users,
			AsOf:     flagTenantAsOf,
			IDFormat: flagTenantIDFormat,
		}},
	}
	if err := c.Validate(); err != nil {
		return err
	}
	cfg.Tenants, cfg.ReadFile = c, nil
	return nil
}

// UseTenantsFile sets cfg's tenants from a config file; pinned files resolve relative to it.
func UseTenantsFile(cfg *Config, path string) error {
	c, read, err := tenant.LoadFile(path)
	if err != nil {
		return err
	}
	cfg.Tenants, cfg.ReadFile = c, read
	return nil
}

// ParseChaos reads the chaos flags (--latency, --error-rate, --rate-limit) into cfg.Chaos.
func ParseChaos(cfg *Config, latency, errorRate, rateLimit string, seed uint64) error {
	var c faults.Chaos
	var err error
	if c.Latency, err = faults.ParseLatency(latency); err != nil {
		return err
	}
	if c.ErrorRate, err = faults.ParseErrorRate(errorRate); err != nil {
		return err
	}
	if c.RateLimit, err = faults.ParseRate(rateLimit); err != nil {
		return err
	}
	c.Seed = seed
	if cfg.Strict && c.Active() {
		return fmt.Errorf("--strict serves a pure replica of the live API: drop --strict, or drop --latency, --error-rate and --rate-limit")
	}
	cfg.Chaos = c
	return nil
}

// TenantNames returns the tenants' names in config order.
func (a *App) TenantNames() []string {
	var names []string
	for _, t := range a.Tenants.Tenants() {
		names = append(names, t.Config.Name)
	}
	return names
}

// tenantNamed returns the tenant called name.
func (a *App) tenantNamed(name string) (*tenant.Tenant, bool) {
	i := slices.Index(a.TenantNames(), name)
	if i < 0 {
		return nil, false
	}
	return a.Tenants.Tenants()[i], true
}

// TenantForKey returns the name of the tenant key belongs to.
func (a *App) TenantForKey(key string) (string, bool) {
	t, ok := a.Tenants.Lookup(key)
	if !ok {
		return "", false
	}
	return t.Config.Name, true
}

// UseTenantsData sets cfg's tenants from a config file's contents; source names it in
// messages and read reads the pinned files it names (nil: it names none).
func UseTenantsData(cfg *Config, source string, data []byte, read func(name string) ([]byte, error)) error {
	c, err := tenant.ParseConfig(source, data)
	if err != nil {
		return err
	}
	cfg.Tenants, cfg.ReadFile = c, read
	return nil
}
