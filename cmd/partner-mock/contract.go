package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/cryptofi/partner-mock/contract"
)

// contractCmd runs the contract suite against any base URL: the mock, staging, production.
// Exit status: 0 every check passed (or, with --compare-with, no drift), 1 a check failed (or
// the targets differ), 2 usage or config error, 3 target unreachable.
type contractCmd struct {
	BaseURL     string        `name:"base-url" env:"PARTNER_API_BASE_URL" placeholder:"URL" help:"Base URL of the API under test, including its base path (e.g. http://127.0.0.1:8000/v1)."`
	APIKey      string        `name:"api-key" env:"PARTNER_API_KEY" placeholder:"KEY" help:"API key of one FI. Never printed: reports and curl lines say $PARTNER_API_KEY."`
	APIKey2     string        `name:"api-key-2" env:"PARTNER_API_KEY_2" placeholder:"KEY" help:"API key of a second FI; enables the tenant isolation checks."`
	MaxRequests int           `name:"max-requests" default:"1000" help:"Request budget, retries included; checks sample when the population needs more."`
	Rate        *float64      `name:"rate" placeholder:"R" help:"Requests per second (default 10, no limit on a loopback host); 0 for no limit."`
	Timeout     time.Duration `name:"timeout" default:"10s" help:"Timeout of each request."`
	JUnit       string        `name:"junit" placeholder:"FILE" help:"Also write the results as JUnit XML to FILE."`
	JSON        string        `name:"json" placeholder:"FILE" help:"Also write the results as JSON to FILE."`
	CompareWith string        `name:"compare-with" placeholder:"URL2" help:"Instead of the checks, send the drift probe set to --base-url and URL2 and list every difference."`
	CompareKey  string        `name:"compare-key" env:"PARTNER_API_COMPARE_KEY" placeholder:"KEY" help:"API key for URL2 (default: --api-key)."`
	Only        []string      `name:"only" placeholder:"CHECK,FAMILY" help:"Run only these checks or families (e.g. paging,auth/missing-key)."`
	CACert      string        `name:"cacert" env:"PARTNER_API_CACERT" placeholder:"FILE" help:"Trust the CA certificate(s) in this PEM file for https URLs instead of the system's (as curl --cacert), e.g. the CA of serve --tls-self-signed."`
	Skip        []string      `name:"skip" placeholder:"CHECK,FAMILY" help:"Leave out these checks or families (repeatable); the reports list them as skipped by --skip."`

	// written is set once the report files were written, so an error path does not write
	// them again over the real report.
	written bool
}

// exitStatus ends the command with a specific status; run prints err unless it is nil.
type exitStatus struct {
	code int
	err  error
}

func (e exitStatus) Error() string { return e.err.Error() }
func (e exitStatus) Unwrap() error { return e.err }

// Exit statuses of the contract command beyond 0, 1 and 2.
const exitUnreachable = 3

// Run runs the suite (or the drift report) and writes the reports. The --junit and --json
// files are written whatever happens: when the run cannot start or report (a bad setting, the
// target unreachable), they hold one failed check saying why, so CI always finds them.
func (c *contractCmd) Run(e *env) (err error) {
	c.written = false
	defer func() {
		if err != nil && !c.written {
			cfg := contract.Config{BaseURL: c.BaseURL, APIKey: c.APIKey, APIKey2: c.APIKey2, MaxRequests: c.MaxRequests}
			if werr := c.writeFiles(contract.ErrorReport(cfg, err, c.CompareKey)); werr != nil {
				err = errors.Join(err, werr)
			}
		}
	}()
	if c.BaseURL == "" {
		return usageError{errors.New("--base-url (or PARTNER_API_BASE_URL) is required, e.g. --base-url http://127.0.0.1:8000/v1")}
	}
	if c.APIKey == "" {
		return usageError{errors.New("--api-key (or PARTNER_API_KEY) is required")}
	}
	if c.MaxRequests <= 0 {
		return usageError{fmt.Errorf("--max-requests %d: want a positive number", c.MaxRequests)}
	}
	// The suite's Config: 0 means the default, negative no limit.
	var rate float64
	switch {
	case c.Rate == nil:
	case *c.Rate < 0:
		return usageError{fmt.Errorf("--rate %g: want requests per second, or 0 for no limit", *c.Rate)}
	case *c.Rate == 0:
		rate = -1
	default:
		rate = *c.Rate
	}
	if c.Timeout <= 0 {
		return usageError{fmt.Errorf("--timeout %s: want a positive duration such as 10s", c.Timeout)}
	}
	if c.CompareKey != "" && c.CompareWith == "" {
		return usageError{errors.New("--compare-key needs --compare-with URL2")}
	}
	cfg := contract.Config{
		BaseURL: c.BaseURL, APIKey: c.APIKey, APIKey2: c.APIKey2,
		MaxRequests: c.MaxRequests, Rate: rate, Timeout: c.Timeout,
		Only: c.Only, Skip: c.Skip, Log: e.stderr, LogLive: isTerminal(e.stderr),
	}
	if c.CACert != "" {
		hc, err := caClient("--cacert", c.CACert)
		if err != nil {
			return usageError{err}
		}
		cfg.HTTPClient = hc
	}
	if c.CompareWith != "" {
		return c.drift(e, cfg)
	}
	rep, runErr := contract.Run(e.ctx, cfg)
	if rep == nil {
		return classify(runErr)
	}
	// A run the target walked away from still reports what it found. The progress lines on
	// stderr named every check, so the report says only what they did not.
	if err := c.writeReports(e, rep.WriteOutcome, rep); err != nil {
		return err
	}
	if runErr != nil {
		return classify(runErr)
	}
	if !rep.OK() {
		return fmt.Errorf("%d of %d checks failed", rep.Failed, len(rep.Checks))
	}
	return nil
}

func (c *contractCmd) drift(e *env, cfg contract.Config) error {
	key := c.CompareKey
	if key == "" {
		key = c.APIKey
	}
	rep, err := contract.Drift(e.ctx, cfg, contract.Target{BaseURL: c.CompareWith, APIKey: key})
	if err != nil {
		return classify(err)
	}
	if err := c.writeReports(e, rep.WriteSummary, rep); err != nil {
		return err
	}
	if !rep.OK() {
		return fmt.Errorf("the targets differ in %d way(s)", len(rep.Differences))
	}
	return nil
}

// classify maps the suite's errors to exit statuses.
func classify(err error) error {
	var cerr *contract.ConfigError
	switch {
	case errors.As(err, &cerr):
		return usageError{err}
	case errors.Is(err, contract.ErrUnreachable):
		return exitStatus{code: exitUnreachable, err: err}
	}
	return err
}

// reporter is what a suite run and a drift report both write to files: JUnit and JSON.
type reporter interface {
	WriteJUnit(io.Writer) error
	WriteJSON(io.Writer) error
}

// writeReports prints the report to stdout with summary and writes the --junit and --json
// files that were asked for.
func (c *contractCmd) writeReports(e *env, summary func(io.Writer) error, rep reporter) error {
	if err := summary(e.stdout); err != nil {
		return err
	}
	return c.writeFiles(rep)
}

// writeFiles writes the --junit and --json files that were asked for.
func (c *contractCmd) writeFiles(rep reporter) error {
	c.written = true
	if err := writeReport(c.JUnit, rep.WriteJUnit); err != nil {
		return err
	}
	return writeReport(c.JSON, rep.WriteJSON)
}

// isTerminal reports whether w is a terminal, where a progress line can be replaced in place.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

func writeReport(path string, write func(io.Writer) error) error {
	if path == "" {
		return nil
	}
	f, err := os.Create(path)
	if err != nil {
		return usageError{fmt.Errorf("report file: %w", err)}
	}
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Close()
}
