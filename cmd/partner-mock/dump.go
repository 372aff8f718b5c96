package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/cryptofi/partner-mock/mock/app"
)

// dumpCmd writes a tenant's whole population, so partners can seed their own test database with
// exactly the users the mock serves. It builds the tenants exactly as serve does, from the same
// flags, so the same flags give the same users.
type dumpCmd struct {
	Config        string   `env:"PARTNER_MOCK_CONFIG" placeholder:"FILE" help:"Tenants config file, as for serve. Default: the built-in demo tenants."`
	Spec          string   `env:"PARTNER_MOCK_SPEC" placeholder:"FILE" help:"The OpenAPI document serve uses (--spec), if not the built-in one: its enums shape the population."`
	APIKey        *string  `name:"api-key" placeholder:"KEY" help:"Dump the tenant this key belongs to; with --users/--seed, the one tenant those flags describe (as for serve)."`
	Tenant        string   `placeholder:"NAME" help:"Dump the tenant with this name (the config's name:)."`
	Users         *int     `placeholder:"N" help:"As for serve: users of the --api-key tenant (default 1000)."`
	Seed          *uint64  `placeholder:"S" help:"As for serve: seed of the --api-key tenant (default 1)."`
	OrdersPerUser *float64 `name:"orders-per-user" placeholder:"N" help:"As for serve: mean orders per user of the --api-key tenant (default 3)."`
	Resource      string   `default:"users" placeholder:"users|orders" help:"What to dump: users (default) or orders."`
	Now           string   `env:"PARTNER_MOCK_NOW" placeholder:"RFC3339" help:"Dump the state at this instant instead of each FI's as_of, as serve --now shows it."`
	Format        string   `default:"json" enum:"json,ndjson,csv" help:"Output format: json, ndjson or csv (users: one row per account)."`
	Out           string   `placeholder:"FILE" help:"Write to FILE instead of standard output."`
}

// Run writes the dump, sorted by created_at then user_account_id.
func (c *dumpCmd) Run(e *env) error {
	src := tenantSource{Config: c.Config}
	// --api-key alone chooses among the configured tenants; with --users or --seed it describes
	// the one tenant, as on serve.
	if c.Users != nil || c.Seed != nil || c.OrdersPerUser != nil {
		src.APIKey, src.Users, src.Seed, src.OrdersPerUser = c.APIKey, c.Users, c.Seed, c.OrdersPerUser
		if c.Tenant != "" {
			return usageError{errors.New("--tenant chooses among configured tenants; --users/--seed describe one tenant by themselves: drop one")}
		}
	}
	cfg := app.Config{}
	if c.Spec != "" {
		data, err := os.ReadFile(c.Spec)
		if err != nil {
			return usageError{fmt.Errorf("--spec: %w", err)}
		}
		cfg.SpecData, cfg.SpecSource = data, c.Spec
	}
	if err := src.apply(&cfg); err != nil {
		return err
	}
	if err := (clockFlags{Now: c.Now}).apply(&cfg); err != nil {
		return err
	}
	a, err := app.New(cfg)
	if err != nil {
		return usageError{err}
	}
	t, err := c.pick(a, src)
	if err != nil {
		return usageError{err}
	}
	if !slices.Contains(a.ResourceNames(), c.Resource) {
		return usageError{fmt.Errorf("--resource %q: want one of %s", c.Resource, strings.Join(a.ResourceNames(), ", "))}
	}
	return c.write(e.stdout, func(w io.Writer) error { return a.Dump(w, t, c.Resource, c.Format) })
}

// pick returns the tenant the flags choose.
func (c *dumpCmd) pick(a *app.App, src tenantSource) (string, error) {
	names := a.TenantNames()
	from := src.describe()
	switch {
	case src.oneTenant():
		return names[0], nil
	case c.Tenant != "" && c.APIKey != nil:
		return "", errors.New("--tenant and --api-key both choose the tenant: give one")
	case c.Tenant != "":
		if !slices.Contains(names, c.Tenant) {
			return "", fmt.Errorf("--tenant %q: no such tenant in %s; the tenants are: %s", c.Tenant, from, strings.Join(names, ", "))
		}
		return c.Tenant, nil
	case c.APIKey != nil:
		name, ok := a.TenantForKey(*c.APIKey)
		if !ok {
			// The key is a secret: it is not repeated here.
			return "", fmt.Errorf("--api-key: no tenant in %s has this key; for a tenant served with "+
				"serve --api-key K --users N --seed S, give dump the same three flags", from)
		}
		return name, nil
	case len(names) == 1:
		return names[0], nil
	}
	return "", fmt.Errorf("%s hold %d tenants: choose one with --tenant NAME (%s) or --api-key KEY",
		from, len(names), strings.Join(names, ", "))
}

// write runs dump into --out or stdout. A file is written under a temporary name and renamed
// into place, so a failed dump never leaves a truncated file that looks complete.
func (c *dumpCmd) write(stdout io.Writer, dump func(io.Writer) error) error {
	if c.Out == "" {
		w := bufio.NewWriterSize(stdout, 1<<20)
		if err := dump(w); err != nil {
			return err
		}
		return w.Flush()
	}
	f, err := os.CreateTemp(filepath.Dir(c.Out), "."+filepath.Base(c.Out)+".*.tmp")
	if err != nil {
		return usageError{fmt.Errorf("--out %s: %w", c.Out, err)}
	}
	w := bufio.NewWriterSize(f, 1<<20)
	err = dump(w)
	if err == nil {
		err = w.Flush()
	}
	// CreateTemp makes the file private; a dump is an ordinary output file.
	if err == nil {
		err = f.Chmod(0o644)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), c.Out)
	}
	if err != nil {
		_ = os.Remove(f.Name())
		return fmt.Errorf("--out %s: %w", c.Out, err)
	}
	return nil
}
