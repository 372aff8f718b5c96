package main

import (
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"time"

	"github.com/cryptofi/partner-mock/mock/app"
	"github.com/cryptofi/partner-mock/spec"
)

type serveCmd struct {
	Addr string `default:"127.0.0.1:8000" env:"PARTNER_MOCK_ADDR" help:"Address to listen on (HOST:PORT)."`
	Spec string `env:"PARTNER_MOCK_SPEC" placeholder:"FILE" help:"Serve by this OpenAPI 3.0/3.1 document (JSON or YAML) instead of the built-in one."`
	// Tenants: a config file, or one tenant from flags (config.go).
	Config string  `env:"PARTNER_MOCK_CONFIG" placeholder:"FILE" help:"Tenants config file (YAML; see README). Default: the built-in demo tenants."`
	APIKey *string `name:"api-key" placeholder:"KEY" help:"Serve one tenant under this key instead of the configured tenants; with --users and --seed."`
	Users  *int    `placeholder:"N" help:"Users of the --api-key tenant (default 1000)."`
	Seed   *uint64 `placeholder:"S" help:"Seed of the --api-key tenant (default 1): the same seed gives the same users."`
	// Failure rehearsal: Prefer controls, chaos (faults.go).
	faultFlags `embed:""`
	// HTTPS: your certificate, or one made at start-up (tls.go).
	tlsFlags `embed:""`
}

// builtinKeys are the demo keys of the built-in tenants: public, so the start-up block shows
// them in full. Keys from a partner's config are masked.
var builtinKeys = map[string]bool{"demo-key": true, "demo-key-2": true}

// shutdownGrace bounds how long in-flight requests may take to finish after SIGINT/SIGTERM.
const shutdownGrace = 5 * time.Second

// Run serves until the context ends, then drains in-flight requests.
func (c *serveCmd) Run(e *env) error {
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return usageError{fmt.Errorf("--addr %q: want HOST:PORT, e.g. 127.0.0.1:8000", c.Addr)}
	}
	logger := slog.New(slog.NewTextHandler(e.stderr, nil))
	cfg := app.Config{Logger: logger}
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
	src := tenantSource{Config: c.Config, APIKey: c.APIKey, Users: c.Users, Seed: c.Seed}
	if err := src.apply(&cfg); err != nil {
		return err
	}
	a, err := app.New(cfg)
	if err != nil {
		return usageError{err}
	}
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", c.Addr, err)
	}
	srv, stopDelays := newHTTPServer(a.Handler, logger)
	scheme := "http"
	if tlsServer != nil {
		srv.TLSConfig, scheme = tlsServer.config, "https"
	}
	printBanner(e.stdout, scheme, ln.Addr().String(), a)
	printFaults(e.stdout, cfg)
	printTLS(e.stdout, tlsServer)
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

func printBanner(w io.Writer, scheme, addr string, a *app.App) {
	base := scheme + "://" + addr + a.Spec.BasePath
	fmt.Fprintf(w, "partner-mock %s (generator %s) serving %s\n", version, app.GeneratorVersion, base+spec.ListPath)
	fmt.Fprintf(w, "reference: %s://%s/docs   OpenAPI document: %s://%s/openapi.json\n", scheme, addr, scheme, addr)
	var firstKey string
	for _, t := range a.Tenants.Tenants() {
		var keys []string
		for _, k := range t.Config.APIKeys {
			keys = append(keys, showKey(k))
			if firstKey == "" {
				firstKey = k
			}
		}
		fmt.Fprintf(w, "  %-24s key %-14s %d users\n", t.Config.FIName, strings.Join(keys, ","), t.Index.Len())
	}
	if builtinKeys[firstKey] {
		fmt.Fprintf(w, "try: curl -H 'x-api-key: %s' '%s%s?per_page=2'\n", firstKey, base, spec.ListPath)
	} else {
		// A partner's key is never echoed, not even here: the shell fills it in.
		fmt.Fprintf(w, "try: curl -H \"x-api-key: $PARTNER_API_KEY\" '%s%s?per_page=2'\n", base, spec.ListPath)
		fmt.Fprintf(w, "     (set PARTNER_API_KEY to your key first: keys are never printed)\n")
	}
}

func showKey(k string) string {
	if builtinKeys[k] {
		return k
	}
	if len(k) <= 4 {
		return "****"
	}
	return k[:2] + "…" + k[len(k)-2:]
}
