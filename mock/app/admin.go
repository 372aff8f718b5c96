package app

import (
	"fmt"
	"sync"

	"github.com/cryptofi/partner-mock/mock/internal/httpapi"
	"github.com/cryptofi/partner-mock/mock/internal/problem"
	"github.com/cryptofi/partner-mock/mock/internal/tenant"
)

// AdminPath is where the admin API lives when it is on.
const AdminPath = "/__admin/"

// AdminDocument returns the admin API's OpenAPI document (GET /__admin/openapi.json).
func AdminDocument() []byte { return httpapi.AdminDocument() }

// CheckAdminToken returns what is wrong with an admin token given by a flag or the environment,
// or "": at least 8 printable ASCII characters without spaces. Messages never show the token.
func CheckAdminToken(token string) string { return tenant.CheckAdminToken(token) }

// AdminOn reports whether the app serves the admin API.
func (a *App) AdminOn() bool { return a.admin }

// adminToken returns the admin token: the flag's (checked, and not an API key) or the tenants
// config's (checked with the config), or "" for none. Problems go to problems.
func adminToken(flag string, tc *tenant.Config, problems *problem.List) string {
	if flag == "" {
		if tc != nil && tc.Admin != nil {
			return tc.Admin.Token
		}
		return ""
	}
	if msg := tenant.CheckAdminToken(flag); msg != "" {
		problems.Addf("--admin-token", "%s", msg)
		return ""
	}
	if tc != nil {
		for _, t := range tc.Tenants {
			for _, k := range t.APIKeys {
				if k == flag {
					// Neither is echoed: both are secrets.
					problems.Addf("--admin-token", "the token is also an API key of %s; use a secret of its own", t.Name)
					return ""
				}
			}
		}
	}
	return flag
}

// builtinKeys are the keys of the built-in tenants: public, shown in full wherever keys are
// shown. Any other key is masked.
var builtinKeys = sync.OnceValue(func() map[string]bool {
	keys := map[string]bool{}
	if tc, err := BuiltinTenants(); err == nil {
		for _, t := range tc.Tenants {
			for _, k := range t.APIKeys {
				keys[k] = true
			}
		}
	}
	return keys
})

// BuiltinKey reports whether k is a key of the built-in tenants: public, so it may be shown in
// full (in the start-up banner's curl example, for one).
func BuiltinKey(k string) bool { return builtinKeys()[k] }

// MaskKey renders an API key for display: a built-in demo key in full, any other as its first
// and last two characters ("ab…yz"), or **** when it is 4 characters or fewer.
func MaskKey(k string) string {
	if BuiltinKey(k) {
		return k
	}
	if len(k) <= 4 {
		return "****"
	}
	return fmt.Sprintf("%s…%s", k[:2], k[len(k)-2:])
}
