// Package app assembles the mock from its parts: the loaded document, the tenants config, the
// query parser and the HTTP handler. cmd and end-to-end tests build servers through it so they
// run exactly what partners run.
package app

import (
	"fmt"
	"log/slog"
	"net/http"

	"github.com/cryptofi/partner-mock/fixtures"
	"github.com/cryptofi/partner-mock/mock/internal/faults"
	"github.com/cryptofi/partner-mock/mock/internal/httpapi"
	"github.com/cryptofi/partner-mock/mock/internal/tenant"
	"github.com/cryptofi/partner-mock/spec"
)

// Config selects what the mock serves. The zero value serves the embedded document and the
// built-in tenants.
type Config struct {
	// Spec is the OpenAPI document; nil means the embedded one.
	Spec *spec.Spec
	// SpecData, when non-nil, is a partner's document (serve --spec) used instead of Spec;
	// SpecSource names it in messages. New checks it together with the tenants and reports
	// every problem in one *StartupError.
	SpecData   []byte
	SpecSource string
	// Tenants replaces the built-in tenants when non-nil; ReadFile then reads the pinned-user
	// files it names.
	Tenants  *tenant.Config
	ReadFile tenant.ReadFile
	// Logger receives one line per request; nil discards them.
	Logger *slog.Logger
	// Strict turns the Prefer controls off: the mock is a pure replica. False (the zero value)
	// honours them. See httpapi.Config.
	Strict bool
	// Chaos is the global chaos injected into API requests; the zero value injects nothing.
	Chaos faults.Chaos
	// Journal records the API requests served (NewJournal); nil records none.
	Journal *Journal
}

// App is a ready-to-serve mock.
type App struct {
	Spec    *spec.Spec
	Tenants *tenant.Registry
	Handler http.Handler
}

// New builds the mock described by cfg.
func New(cfg Config) (*App, error) {
	s, parser, source, problems := loadSpec(cfg)
	var err error
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
	if len(problems) > 0 {
		if s != nil {
			problems = appendNew(problems, tenantProblems(s, tc, read)...)
		}
		return nil, &StartupError{Source: source, Problems: problems}
	}
	tenants, err := tenant.Build(s, tc, read)
	if err != nil {
		return nil, err
	}
	pinned := pinnedUsers(s, tc, read)
	reg := tenant.NewRegistry(tenants)
	docs, err := referencePage(s, source, tenants, pinned, cfg.Tenants == nil)
	if err != nil {
		return nil, err
	}
	h, err := httpapi.New(s, parser, reg, httpapi.Config{Logger: cfg.Logger, Docs: docs, Strict: cfg.Strict, Chaos: cfg.Chaos, Journal: cfg.Journal})
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

// LoadTenantsFile reads and validates a tenants config from disk; pinned-user files resolve
// relative to it.
func LoadTenantsFile(path string) (*tenant.Config, tenant.ReadFile, error) {
	return tenant.LoadFile(path)
}
