package main

import (
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/cryptofi/partner-mock/mock/app"
)

// printKeyFaults lists, under its FI's line in the start-up block, each key of fi that has a
// fault profile, with what the profile does: the keys a service under test can be given to
// meet a slow or flaky API. Under --strict the profiles are off, and the lines say so.
func printKeyFaults(w io.Writer, fi app.FI, strict bool) {
	width := 0
	for _, k := range fi.Keys {
		if k.Faults != "" {
			width = max(width, utf8.RuneCountInString(app.MaskKey(k.Key))+1)
		}
	}
	for _, k := range fi.Keys {
		if k.Faults == "" {
			continue
		}
		what := k.Faults
		if strict {
			what = "off under --strict, otherwise: " + what
		}
		fmt.Fprintf(w, "    key %-*s %s\n", width, app.MaskKey(k.Key)+":", what)
	}
}

// keyFaultsNote explains the keys' fault profiles once, after the FIs, when any key has one.
func keyFaultsNote(w io.Writer, a *app.App, cfg app.Config) {
	some, random := false, false
	for _, fi := range a.FIs() {
		for _, k := range fi.Keys {
			some = some || k.Faults != ""
			random = random || k.Random
		}
	}
	if !some {
		return
	}
	if cfg.Strict {
		fmt.Fprintln(w, "key faults: off under --strict; every key gets the plain API")
		return
	}
	note := "key faults: a key listed with faults meets them on every request, whatever the client sends (Prefer controls still win)"
	if random {
		note += fmt.Sprintf("; random ones replay with --chaos-seed (now %d)", cfg.Chaos.Seed)
	}
	fmt.Fprintln(w, note)
}
