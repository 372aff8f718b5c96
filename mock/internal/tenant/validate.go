package tenant

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/cryptofi/partner-mock/mock/internal/gen"
	"github.com/cryptofi/partner-mock/mock/internal/problem"
)

// MaxUsers bounds a tenant's population so a typo cannot exhaust memory; it is the generator's
// own limit.
const MaxUsers = 10_000_000

// Validate checks c and fills defaults (Name from FIName). It reports every problem at once, as
// a *problem.List whose lines name the field and what to fix.
func (c *Config) Validate() error {
	var problems []problem.Problem
	bad := func(path, format string, args ...any) {
		problems = append(problems, problem.Problem{Line: c.line(path), Path: path, Msg: fmt.Sprintf(format, args...)})
	}
	if len(c.Tenants) == 0 {
		bad("tenants", "at least one tenant is required, e.g.\n  tenants:\n    - fi_name: My Credit Union\n      api_keys: [my-key]\n      users: 1000\n      as_of: 2025-10-01T00:00:00Z")
	}
	keys := map[string]string{}
	names := map[string]string{}
	for i := range c.Tenants {
		t := &c.Tenants[i]
		at := fmt.Sprintf("tenants[%d]", i)
		if strings.TrimSpace(t.FIName) == "" {
			bad(at+".fi_name", "required: the FI's display name, e.g. fi_name: Demo Credit Union")
		}
		if t.Name == "" {
			t.Name = t.FIName
		}
		if t.Name != "" {
			if other, dup := names[t.Name]; dup {
				bad(at+".name", "%q is also the name of %s; names must be unique (set name: to tell them apart)", t.Name, other)
			} else {
				names[t.Name] = at
			}
		}
		if len(t.APIKeys) == 0 {
			bad(at+".api_keys", "at least one key is required, e.g. api_keys: [my-key]")
		}
		for j, k := range t.APIKeys {
			path := fmt.Sprintf("%s.api_keys[%d]", at, j)
			if strings.TrimSpace(k) == "" {
				bad(path, "a key is empty; remove it or give it a value")
				continue
			}
			if k != strings.TrimSpace(k) {
				bad(path, "a key starts or ends with a space; clients send it trimmed, so it could never match")
				continue
			}
			if other, dup := keys[k]; dup {
				// The key itself is never echoed: it is a secret.
				bad(path, "this key is also a key of %s; each key must resolve to exactly one FI", other)
				continue
			}
			keys[k] = fmt.Sprintf("%s (%s)", at, t.Name)
		}
		problems = append(problems, t.keyFaultProblems(at, c.line)...)
		if _, given := c.lines[at+".users"]; c.lines != nil && !given {
			// A forgotten users: would silently serve an empty FI.
			bad(at+".users", "required: the population size, pinned users included, e.g. users: 1000")
		} else if t.Users < 0 || t.Users > MaxUsers {
			bad(at+".users", "must be between 0 and %d (pinned users included), got %d", MaxUsers, t.Users)
		}
		if f := t.Future; f != nil && (*f < 0 || *f > gen.MaxFuture) {
			bad(at+".future", "must be from 0s to %s (ten years), got %s; e.g. future: 365d", fmtDays(gen.MaxFuture), fmtDays(*f))
		}
		if o := t.OrdersPerUser; o != nil && (*o < 0 || *o > MaxOrdersPerUser || math.IsNaN(*o)) {
			bad(at+".orders_per_user", "must be from 0 to %d, got %v", MaxOrdersPerUser, *o)
		}
		if t.AsOf.IsZero() {
			bad(at+".as_of", "required: the instant that ends the created_at window, e.g. as_of: 2025-10-01T00:00:00Z")
		} else if start := t.AsOf.Add(-gen.DefaultWindow); start.Before(time.Unix(0, 0)) || t.AsOf.UTC().Year() > 9999 {
			// The created_at window is the five years before as_of, in Unix time.
			bad(at+".as_of", "must be from %s (five years after 1970-01-01) to year 9999, got %s",
				time.Unix(0, 0).Add(gen.DefaultWindow).UTC().Format(time.RFC3339), t.AsOf.UTC().Format(time.RFC3339))
		}
	}
	if k := c.Clock; k != nil {
		if k.Mode != "" && k.Mode != "frozen" && k.Mode != "live" {
			bad("clock.mode", "%q: want frozen or live", k.Mode)
		}
		if k.Speed != nil && !(*k.Speed > 0 && *k.Speed <= 1e6) {
			bad("clock.speed", "%v: want mock seconds per wall second, above 0 and at most 1000000 (86400 makes a day pass each second)", *k.Speed)
		}
		if k.Mode != "live" && (k.Start != nil || k.Speed != nil) {
			bad("clock", "start and speed set a live clock: add mode: live, or remove them")
		}
	}
	if a := c.Admin; a != nil {
		switch msg := CheckAdminToken(a.Token); {
		case a.Token == "":
			bad("admin.token", "required: the secret admin requests carry as Authorization: Bearer TOKEN, e.g. token: 3f9a1c0e2b7d4a65")
		case msg != "":
			bad("admin.token", "%s", msg)
		case keys[a.Token] != "":
			// Neither the token nor the key is echoed: both are secrets.
			bad("admin.token", "the token is also an API key of %s; use a secret of its own", keys[a.Token])
		}
	}
	if len(problems) > 0 {
		sortProblems(problems)
		return fileError(c.source(), problems)
	}
	return nil
}
