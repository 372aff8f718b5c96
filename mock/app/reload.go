package app

import (
	"net/http"
	"sync"
	"sync/atomic"
)

// Reloadable serves an App that can be replaced while it serves: the way several replicas
// behind a load balancer take a configuration change (each re-reads the shared config file),
// since changes made through one replica's admin API stay in that process.
//
// Its handler is stable; behind it an atomic pointer holds the current App. Reload builds the
// next App completely, off to the side, then swaps the pointer: a request is served from start
// to end by the App that was current when it arrived, old or new, never by a half-built one.
// A config that fails to build leaves the current App serving.
type Reloadable struct {
	load func() (Config, error)

	mu      sync.Mutex // one Reload at a time
	current atomic.Pointer[App]
}

// NewReloadable builds the first App from the Config load returns. Each Reload calls load again:
// it re-reads whatever may have changed (the tenants file) and returns the whole Config, with
// the same Journal every time so that the record outlives reloads.
func NewReloadable(load func() (Config, error)) (*Reloadable, error) {
	r := &Reloadable{load: load}
	a, err := r.build()
	if err != nil {
		return nil, err
	}
	r.current.Store(a)
	return r, nil
}

// ServeHTTP serves the request with the current App.
func (r *Reloadable) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.current.Load().Handler.ServeHTTP(w, req)
}

// App returns the App serving now.
func (r *Reloadable) App() *App {
	return r.current.Load()
}

// Reload builds a new App from load and swaps it in, returning it. On any problem it returns
// the error (for a bad tenants file, a *tenant.FileError or *StartupError listing every
// problem, FILE:LINE: first) and the current App keeps serving.
func (r *Reloadable) Reload() (*App, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	a, err := r.build()
	if err != nil {
		return nil, err
	}
	r.current.Store(a)
	return a, nil
}

func (r *Reloadable) build() (*App, error) {
	cfg, err := r.load()
	if err != nil {
		return nil, err
	}
	return New(cfg)
}
