package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/cryptofi/partner-mock/mock/app"
	"github.com/cryptofi/partner-mock/mock/gen"
)

type serveCmd struct {
	Addr string `default:"127.0.0.1:8000" env:"PARTNER_MOCK_ADDR" help:"Address to listen on (HOST:PORT)."`
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
	a, err := app.New(app.Config{Logger: logger})
	if err != nil {
		return usageError{err}
	}
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", c.Addr, err)
	}
	srv := &http.Server{
		Handler:           a.Handler,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	printBanner(e.stdout, ln.Addr().String(), a)
	if e.ready != nil {
		e.ready(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-e.ctx.Done():
	}
	ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

func printBanner(w io.Writer, addr string, a *app.App) {
	base := "http://" + addr + a.Spec.BasePath
	fmt.Fprintf(w, "partner-mock %s (generator %s) serving %s\n", version, gen.Version, base+"/users/")
	var firstKey string
	for _, t := range a.Tenants.Tenants() {
		var keys []string
		for _, k := range t.Config.APIKeys {
			keys = append(keys, showKey(k))
			if firstKey == "" {
				firstKey = showKey(k)
			}
		}
		fmt.Fprintf(w, "  %-24s key %-14s %d users\n", t.Config.FIName, strings.Join(keys, ","), t.Index.Len())
	}
	fmt.Fprintf(w, "try: curl -H 'x-api-key: %s' '%s/users/?per_page=2'\n", firstKey, base)
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
