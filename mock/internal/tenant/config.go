// Package tenant turns a tenants config (the built-in fixtures or a partner's file) into the
// populations the mock serves: one per FI, each reachable by its API keys only.
package tenant

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/cryptofi/partner-mock/mock/internal/faults"
	"github.com/cryptofi/partner-mock/mock/internal/gen"
	"github.com/cryptofi/partner-mock/mock/internal/problem"
)

// Config is a tenants file.
type Config struct {
	Tenants []TenantConfig `yaml:"tenants"`
	// Clock sets the mock's time; flags override it. Nil is frozen at each tenant's as_of.
	Clock *ClockConfig `yaml:"clock"`
	// Admin turns the admin API (/__admin/) on; flags override it. Nil leaves it off.
	Admin *AdminConfig `yaml:"admin"`

	// Source names the file in messages ("my-tenants.yaml", "built-in tenants.yaml").
	Source string `yaml:"-"`
	// Dir is the directory pinned_users paths are relative to, used to name those files in
	// messages; empty when they are named as written (built-in fixtures, tests).
	Dir string `yaml:"-"`
	// lines maps field paths (tenants[0].users) to their line in Source; empty for a Config
	// built in code.
	lines map[string]int
}

// TenantConfig describes one FI.
type TenantConfig struct {
	// Name identifies the tenant in logs and commands (dump --tenant); defaults to FIName.
	Name   string `yaml:"name"`
	FIName string `yaml:"fi_name"`
	// APIKeys are the keys that resolve to this FI; at least one.
	APIKeys []string `yaml:"api_keys"`
	Seed    uint64   `yaml:"seed"`
	// Users is the whole population, pinned users included.
	Users int `yaml:"users"`
	// AsOf ends the created_at window (RFC 3339).
	AsOf time.Time `yaml:"as_of"`
	// IDFormat is the id template of generated users (see package gen); empty means the
	// generator's default.
	IDFormat string `yaml:"id_format"`
	// PinnedUsers is a YAML or JSON file of exact users, relative to the config file.
	PinnedUsers string `yaml:"pinned_users"`
	// PinnedOrders is a YAML or JSON file of exact orders of pinned users, relative to the
	// config file.
	PinnedOrders string `yaml:"pinned_orders"`
	// Future is how far past as_of the data goes on (sign-ups, KYC decisions, orders placed
	// and settled); nil means DefaultFuture, zero none.
	Future *time.Duration `yaml:"future"`
	// OrdersPerUser is the mean number of orders a user has placed by as_of; nil means the
	// generator's default (3).
	OrdersPerUser *float64 `yaml:"orders_per_user"`

	// KeyFaults are the keys' own fault profiles, by index into APIKeys (api_keys items written
	// as key: and faults:, see keyfaults.go); nil when no key has one.
	KeyFaults []faults.Profile `yaml:"-"`
}

// ClockConfig is the config file's clock: the same settings as serve's clock flags.
type ClockConfig struct {
	// Mode is frozen (the default) or live.
	Mode string `yaml:"mode"`
	// Now is the instant the clock is frozen at, or starts from when live; nil is each tenant's
	// as_of.
	Now *time.Time `yaml:"now"`
	// Start is the wall time a live clock starts at; nil is start-up.
	Start *time.Time `yaml:"start"`
	// Speed is mock seconds per wall second when live; nil is 1.
	Speed *float64 `yaml:"speed"`
}

// AdminConfig is the config file's admin section.
type AdminConfig struct {
	// Token is the secret admin requests carry as "Authorization: Bearer TOKEN" (CheckAdminToken
	// says which tokens are accepted).
	Token string `yaml:"token"`
}

// MinAdminTokenLen is the shortest admin token accepted.
const MinAdminTokenLen = 8

// CheckAdminToken returns what is wrong with an admin token, or "". A token is at least
// MinAdminTokenLen printable ASCII characters without spaces, so it travels in a header as
// written. Messages never show the token: it is a secret.
func CheckAdminToken(token string) string {
	if len(token) < MinAdminTokenLen {
		return fmt.Sprintf("want at least %d characters (a random string, e.g. from openssl rand -hex 16), got %d", MinAdminTokenLen, len(token))
	}
	for i := 0; i < len(token); i++ {
		if c := token[i]; c <= ' ' || c > '~' {
			return fmt.Sprintf("character %d is a space, a control character or not ASCII; a token is sent in a header, so use printable ASCII without spaces", i+1)
		}
	}
	return ""
}

// DefaultFuture is the horizon of a tenant whose config does not set future: a year.
const DefaultFuture = 365 * 24 * time.Hour

// MaxOrdersPerUser bounds orders_per_user so a typo cannot exhaust memory.
const MaxOrdersPerUser = 1000

// future returns the tenant's horizon past as_of.
func (t *TenantConfig) future() time.Duration {
	if t.Future == nil {
		return DefaultFuture
	}
	return *t.Future
}

// ordersPerUser returns the mean orders per user in hundredths, as the generator takes it.
func (t *TenantConfig) ordersPerUser() int64 {
	if t.OrdersPerUser == nil {
		return gen.DefaultOrdersPerUser
	}
	return int64(math.Round(*t.OrdersPerUser * 100))
}

// ParseConfig decodes a tenants file strictly and validates it. Unknown fields, fields given
// twice, wrong types and invalid values are all reported, each naming the line and the field;
// the error is a *problem.List for source.
func ParseConfig(source string, data []byte) (*Config, error) {
	c := &Config{}
	lines, problems := decodeFile(data, c)
	c.Source, c.lines = source, lines
	if len(problems) == 0 {
		if err := c.Validate(); err != nil {
			return nil, err
		}
		return c, nil
	}
	// Report the checks' problems too, so one edit fixes everything, but not a second one about
	// a field that could not be read.
	if fe, ok := errors.AsType[*problem.List](c.Validate()); ok {
		bad := map[string]bool{}
		for _, p := range problems {
			bad[p.Path] = true
		}
		for _, p := range fe.Items {
			if !bad[p.Path] {
				problems = append(problems, p)
			}
		}
	}
	sortProblems(problems)
	return nil, fileError(source, problems)
}

// line returns the line of the field at path, or of the nearest enclosing field that has one.
func (c *Config) line(path string) int {
	return lineOf(c.lines, path)
}

// lineOf returns the line of the field at path in lines, or of the nearest enclosing field that
// has one: a missing field is reported on the line of its parent.
func lineOf(lines map[string]int, path string) int {
	for path != "" {
		if l, ok := lines[path]; ok {
			return l
		}
		path = path[:max(strings.LastIndexAny(path, ".["), 0)]
	}
	return 0
}

// source returns the name of the config in messages.
func (c *Config) source() string {
	if c.Source == "" {
		return "tenants config"
	}
	return c.Source
}
