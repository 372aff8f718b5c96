package main

import (
	"fmt"
	"io"

	"github.com/cryptofi/partner-mock/mock/app"
)

// adminFlags turn the admin API (/__admin/) on. Unset, the tenants config's admin.token does;
// without one the admin API is off.
type adminFlags struct {
	AdminToken string `name:"admin-token" env:"PARTNER_MOCK_ADMIN_TOKEN" placeholder:"TOKEN" help:"Serve the admin API under /__admin/ (change users, orders and the clock while serving); its requests carry Authorization: Bearer TOKEN. At least 8 printable characters. Default: the config's admin.token, else off."`
}

// apply puts the token into cfg. A bad token is a usage error; its message never shows it.
func (f adminFlags) apply(cfg *app.Config) error {
	if f.AdminToken == "" {
		return nil
	}
	if msg := app.CheckAdminToken(f.AdminToken); msg != "" {
		return usageError{fmt.Errorf("--admin-token: %s", msg)}
	}
	cfg.AdminToken = f.AdminToken
	return nil
}

// printAdmin says where the admin API is when it is on; the token is never printed.
func printAdmin(w io.Writer, scheme, addr string, a *app.App) {
	if !a.AdminOn() {
		return
	}
	fmt.Fprintf(w, "admin API: %s://%s%s (Authorization: Bearer <your admin token>; GET %sopenapi.json describes it)\n", scheme, addr, app.AdminPath, app.AdminPath)
}
