package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/cryptofi/partner-mock/mock/app"
)

type serveCmd struct {
	Addr string `default:"127.0.0.1:8000" env:"PARTNER_MOCK_ADDR" help:"Address to listen on (HOST:PORT)."`
	Spec string `env:"PARTNER_MOCK_SPEC" placeholder:"FILE" help:"Serve by this OpenAPI 3.0/3.1 document (JSON or YAML) instead of the built-in one."`
	// Tenants: a config file, or one tenant from flags (config.go).
	Config string  `env:"PARTNER_MOCK_CONFIG" placeholder:"FILE" help:"Tenants config file (YAML; see docs/configuration.md). Default: the built-in demo tenants."`
	APIKey *string `name:"api-key" placeholder:"KEY" help:"Serve one tenant under this key instead of the configured tenants; with --users and --seed."`
	Users  *int    `placeholder:"N" help:"Users of the --api-key tenant (default 1000)."`
	Seed   *uint64 `placeholder:"S" help:"Seed of the --api-key tenant (default 1): the same seed gives the same users."`
	// OrdersPerUser: the --api-key tenant's order density.
	OrdersPerUser *float64 `name:"orders-per-user" placeholder:"N" help:"Mean orders a user of the --api-key tenant has placed by as_of (default 3; 0 for none)."`
	// The mock's time (clock.go).
	clockFlags `embed:""`
	// Failure rehearsal: Prefer controls, chaos (faults.go).
	faultFlags `embed:""`
	// The request journal (journal.go).
	journalFlags `embed:""`
	// Reloading the config while serving (reload.go).
	reloadFlags `embed:""`
	// Where start-up time goes (docs/performance.md).
	ProfileStartup    bool   `name:"profile-startup" help:"Print where start-up went, phase by phase (wall and CPU time, from exec to listening), and when the first /healthz was answered."`
	ProfileStartupCPU string `name:"profile-startup-cpu" placeholder:"FILE" help:"Write a CPU profile (pprof) of start-up, from main to listening, to FILE."`
	// HTTPS: your certificate, or one made at start-up (tls.go).
	tlsFlags `embed:""`
	// The admin API (admin.go).
	adminFlags `embed:""`
}

// logFlushInterval is the longest a log line waits to be written: lines are written in batches
// (logbuf.go).
const logFlushInterval = 100 * time.Millisecond

// shutdownGrace bounds how long in-flight requests may take to finish after SIGINT/SIGTERM.
const shutdownGrace = 5 * time.Second

// Run serves until the context ends, then drains in-flight requests.
func (c *serveCmd) Run(e *env) error {
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return usageError{fmt.Errorf("--addr %q: want HOST:PORT, e.g. 127.0.0.1:8000", c.Addr)}
	}
	var prof *app.StartupProfile
	if c.ProfileStartup || c.ProfileStartupCPU != "" {
		prof = app.NewStartupProfile()
	}
	// stopCPU ends the start-up CPU profile: once listening, or on any earlier return.
	stopCPU := func() {}
	defer func() { stopCPU() }()
	if c.ProfileStartupCPU != "" {
		stop, err := app.StartCPUProfile(c.ProfileStartupCPU)
		if err != nil {
			return usageError{fmt.Errorf("--profile-startup-cpu: %w", err)}
		}
		stopCPU = func() {
			stopCPU = func() {}
			if err := stop(); err != nil {
				fmt.Fprintf(e.stderr, "partner-mock serve: --profile-startup-cpu: %v\n", err)
			}
		}
	}
	endFlags := prof.Begin("flags and configuration")
	logOut := newBatchWriter(e.stderr, logFlushInterval)
	defer logOut.Close()
	logger := slog.New(batchingHandler{slog.NewTextHandler(logOut, nil), logOut})
	cfg := app.Config{Logger: logger, Profile: prof}
	if err := c.loadSpec(&cfg); err != nil {
		return err
	}
	if err := c.faultFlags.apply(&cfg); err != nil {
		return err
	}
	tlsServer, err := c.tlsFlags.prepare(c.Addr, time.Now())
	if err != nil {
		return err
	}
	if err := c.journalFlags.apply(&cfg); err != nil {
		return err
	}
	if err := c.adminFlags.apply(&cfg); err != nil {
		return err
	}
	src := tenantSource{Config: c.Config, APIKey: c.APIKey, Users: c.Users, Seed: c.Seed, OrdersPerUser: c.OrdersPerUser}
	if err := c.reloadFlags.check(src); err != nil {
		return err
	}
	// A live clock that starts at start-up starts once: a reload keeps it running, not restarting.
	var started time.Time
	// Taken before the first read, so that a change made meanwhile is not missed.
	fileHash := contentHash(c.Config)
	endFlags()
	r, err := app.NewReloadable(func() (app.Config, error) {
		next := cfg
		if err := src.apply(&next); err != nil {
			return next, err
		}
		if err := c.clockFlags.apply(&next); err != nil {
			return next, err
		}
		if next.Clock.Live && next.Clock.Start.IsZero() {
			if started.IsZero() {
				started = time.Now()
			}
			next.Clock.Start = started
		}
		return next, nil
	})
	if err != nil {
		return usageError{err}
	}
	// Only start-up is profiled, not the reloads that follow.
	cfg.Profile = nil
	a := r.App()
	endListen := prof.Begin("listen")
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", c.Addr, err)
	}
	srv, stopDelays := newHTTPServer(plantLeak(r), logger)
	scheme := "http"
	if tlsServer != nil {
		srv.TLSConfig, scheme = tlsServer.config, "https"
	}
	endListen()
	stopCPU()
	printBanner(e.stdout, scheme, ln.Addr().String(), a, cfg.Strict)
	printFaults(e.stdout, cfg)
	keyFaultsNote(e.stdout, a, cfg)
	printReload(e.stdout, src, c.WatchConfig)
	printTLS(e.stdout, tlsServer)
	printAdmin(e.stdout, scheme, ln.Addr().String(), a)
	// Start-up leaves its scratch space (sorts, generation buffers) to the garbage collector:
	// collect it now and give it back to the system, in the background; then collect the
	// requests' garbage in proportion to it, not to the tenants' data (tuneGC).
	go func() {
		debug.FreeOSMemory()
		tuneGC()
	}()
	if prof != nil && c.ProfileStartup {
		fmt.Fprintln(e.stdout, "start-up profile (--profile-startup):")
		prof.Print(e.stdout)
		go func() {
			select {
			case <-prof.Healthy():
				fmt.Fprintf(e.stdout, "start-up profile: first /healthz answered %.1f ms after exec\n", float64(prof.FirstHealthz())/float64(time.Millisecond))
			case <-e.ctx.Done():
			}
		}()
	}
	ctx, stopReloads := context.WithCancel(e.ctx)
	defer stopReloads()
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	changed := make(chan struct{}, 1)
	if c.WatchConfig {
		go watchFile(ctx, c.Config, configPollInterval, fileHash, changed)
	}
	go (&reloader{r: r, src: src, logger: logger}).run(ctx, hup, changed)
	if e.ready != nil {
		e.ready(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- serve(srv, ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-e.ctx.Done():
	}
	return drain(srv, errc, stopDelays, shutdownGrace, logger)
}

func printBanner(w io.Writer, scheme, addr string, a *app.App, strict bool) {
	urls := a.ListURLs(scheme + "://" + addr)
	fmt.Fprintf(w, "partner-mock %s (generator %s) serving %s\n", version, app.GeneratorVersion, strings.Join(urls, " and "))
	fmt.Fprintf(w, "reference: %s://%s/docs   OpenAPI document: %s://%s/openapi.json\n", scheme, addr, scheme, addr)
	fmt.Fprintf(w, "clock: %s\n", a.ClockMode())
	names := a.ResourceNames()
	var firstKey string
	for _, fi := range a.FIs() {
		var keys []string
		for _, k := range fi.Keys {
			if k.Faults != "" {
				continue
			}
			keys = append(keys, app.MaskKey(k.Key))
			if firstKey == "" {
				firstKey = k.Key
			}
		}
		if len(keys) == 0 {
			keys = []string{"-"}
		}
		var counts []string
		for i, n := range fi.Counts {
			counts = append(counts, fmt.Sprintf("%d %s", n, names[i]))
		}
		fmt.Fprintf(w, "  %-24s key %-14s %s (now %s)\n", fi.FIName, strings.Join(keys, ","), strings.Join(counts, ", "), fi.Now.Format(time.RFC3339))
		printKeyFaults(w, fi, strict)
	}
	if firstKey == "" {
		firstKey = a.FIs()[0].Keys[0].Key
	}
	if app.BuiltinKey(firstKey) {
		fmt.Fprintf(w, "try: curl -H 'x-api-key: %s' '%s?per_page=2'\n", firstKey, urls[0])
	} else {
		// A partner's key is never echoed, not even here: the shell fills it in.
		fmt.Fprintf(w, "try: curl -H \"x-api-key: $PARTNER_API_KEY\" '%s?per_page=2'\n", urls[0])
		fmt.Fprintf(w, "     (set PARTNER_API_KEY to your key first: keys are never printed)\n")
	}
}
