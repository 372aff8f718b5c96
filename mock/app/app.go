// Package app assembles the mock from its parts: the loaded document, the resources it
// declares, the tenants config, the clock and the HTTP handler. It is the mock's application
// layer: cmd and end-to-end tests build servers through it, so they run exactly what partners
// run, and nothing outside mock/ reaches further in.
package app

import (
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/cryptofi/partner-mock/fixtures"
	"github.com/cryptofi/partner-mock/mock/internal/clock"
	"github.com/cryptofi/partner-mock/mock/internal/domain"
	"github.com/cryptofi/partner-mock/mock/internal/faults"
	"github.com/cryptofi/partner-mock/mock/internal/httpapi"
	"github.com/cryptofi/partner-mock/mock/internal/problem"
	"github.com/cryptofi/partner-mock/mock/internal/resource"
	"github.com/cryptofi/partner-mock/mock/internal/resource/orders"
	"github.com/cryptofi/partner-mock/mock/internal/resource/users"
	"github.com/cryptofi/partner-mock/mock/internal/scenario"
	"github.com/cryptofi/partner-mock/mock/internal/startup"
	"github.com/cryptofi/partner-mock/mock/internal/tenant"
	"github.com/cryptofi/partner-mock/spec"
)

// Resources are the resources the mock knows, in the order it binds them: users first, since
// orders are generated from them. A document serves those it declares.
func Resources() []resource.Resource {
	return []resource.Resource{users.Resource, orders.Resource}
}

// Config selects what the mock serves. The zero value serves the embedded document and the
// built-in tenants, frozen at their as_of.
type Config struct {
	// Spec is the OpenAPI document; nil means the embedded one.
	Spec *spec.Spec
	// SpecData, when non-nil, is a partner's document (serve --spec) used instead of Spec;
	// SpecSource names it in messages. New checks it together with the tenants and reports
	// every problem in one message.
	SpecData   []byte
	SpecSource string
	// Resources replaces Resources() when non-nil.
	Resources []resource.Resource
	// Tenants replaces the built-in tenants when non-nil; ReadFile then reads the pinned files
	// it names.
	Tenants  *tenant.Config
	ReadFile tenant.ReadFile
	// Clock sets the mock's time; the zero value is frozen at each tenant's as_of.
	Clock Clock
	// Logger receives one line per request; nil discards them.
	Logger *slog.Logger
	// Strict turns the Prefer controls off: the mock is a pure replica. False (the zero value)
	// honours them.
	Strict bool
	// Chaos is the global chaos injected into API requests; the zero value injects nothing.
	Chaos faults.Chaos
	// Journal records the API requests served (NewJournal); nil records none.
	Journal *Journal
	// Profile, when set, records New's phases (serve --profile-startup) and notes the first
	// /healthz answer.
	Profile *StartupProfile
	// AdminToken turns the admin API (/__admin/) on: its requests carry it as "Authorization:
	// Bearer TOKEN". Empty takes the tenants config's admin.token; when that is empty too, the
	// admin API is off. See CheckAdminToken.
	AdminToken string
}

// Clock sets the mock's time (see the clock flags of serve). The zero value is frozen at each
// tenant's as_of.
type Clock struct {
	// Live makes the clock run; false freezes it.
	Live bool
	// Now is the instant the clock is frozen at, or starts from when live; zero means each
	// tenant's as_of.
	Now time.Time
	// Start is the wall time a live clock starts at (it tells Now then); zero means start-up.
	Start time.Time
	// Speed is mock seconds per wall second when live; zero means 1.
	Speed float64
}

// App is a ready-to-serve mock.
type App struct {
	Spec      *spec.Spec
	Tenants   *tenant.Registry
	Handler   http.Handler
	clock     *clock.Clock
	resources []*resource.Bound
	admin     bool
}

// New builds the mock described by cfg. Every problem with the document, the tenants and the
// clock is reported at once, in one *problem.List.
func New(cfg Config) (*App, error) {
	var rec *startup.Recorder
	if cfg.Profile != nil {
		rec = cfg.Profile.rec
	}
	end := rec.Begin(0, "load the OpenAPI document")
	s, source, problems := loadSpec(cfg)
	end()
	end = rec.Begin(0, "bind resources, read the tenants config")
	rs := cfg.Resources
	if rs == nil {
		rs = Resources()
	}
	var bound []*resource.Bound
	var vocab domain.Vocab
	if s != nil {
		var ps []string
		bound, vocab, ps = resource.BindAll(s, rs)
		for _, p := range ps {
			problems.Addf("", "%s", p)
		}
	}
	tc, read := cfg.Tenants, cfg.ReadFile
	if tc == nil {
		var err error
		if tc, err = BuiltinTenants(); err != nil {
			return nil, err
		}
		read = fixtures.FS.ReadFile
		if !vocab.Orders {
			// A document without orders (an older one given with --spec) still serves the demo
			// users; their pinned orders have nowhere to go.
			for i := range tc.Tenants {
				tc.Tenants[i].PinnedOrders = ""
			}
		}
	}
	if read == nil {
		read = func(name string) ([]byte, error) { return nil, fmt.Errorf("read %s: no file reader configured", name) }
	}
	clk, err := clock.New(clock.Config{Live: cfg.Clock.Live, At: cfg.Clock.Now, Start: cfg.Clock.Start, Speed: cfg.Clock.Speed})
	if err != nil {
		problems.Addf("clock", "%v", err)
	}
	token := adminToken(cfg.AdminToken, tc, problems)
	if problems.Len() > 0 {
		if s != nil {
			problems.Merge(tc.Validate())
			if tc.Validate() == nil {
				_, perr := tc.Pinned(vocab, read)
				problems.Merge(perr)
			}
		}
		problems.Heading = fmt.Sprintf("the mock cannot serve %s; fix these and start again:", source)
		return nil, problems
	}
	end()
	end = rec.Begin(0, "build tenants")
	tenants, err := tenant.BuildTimed(bound, vocab, tc, read, rec)
	end()
	if err != nil {
		return nil, err
	}
	end = rec.Begin(0, "warm indexes at the clock's now")
	for _, t := range tenants {
		t.Warm(clk.Now(t.AsOf()))
	}
	end()
	end = rec.Begin(0, "reference page and HTTP handler")
	reg := tenant.NewRegistry(tenants)
	docs, err := referencePage(s, source, bound, tenants, cfg.Tenants == nil, clk)
	if err != nil {
		return nil, err
	}
	admin := httpapi.Admin{Token: token, Editor: scenario.New(bound, vocab), GeneratorVersion: GeneratorVersion, MaskKey: MaskKey}
	h, err := httpapi.New(s, bound, reg, httpapi.Config{Logger: cfg.Logger, Docs: docs, Strict: cfg.Strict, Chaos: cfg.Chaos, Clock: clk, Journal: cfg.Journal, Admin: admin})
	end()
	if err != nil {
		return nil, err
	}
	a := &App{Spec: s, Tenants: reg, Handler: h, clock: clk, resources: bound, admin: token != ""}
	if cfg.Profile != nil {
		a.Handler = cfg.Profile.watch(h)
	}
	return a, nil
}

// embeddedSource names the compiled-in document in messages.
const embeddedSource = "embedded openapi.json"

// loadSpec returns the document to serve, as far as it could be read, with its own problems.
func loadSpec(cfg Config) (*spec.Spec, string, *problem.List) {
	problems := &problem.List{}
	s, source := cfg.Spec, embeddedSource
	var ps []string
	switch {
	case cfg.SpecData != nil:
		source = cfg.SpecSource
		if source == "" {
			source = "supplied document"
		}
		s, ps = spec.Inspect(source, cfg.SpecData)
	case s == nil:
		s, ps = spec.Inspect(source, spec.Embedded())
	default:
		// Already loaded by the caller; its problems, if any, were the caller's to report.
		source = "the given document"
	}
	for _, p := range ps {
		problems.Addf("", "%s", p)
	}
	return s, source, problems
}

// BuiltinTenants returns the built-in tenants config (fixtures/tenants.yaml).
func BuiltinTenants() (*tenant.Config, error) {
	data, err := fixtures.FS.ReadFile(fixtures.TenantsFile)
	if err != nil {
		return nil, fmt.Errorf("built-in tenants: %w", err)
	}
	return tenant.ParseConfig("built-in "+fixtures.TenantsFile, data)
}
