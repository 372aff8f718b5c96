package app

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime/pprof"
	"sync"
	"time"

	"github.com/cryptofi/partner-mock/mock/internal/startup"
)

// StartupProfile records where start-up goes, from exec to the first /healthz answer: the time
// before main (runtime and package initialisation), then each phase of New (the document, the
// tenants' generation, indexes and renderings, the handler) and the caller's own (flags,
// listening). Set Config.Profile to one to have New record its phases.
type StartupProfile struct {
	rec     *startup.Recorder
	healthz sync.Once
	// healthy is closed when the first /healthz has been answered.
	healthy chan struct{}
	first   time.Duration
}

// NewStartupProfile starts a profile. Its clock counts from exec where the system tells when
// the process started, with a first phase for the time before it was called.
func NewStartupProfile() *StartupProfile {
	p := &StartupProfile{rec: startup.New(), healthy: make(chan struct{})}
	if d, ok := startup.SinceExec(); ok {
		p.rec = startup.NewAt(time.Now().Add(-d))
		p.rec.Add(startup.Phase{Name: "exec → main: runtime and package initialisation", Wall: d, CPU: startup.CPUTime()})
	}
	return p
}

// Begin starts a phase of the caller's and returns the function that ends it.
func (p *StartupProfile) Begin(name string) func() {
	if p == nil {
		return func() {}
	}
	return p.rec.Begin(0, name)
}

// Print writes the phases recorded so far as a table.
func (p *StartupProfile) Print(w io.Writer) {
	startup.Print(w, p.rec.Phases())
}

// Healthy is closed once the first /healthz has been answered; FirstHealthz then tells when.
func (p *StartupProfile) Healthy() <-chan struct{} { return p.healthy }

// FirstHealthz returns when the first /healthz answer was written, from the profile's origin
// (exec where known).
func (p *StartupProfile) FirstHealthz() time.Duration { return p.first }

// watch wraps h to note the first /healthz answer.
func (p *StartupProfile) watch(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r)
		if r.URL.Path == "/healthz" {
			p.healthz.Do(func() {
				p.first = p.rec.Since()
				close(p.healthy)
			})
		}
	})
}

// StartCPUProfile writes a CPU profile (pprof) of the process to path until stop is called.
func StartCPUProfile(path string) (stop func() error, err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	return func() error {
		pprof.StopCPUProfile()
		return f.Close()
	}, nil
}
