package tenant

import (
	"errors"
	"fmt"
	"strings"
)

// MaxUsers bounds a tenant's population so a typo cannot exhaust memory.
const MaxUsers = 10_000_000

// Validate checks cfg and fills defaults (Name from FIName). It reports every problem, each
// naming the tenant and field.
func (c *Config) Validate() error {
	var problems []string
	if len(c.Tenants) == 0 {
		problems = append(problems, "tenants: at least one tenant is required")
	}
	keys := map[string]string{}
	names := map[string]bool{}
	for i := range c.Tenants {
		t := &c.Tenants[i]
		where := fmt.Sprintf("tenants[%d]", i)
		if t.FIName == "" {
			problems = append(problems, where+".fi_name: required")
		}
		if t.Name == "" {
			t.Name = t.FIName
		}
		if t.Name != "" {
			where = fmt.Sprintf("tenants[%d] (%s)", i, t.Name)
			if names[t.Name] {
				problems = append(problems, where+".name: used by another tenant; names must be unique")
			}
			names[t.Name] = true
		}
		if len(t.APIKeys) == 0 {
			problems = append(problems, where+".api_keys: at least one key is required")
		}
		for _, k := range t.APIKeys {
			if strings.TrimSpace(k) == "" {
				problems = append(problems, where+".api_keys: a key is empty")
				continue
			}
			if other, dup := keys[k]; dup {
				// The key itself is never echoed: it is a secret.
				problems = append(problems, fmt.Sprintf("%s.api_keys: a key is also used by tenant %s; each key must resolve to one FI", where, other))
				continue
			}
			keys[k] = t.Name
		}
		if t.Users < 0 || t.Users > MaxUsers {
			problems = append(problems, fmt.Sprintf("%s.users: must be between 0 and %d, got %d", where, MaxUsers, t.Users))
		}
		if t.AsOf.IsZero() {
			problems = append(problems, where+".as_of: required (RFC 3339, e.g. 2025-10-01T00:00:00Z)")
		}
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "\n"))
	}
	return nil
}
