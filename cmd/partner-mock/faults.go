package main

import (
	"fmt"
	"io"

	"github.com/cryptofi/partner-mock/mock/app"
)

// faultFlags are serve's failure-rehearsal flags: Prefer controls are on unless --strict, and
// global chaos is off unless asked for.
type faultFlags struct {
	Strict    bool   `env:"PARTNER_MOCK_STRICT" help:"Serve a pure replica of the live API: ignore Prefer controls and the keys' fault profiles. Cannot be combined with the chaos flags."`
	Latency   string `env:"PARTNER_MOCK_LATENCY" placeholder:"D|MIN-MAX" help:"Add latency to every API request: a duration (50ms) or a range (20ms-200ms), at most 30s."`
	ErrorRate string `name:"error-rate" env:"PARTNER_MOCK_ERROR_RATE" placeholder:"FRACTION" help:"Answer this fraction of API requests with the load balancer's 503, 0 to 1 (0.02 is 2%)."`
	RateLimit string `name:"rate-limit" env:"PARTNER_MOCK_RATE_LIMIT" placeholder:"N/UNIT" help:"Limit each API key to N requests per s, m or h (10/s); excess requests get 429 with Retry-After."`
	ChaosSeed uint64 `name:"chaos-seed" default:"1" env:"PARTNER_MOCK_CHAOS_SEED" placeholder:"N" help:"Seed of the latency and error draws (chaos flags and keys' fault profiles): the same seed replays the same run."`
}

// apply checks the flags and puts them into cfg. Every problem is a usage error (exit 2).
func (f faultFlags) apply(cfg *app.Config) error {
	cfg.Strict = f.Strict
	if err := app.ParseChaos(cfg, f.Latency, f.ErrorRate, f.RateLimit, f.ChaosSeed); err != nil {
		return usageError{err}
	}
	return nil
}

// printFaults adds the failure-rehearsal lines to the start-up block: whether Prefer controls
// are honoured, and every active chaos control.
func printFaults(w io.Writer, cfg app.Config) {
	if cfg.Strict {
		fmt.Fprintln(w, "strict: a pure replica; Prefer controls are ignored")
	} else {
		fmt.Fprintln(w, "Prefer controls on: code=N, delay=MS, fault=NAME (--strict turns them off)")
	}
	for _, line := range cfg.Chaos.Describe() {
		fmt.Fprintln(w, "chaos: "+line)
	}
}
