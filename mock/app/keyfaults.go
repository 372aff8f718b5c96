package app

import "github.com/cryptofi/partner-mock/mock/internal/tenant"

// TenantConfig is one FI of a tenants config, as App.Tenants holds it: cmd reads its keys and
// their fault profiles (KeyProfile) for the start-up block.
type TenantConfig = tenant.TenantConfig
