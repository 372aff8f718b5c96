package app

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/cryptofi/partner-mock/mock/internal/clock"
	"github.com/cryptofi/partner-mock/mock/internal/faults"
	"github.com/cryptofi/partner-mock/mock/internal/gen"
	"github.com/cryptofi/partner-mock/mock/internal/query"
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
	// OrdersPerUser is the mean number of orders a user has placed by as_of; nil takes the
	// default (3).
	OrdersPerUser *float64
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
	if p := o.OrdersPerUser; p != nil && !(*p >= 0 && *p <= tenant.MaxOrdersPerUser) {
		problems = append(problems, fmt.Sprintf("--orders-per-user %v: want 0 to %d (the mean number of orders a user has placed by as_of)", *p, tenant.MaxOrdersPerUser))
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "\n"))
	}
	c := &tenant.Config{
		Source: "the --api-key/--users/--seed flags",
		Tenants: []tenant.TenantConfig{{
			Name:          flagTenantName,
			FIName:        flagTenantFIName,
			APIKeys:       []string{o.APIKey},
			Seed:          seed,
			Users:         users,
			AsOf:          flagTenantAsOf,
			IDFormat:      flagTenantIDFormat,
			OrdersPerUser: o.OrdersPerUser,
		}},
	}
	if err := c.Validate(); err != nil {
		return err
	}
	cfg.Tenants, cfg.ReadFile = c, nil
	return nil
}

// UseTenantsFile sets cfg's tenants, and its clock when the file sets one, from a config file;
// pinned files resolve relative to it.
func UseTenantsFile(cfg *Config, path string) error {
	c, read, err := tenant.LoadFile(path)
	if err != nil {
		return err
	}
	cfg.Tenants, cfg.ReadFile = c, read
	if k := c.Clock; k != nil {
		cfg.Clock = Clock{Live: k.Mode == "live"}
		if k.Now != nil {
			cfg.Clock.Now = *k.Now
		}
		if k.Start != nil {
			cfg.Clock.Start = *k.Start
		}
		if k.Speed != nil {
			cfg.Clock.Speed = *k.Speed
		}
	}
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

// FI describes one tenant as the start-up banner and the admin API show it.
type FI struct {
	Name, FIName string
	// Keys are the tenant's keys as configured: secrets, which callers mask.
	Keys []FIKey
	Seed uint64
	// Now is the tenant's mock time.
	Now time.Time
	// Counts are the records that exist at Now, by resource, in the order of ResourceNames.
	Counts []int
}

// FIKey is one key of an FI.
type FIKey struct {
	Key string
	// Faults describes the key's own fault profile ("800ms-1.5s latency"); empty without one.
	Faults string
	// Random is true when the profile draws at random, so --chaos-seed replays it.
	Random bool
}

// FIs describes every tenant, in config order.
func (a *App) FIs() []FI {
	var out []FI
	for _, t := range a.Tenants.Tenants() {
		at := a.clock.Now(t.AsOf())
		fi := FI{Name: t.Config.Name, FIName: t.Config.FIName, Seed: t.Config.Seed, Now: time.UnixMicro(at).UTC()}
		for j, k := range t.Config.APIKeys {
			p := t.Config.KeyProfile(j)
			key := FIKey{Key: k, Random: p.Random()}
			if p.Active() {
				key.Faults = p.Describe()
			}
			fi.Keys = append(fi.Keys, key)
		}
		for _, c := range t.Collections {
			n, _ := c.Now().Find(&query.Query{At: at}, nil)
			fi.Counts = append(fi.Counts, n)
		}
		out = append(out, fi)
	}
	return out
}

// ListURLs returns the list endpoint of every served resource under base (scheme://host),
// in the order of ResourceNames.
func (a *App) ListURLs(base string) []string {
	var out []string
	for _, b := range a.resources {
		out = append(out, base+a.Spec.BasePath+b.ListPath())
	}
	return out
}

// ClockMode describes the clock for the banner: "frozen at each FI's as_of", "frozen at
// 2025-10-08T12:00:00Z" or "live, 86400x".
func (a *App) ClockMode() string {
	r := a.clock.Read()
	switch {
	case r.Mode == "live":
		return "live, " + clock.FormatSpeed(r.Speed) + "x mock seconds per second"
	case r.AtAsOf:
		return "frozen at each FI's as_of"
	}
	var now time.Time
	for _, fi := range a.FIs() {
		now = fi.Now
		break
	}
	return "frozen at " + now.Format(time.RFC3339)
}
