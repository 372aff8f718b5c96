package main

import (
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/cryptofi/partner-mock/mock/app"
)

// printKeyFaults lists, under its FI's line in the start-up block, each key of tc that has a
// fault profile, with what the profile does: the keys a service under test can be given to
// meet a slow or flaky API. Under --strict the profiles are off, and the lines say so.
func printKeyFaults(w io.Writer, tc app.TenantConfig, strict bool) {
	width := 0
	for j, k := range tc.APIKeys {
		if tc.KeyProfile(j).Active() {
			width = max(width, utf8.RuneCountInString(showKey(k))+1)
		}
	}
	for j, k := range tc.APIKeys {
		p := tc.KeyProfile(j)
		if !p.Active() {
			continue
		}
		what := p.Describe()
		if strict {
			what = "off under --strict, otherwise: " + what
		}
		fmt.Fprintf(w, "    key %-*s %s\n", width, showKey(k)+":", what)
	}
}

// keyFaultsNote explains the keys' fault profiles once, after the FIs, when any key has one.
func keyFaultsNote(w io.Writer, a *app.App, cfg app.Config) {
	if !a.Tenants.HasKeyFaults() {
		return
	}
	if cfg.Strict {
		fmt.Fprintln(w, "key faults: off under --strict; every key gets the plain API")
		return
	}
	note := "key faults: a key listed with faults meets them on every request, whatever the client sends (Prefer controls still win)"
	for _, k := range a.Tenants.Keys() {
		if k.Faults.Random() {
			note += fmt.Sprintf("; random ones replay with --chaos-seed (now %d)", cfg.Chaos.Seed)
			break
		}
	}
	fmt.Fprintln(w, note)
}
