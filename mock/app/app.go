// Package app assembles the mock from its parts: the loaded document, the tenants config, the
// query parser and the HTTP handler. cmd and end-to-end tests build servers through it so they
// run exactly what partners run.
package app

import (
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"

	"github.com/cryptofi/partner-mock/fixtures"
	"github.com/cryptofi/partner-mock/mock/httpapi"
	"github.com/cryptofi/partner-mock/mock/params"
	"github.com/cryptofi/partner-mock/mock/tenant"
	"github.com/cryptofi/partner-mock/spec"
)

// Config selects what the mock serves. The zero value serves the embedded document and the
// built-in tenants.
type Config struct {
	// Spec is the OpenAPI document; nil means the embedded one.
	Spec *spec.Spec
	// Tenants replaces the built-in tenants when non-nil; ReadFile then reads the pinned-user
	// files it names.
	Tenants  *tenant.Config
	ReadFile tenant.ReadFile
	// Logger receives one line per request; nil discards them.
	Logger *slog.Logger
}

// App is a ready-to-serve mock.
type App struct {
	Spec    *spec.Spec
	Tenants *tenant.Registry
	Handler http.Handler
}

// New builds the mock described by cfg.
func New(cfg Config) (*App, error) {
	s := cfg.Spec
	if s == nil {
		var err error
		if s, err = spec.LoadEmbedded(); err != nil {
			return nil, err
		}
	}
	parser, err := params.New(s)
	if err != nil {
		return nil, fmt.Errorf("spec: the mock cannot serve this document:\n%w", err)
	}
	tc, read := cfg.Tenants, cfg.ReadFile
	if tc == nil {
		if tc, err = BuiltinTenants(); err != nil {
			return nil, err
		}
		read = fixtures.FS.ReadFile
	}
	if read == nil {
		read = func(name string) ([]byte, error) { return nil, fmt.Errorf("read %s: no file reader configured", name) }
	}
	tenants, err := tenant.Build(s, tc, read)
	if err != nil {
		return nil, err
	}
	reg := tenant.NewRegistry(tenants)
	h, err := httpapi.New(s, parser, reg, httpapi.Config{Logger: cfg.Logger})
	if err != nil {
		return nil, err
	}
	return &App{Spec: s, Tenants: reg, Handler: h}, nil
}

// BuiltinTenants returns the built-in tenants config (fixtures/tenants.yaml).
func BuiltinTenants() (*tenant.Config, error) {
	data, err := fixtures.FS.ReadFile(fixtures.TenantsFile)
	if err != nil {
		return nil, fmt.Errorf("built-in tenants: %w", err)
	}
	return tenant.ParseConfig("built-in "+fixtures.TenantsFile, data)
}

// LoadTenantsFile reads a tenants config from disk; pinned-user files resolve relative to it.
func LoadTenantsFile(path string) (*tenant.Config, tenant.ReadFile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("config %s: %w", path, err)
	}
	c, err := tenant.ParseConfig(path, data)
	if err != nil {
		return nil, nil, err
	}
	dir := filepath.Dir(path)
	read := func(name string) ([]byte, error) {
		if !filepath.IsAbs(name) {
			name = filepath.Join(dir, name)
		}
		return os.ReadFile(name)
	}
	return c, read, nil
}
