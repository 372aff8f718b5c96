// Command partner-mock is the Partner API mock server and its tools in one binary:
// serve (the mock), version, and the commands later issues add.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/alecthomas/kong"
)

// version is the binary's release, set with -ldflags "-X main.version=...".
var version = "dev"

// cli is the command line. Each command is a struct with a Run method.
type cli struct {
	Serve       serveCmd       `cmd:"" help:"Serve the mock Partner API."`
	Version     versionCmd     `cmd:"" help:"Print the version, the generator version and the spec version."`
	Healthcheck healthcheckCmd `cmd:"" help:"Exit 0 when a running mock answers /healthz (for Docker's HEALTHCHECK)."`
	Dump        dumpCmd        `cmd:"" help:"Write a tenant's whole population (json, ndjson or csv), sorted by created_at then id."`
	Contract    contractCmd    `cmd:"" help:"Run the contract suite against a base URL (the mock, staging, ...); exit 0 pass, 1 fail, 2 usage, 3 unreachable."`
}

// env is what commands get from main: where to write, and a context that ends on SIGINT/SIGTERM.
type env struct {
	ctx    context.Context
	stdout io.Writer
	stderr io.Writer
	// ready, when set, receives the serving address once the listener is open (tests use it).
	ready func(addr string)
}

// usageError is a problem with flags, config or spec: the user must fix something. It exits 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, nil)
	stop()
	os.Exit(code)
}

// run parses args and runs the command, returning the exit status: 0 ok, 1 runtime failure,
// 2 usage or config error, or a command's own status (exitStatus: contract's 3, unreachable).
func run(ctx context.Context, args []string, stdout, stderr io.Writer, ready func(string)) int {
	var c cli
	exitCode := -1
	parser, err := kong.New(&c,
		kong.Name("partner-mock"),
		kong.Description("A mock of the Partner API that behaves like the live FastAPI service, and its tools."),
		kong.Writers(stdout, stderr),
		kong.Exit(func(code int) { exitCode = code }),
		kong.UsageOnError(),
	)
	if err != nil {
		fmt.Fprintf(stderr, "partner-mock: %v\n", err)
		return 1
	}
	kctx, err := parser.Parse(args)
	if exitCode >= 0 {
		// --help or a kong fatal error already printed what it had to say.
		return exitCode
	}
	if err != nil {
		fmt.Fprintf(stderr, "partner-mock: %v\n", err)
		if perr := (*kong.ParseError)(nil); errors.As(err, &perr) && perr.Context != nil {
			_ = perr.Context.PrintUsage(true)
		}
		return 2
	}
	if err := kctx.Run(&env{ctx: ctx, stdout: stdout, stderr: stderr, ready: ready}); err != nil {
		fmt.Fprintf(stderr, "partner-mock %s: %v\n", kctx.Command(), err)
		var uerr usageError
		if errors.As(err, &uerr) {
			return 2
		}
		var xerr exitStatus
		if errors.As(err, &xerr) {
			return xerr.code
		}
		return 1
	}
	return 0
}
