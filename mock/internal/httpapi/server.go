// Package httpapi is the mock's HTTP layer: Gin routes, auth, and the FastAPI/Starlette
// behaviour around them (307 slash redirects, 404 and 405 bodies). It is the only package that
// imports Gin. It serves every resource it is given through the same two handlers (list.go),
// which stay thin: parse the request, read the clock, ask the collection, render.
package httpapi

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/cryptofi/partner-mock/mock/internal/clock"
	"github.com/cryptofi/partner-mock/mock/internal/faults"
	"github.com/cryptofi/partner-mock/mock/internal/journal"
	"github.com/cryptofi/partner-mock/mock/internal/qs"
	"github.com/cryptofi/partner-mock/mock/internal/refdocs"
	"github.com/cryptofi/partner-mock/mock/internal/resource"
	"github.com/cryptofi/partner-mock/mock/internal/tenant"
	"github.com/cryptofi/partner-mock/spec"
)

// Config holds the handler's optional settings. The zero value is valid.
type Config struct {
	// Logger receives one line per request. Nil discards them.
	Logger *slog.Logger
	// Docs is the reference page served at /docs. Nil renders the document alone, without
	// keys or examples.
	Docs *refdocs.Page
	// Strict turns the Prefer controls off (Prefer headers are then ignored silently): the mock
	// is a pure replica of the live API. False, the zero value, honours them. Strict cannot be
	// combined with Chaos.
	Strict bool
	// Chaos is injected into every API request (latency, 503s, a per-key rate limit). The zero
	// value injects nothing.
	Chaos faults.Chaos
	// Clock tells the mock's time; nil is frozen at each tenant's as_of.
	Clock *clock.Clock
	// Journal records every API request served (see journal.go); nil records none.
	Journal *journal.Journal
	// Admin turns the admin API (/__admin/) on when its Token is set; the zero value leaves it
	// off.
	Admin Admin
}

// Handler serves the Partner API for a set of tenants.
type Handler struct {
	engine    *gin.Engine
	spec      *spec.Spec
	resources []*resource.Bound
	tenants   *tenant.Registry
	clock     *clock.Clock
	logger    *slog.Logger
	patterns  []pattern
	docs      *refdocs.Page
	// admin serves /__admin/; nil when the admin API is off.
	admin *adminAPI
}

// New builds the handler for the bound resources, whose collections every tenant holds in the
// same order. s, resources and tenants are required.
func New(s *spec.Spec, resources []*resource.Bound, tenants *tenant.Registry, cfg Config) (*Handler, error) {
	if s == nil || len(resources) == 0 || tenants == nil {
		return nil, fmt.Errorf("httpapi: spec, resources and tenants are required")
	}
	clk := cfg.Clock
	if clk == nil {
		var err error
		if clk, err = clock.New(clock.Config{}); err != nil {
			return nil, err
		}
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	// Starlette, not Gin, decides what an unmatched path gets: turn Gin's own fixes off.
	e.RedirectTrailingSlash = false
	e.RedirectFixedPath = false
	e.RemoveExtraSlash = false
	e.HandleMethodNotAllowed = true
	e.UseRawPath = false

	h := &Handler{engine: e, spec: s, resources: resources, tenants: tenants, clock: clk, logger: logger}
	useJournal(e, cfg.Journal)
	e.Use(h.logRequests, recoverPanics(logger))
	fl, err := newFaultLayer(cfg, tenants, logger)
	if err != nil {
		return nil, err
	}

	var paths []string
	for i, b := range resources {
		list := s.BasePath + b.ListPath()
		e.GET(list, fl.handle, h.auth(h.list(i)))
		paths = append(paths, list)
		if b.Detail != nil {
			detail := s.BasePath + ginPath(b.DetailPath())
			e.GET(detail, nonEmptyParam, fl.handle, h.auth(h.detail(i)))
			fl.notFound[detail] = &notFoundError{detail: b.NotFound()}
			paths = append(paths, detail)
		}
	}
	e.GET("/healthz", h.healthz)
	docPaths, err := h.registerDocs(e, cfg.Docs)
	if err != nil {
		return nil, err
	}
	for _, p := range append(append(paths, "/healthz"), docPaths...) {
		h.patterns = append(h.patterns, compile(p))
	}
	if err := h.registerAdmin(e, cfg.Admin, cfg.Journal); err != nil {
		return nil, err
	}
	e.NoRoute(h.noRoute)
	e.NoMethod(func(c *gin.Context) {
		if h.admin != nil && isAdminPath(c.Request.URL.Path) {
			h.admin.noRoute(c)
			return
		}
		writeError(c, errMethodNotAllowed)
	})
	return h, nil
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.engine.ServeHTTP(w, r)
}

// nonEmptyParam rejects "/v1/users//": Gin matches an empty path parameter, Starlette's
// "{user_account_id}" does not, so the live API answers 404 before auth.
func nonEmptyParam(c *gin.Context) {
	for _, p := range c.Params {
		if p.Value == "" {
			writeError(c, errNotFound)
			return
		}
	}
}

// noRoute answers like Starlette's router: when the path with its trailing slash added (or
// removed) matches a route, 307 to it, for any method and before auth; otherwise 404.
func (h *Handler) noRoute(c *gin.Context) {
	path := c.Request.URL.Path
	if h.admin != nil && isAdminPath(path) {
		h.admin.noRoute(c)
		return
	}
	if path != "/" {
		alt := path + "/"
		if strings.HasSuffix(path, "/") {
			alt = strings.TrimRight(path, "/")
		}
		for _, p := range h.patterns {
			if p.match(alt) {
				scheme := "http"
				if c.Request.TLS != nil {
					scheme = "https"
				}
				loc, ok := qs.RedirectLocation(scheme, c.Request.Host, alt, c.Request.URL.RawQuery)
				if !ok {
					// Starlette decodes the query strictly as UTF-8 to build the URL and fails.
					writeInternalError(c)
					return
				}
				c.Header("location", loc)
				c.Status(http.StatusTemporaryRedirect)
				c.Abort()
				return
			}
		}
	}
	writeError(c, errNotFound)
}

func (h *Handler) logRequests(c *gin.Context) {
	start := time.Now()
	c.Next()
	// The path only: keys travel in a header and never reach the log.
	h.logger.Info("request",
		"method", c.Request.Method,
		"path", c.Request.URL.Path,
		"status", c.Writer.Status(),
		"duration", time.Since(start).Round(time.Microsecond).String())
}
