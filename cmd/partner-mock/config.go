package main

import (
	"errors"
	"fmt"

	"github.com/cryptofi/partner-mock/mock/app"
)

// tenantSource says where the tenants come from: a config file (--config or
// PARTNER_MOCK_CONFIG), one tenant from flags, or the built-in tenants. Pointers tell a flag
// that was not given from one given as zero (--seed 0 is a seed like any other).
type tenantSource struct {
	Config        string
	APIKey        *string
	Users         *int
	Seed          *uint64
	OrdersPerUser *float64
}

// oneTenant reports whether the flags describe one tenant rather than choosing a config.
func (s tenantSource) oneTenant() bool {
	return s.APIKey != nil || s.Users != nil || s.Seed != nil || s.OrdersPerUser != nil
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
		if s.APIKey == nil {
			return usageError{errors.New("--users, --seed and --orders-per-user describe one tenant and need --api-key K, the key it answers to")}
		}
		if err := (app.OneTenant{APIKey: *s.APIKey, Users: s.Users, Seed: s.Seed, OrdersPerUser: s.OrdersPerUser}).Use(cfg); err != nil {
			return usageError{err}
		}
	case s.Config != "":
		if err := app.UseTenantsFile(cfg, s.Config); err != nil {
			return usageError{err}
		}
	}
	return nil
}
