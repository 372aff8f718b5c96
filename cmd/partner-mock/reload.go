package main

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/cryptofi/partner-mock/mock/app"
)

// reloadFlags say how a running mock takes a changed config. Replicas behind a load balancer
// share a config file, not an admin API: each re-reads the file on SIGHUP, or by itself with
// --watch-config.
type reloadFlags struct {
	WatchConfig bool `name:"watch-config" env:"PARTNER_MOCK_WATCH_CONFIG" help:"Reload the --config file whenever its content changes (polled every second), as SIGHUP does. A bad file is rejected and the running config kept."`
}

// configPollInterval is how often --watch-config reads the config file.
const configPollInterval = time.Second

// check reports a --watch-config that has no file to watch.
func (f reloadFlags) check(src tenantSource) error {
	if f.WatchConfig && (src.Config == "" || src.oneTenant()) {
		return usageError{errors.New("--watch-config (or PARTNER_MOCK_WATCH_CONFIG) watches the tenants file: give it --config FILE")}
	}
	return nil
}

// reloader re-reads the tenants config and swaps the new app in, logging one line per reload:
// what triggered it, and either what now serves or every problem of a rejected file.
type reloader struct {
	r      *app.Reloadable
	src    tenantSource
	logger *slog.Logger
}

// run reloads on every signal from hup and every change from changed until ctx ends.
func (rl *reloader) run(ctx context.Context, hup <-chan os.Signal, changed <-chan struct{}) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
			rl.reload("SIGHUP")
		case <-changed:
			rl.reload("file changed")
		}
	}
}

func (rl *reloader) reload(trigger string) {
	a, err := rl.r.Reload()
	if err != nil {
		// The problems name the file's lines, never a key (see package tenant).
		rl.logger.Error("config reload rejected; still serving the previous config",
			"trigger", trigger, "tenants", rl.src.describe(), "problems", err.Error())
		return
	}
	rl.logger.Info("config reloaded",
		"trigger", trigger, "tenants", rl.src.describe(), "fis", len(a.TenantNames()), "keys", len(a.Tenants.Keys()))
}

// contentHash returns the digest of the file at path, or the zero digest when it cannot be
// read (an editor replacing it, say): a change either way.
func contentHash(path string) [sha256.Size]byte {
	data, err := os.ReadFile(path)
	if err != nil {
		return [sha256.Size]byte{}
	}
	return sha256.Sum256(data)
}

// watchFile reads path every interval and signals changed (without blocking: changes that
// pile up make one reload) when its content differs from the last look, starting from last.
func watchFile(ctx context.Context, path string, every time.Duration, last [sha256.Size]byte, changed chan<- struct{}) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if h := contentHash(path); h != last {
			last = h
			select {
			case changed <- struct{}{}:
			default:
			}
		}
	}
}

// printReload tells, in the start-up block, how to make this mock re-read its config file.
func printReload(w io.Writer, src tenantSource, watch bool) {
	if src.Config == "" || src.oneTenant() {
		return
	}
	how := "on SIGHUP (kill -HUP <pid>)"
	if watch {
		how += fmt.Sprintf(" and whenever its content changes (--watch-config, polled every %s)", configPollInterval)
	}
	fmt.Fprintf(w, "reload: %s is re-read %s; a bad file is rejected and the running config kept\n", src.Config, how)
}
