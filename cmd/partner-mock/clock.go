package main

import (
	"fmt"
	"strconv"
	"time"

	"github.com/cryptofi/partner-mock/mock/app"
)

// clockFlags set the mock's time (docs/time-and-sync.md). Unset, they leave the tenants config's clock,
// and without one the clock is frozen at each FI's as_of.
type clockFlags struct {
	Now        string `env:"PARTNER_MOCK_NOW" placeholder:"RFC3339" help:"Freeze the mock's time at this instant (or, with --clock live, start there) instead of each FI's as_of."`
	Clock      string `env:"PARTNER_MOCK_CLOCK" placeholder:"frozen|live" help:"frozen (default): answers never change; live: mock time runs at --clock-speed from --clock-start."`
	ClockStart string `name:"clock-start" env:"PARTNER_MOCK_CLOCK_START" placeholder:"RFC3339" help:"Wall time the live clock starts at (default: process start). Replicas given the same start and speed answer alike."`
	ClockSpeed string `name:"clock-speed" env:"PARTNER_MOCK_CLOCK_SPEED" placeholder:"N" help:"Mock seconds per wall second of the live clock (default 1; 86400 makes a day pass each second)."`
}

// apply reads the flags into cfg.Clock over what the tenants config set. Every problem is a
// usage error naming the flag.
func (f clockFlags) apply(cfg *app.Config) error {
	c := cfg.Clock
	var err error
	if f.Now != "" {
		if c.Now, err = parseInstant("--now", f.Now); err != nil {
			return err
		}
	}
	switch f.Clock {
	case "":
	case "frozen":
		c.Live = false
	case "live":
		c.Live = true
	default:
		return usageError{fmt.Errorf("--clock %q: want frozen or live", f.Clock)}
	}
	if f.ClockStart != "" {
		if c.Start, err = parseInstant("--clock-start", f.ClockStart); err != nil {
			return err
		}
	}
	if f.ClockSpeed != "" {
		if c.Speed, err = strconv.ParseFloat(f.ClockSpeed, 64); err != nil || !(c.Speed > 0) {
			return usageError{fmt.Errorf("--clock-speed %q: want a number of mock seconds per second above 0, e.g. 86400 for a day per second", f.ClockSpeed)}
		}
	}
	if !c.Live && (f.ClockStart != "" || f.ClockSpeed != "") {
		return usageError{fmt.Errorf("--clock-start and --clock-speed set a live clock: add --clock live, or drop them")}
	}
	cfg.Clock = c
	return nil
}

func parseInstant(flag, v string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}, usageError{fmt.Errorf("%s %q: want an RFC 3339 instant such as 2025-10-08T12:00:00Z", flag, v)}
	}
	return t, nil
}
