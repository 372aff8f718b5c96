// Package tenant turns a tenants config (the built-in fixtures or a partner's file) into the
// populations the mock serves: one per FI, each reachable by its API keys only.
package tenant

import (
	"errors"
	"strings"
	"time"

	"github.com/cryptofi/partner-mock/mock/internal/faults"
)

// Config is a tenants file.
type Config struct {
	Tenants []TenantConfig `yaml:"tenants"`

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

	// KeyFaults are the keys' own fault profiles, by index into APIKeys (api_keys items written
	// as key: and faults:, see keyfaults.go); nil when no key has one.
	KeyFaults []faults.Profile `yaml:"-"`
}

// ParseConfig decodes a tenants file strictly and validates it. Unknown fields, fields given
// twice, wrong types and invalid values are all reported, each naming the line and the field;
// the error is a *FileError for source.
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
	if fe, ok := errors.AsType[*FileError](c.Validate()); ok {
		bad := map[string]bool{}
		for _, p := range problems {
			bad[p.Path] = true
		}
		for _, p := range fe.Problems {
			if !bad[p.Path] {
				problems = append(problems, p)
			}
		}
	}
	sortProblems(problems)
	return nil, &FileError{File: source, Problems: problems}
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
