package main

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cryptofi/partner-mock/mock/app"
	"github.com/cryptofi/partner-mock/mock/tenant"
)

// The one tenant that serve --api-key K --users N --seed S (and dump with the same flags)
// describes. Its fixed settings are part of what those flags promise: changing one changes
// every partner's population, like a generator change.
const (
	flagTenantName     = "partner"
	flagTenantFIName   = "Partner FI"
	flagTenantIDFormat = "CIF{n:09d}"
	defaultFlagUsers   = 1000
	defaultFlagSeed    = 1
)

// flagTenantAsOf ends the created_at window of the flags' tenant: the built-in tenants' as_of.
var flagTenantAsOf = time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)

// tenantSource says where the tenants come from: a config file (--config or
// PARTNER_MOCK_CONFIG), one tenant from flags, or the built-in tenants. Pointers tell a flag
// that was not given from one given as zero (--seed 0 is a seed like any other).
type tenantSource struct {
	Config string
	APIKey *string
	Users  *int
	Seed   *uint64
}

// oneTenant reports whether the flags describe one tenant rather than choosing a config.
func (s tenantSource) oneTenant() bool {
	return s.APIKey != nil || s.Users != nil || s.Seed != nil
}

// flagConfig returns the one-tenant config the flags describe.
func (s tenantSource) flagConfig() (*tenant.Config, error) {
	var problems []string
	if s.APIKey == nil {
		problems = append(problems, "--users and --seed describe one tenant and need --api-key K, the key it answers to")
	} else if k := *s.APIKey; strings.TrimSpace(k) == "" || k != strings.TrimSpace(k) {
		problems = append(problems, "--api-key: want a non-empty key without leading or trailing spaces")
	}
	users := defaultFlagUsers
	if s.Users != nil {
		users = *s.Users
		if users < 0 || users > tenant.MaxUsers {
			problems = append(problems, fmt.Sprintf("--users %d: want 0 to %d", users, tenant.MaxUsers))
		}
	}
	seed := uint64(defaultFlagSeed)
	if s.Seed != nil {
		seed = *s.Seed
	}
	if len(problems) > 0 {
		return nil, errors.New(strings.Join(problems, "\n"))
	}
	c := &tenant.Config{
		Source: "the --api-key/--users/--seed flags",
		Tenants: []tenant.TenantConfig{{
			Name:     flagTenantName,
			FIName:   flagTenantFIName,
			APIKeys:  []string{*s.APIKey},
			Seed:     seed,
			Users:    users,
			AsOf:     flagTenantAsOf,
			IDFormat: flagTenantIDFormat,
		}},
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c, nil
}

// describe says where the tenants come from, for messages.
func (s tenantSource) describe() string {
	switch {
	case s.oneTenant():
		return "one tenant from --api-key/--users/--seed"
	case s.Config != "":
		return "tenants from " + s.Config
	}
	return "the built-in demo tenants"
}

// apply sets the tenants of cfg from a config file or the one-tenant flags; with neither, it
// leaves cfg.Tenants nil, which app.New serves as the built-in tenants. Its errors are usage
// errors: the user must fix a flag or a file.
func (s tenantSource) apply(cfg *app.Config) error {
	switch {
	case s.oneTenant() && s.Config != "":
		return usageError{fmt.Errorf("--config %s (or PARTNER_MOCK_CONFIG) and --api-key/--users/--seed both choose the tenants; "+
			"use the config file, or unset it and use the flags", s.Config)}
	case s.oneTenant():
		c, err := s.flagConfig()
		if err != nil {
			return usageError{err}
		}
		cfg.Tenants, cfg.ReadFile = c, nil
	case s.Config != "":
		c, read, err := tenant.LoadFile(s.Config)
		if err != nil {
			return usageError{err}
		}
		cfg.Tenants, cfg.ReadFile = c, read
	}
	return nil
}
