package contract

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/cryptofi/partner-mock/spec"
)

// Cred is the x-api-key a request carries.
type Cred int

// The credentials a request can carry. CredUnknown is a fixed key no FI should have.
const (
	CredPrimary Cred = iota
	CredSecond
	CredNone
	CredEmpty
	CredUnknown
)

// unknownKey is the key of CredUnknown: public, so reports may show it.
const unknownKey = "contract-suite-no-such-key"

// Request is one GET the suite sends. Path is relative to the base URL ("/users/").
type Request struct {
	Path  string
	Query string
	Cred  Cred
	// OffSpec marks requests that deliberately break the document (bad parameters, a missing
	// slash): they are not request-validated.
	OffSpec bool
}

// Exchange is a request and the answer to it.
type Exchange struct {
	Request Request
	URL     string
	Status  int
	Header  http.Header
	Body    []byte
	// SchemaErr is set when the request or the response does not match the document.
	SchemaErr error
	// page is a 200 list answer's envelope, decoded once when the exchange is checked, or
	// pageErr why it does not decode.
	page    *listPage
	pageErr error
}

// Errors the client ends a request with instead of an answer.
var (
	// ErrBudget: the request budget is spent.
	ErrBudget = errors.New("request budget exhausted")
	// ErrUnreachable: the target did not answer (connection refused, DNS, timeout).
	ErrUnreachable = errors.New("target unreachable")
)

// client sends the suite's requests: GET only, counted against the budget, rate-limited,
// retried on 429/503, and validated against the document.
type client struct {
	cfg       Config
	base      *url.URL
	http      *http.Client
	validator *spec.Validator
	router    routers.Router
	sleep     func(context.Context, time.Duration) error

	mu       sync.Mutex
	sent     int
	nextSlot time.Time
}

func newClient(cfg Config) (*client, error) {
	base, err := url.Parse(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	v, err := spec.NewValidator(cfg.Spec, cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	doc := *cfg.Spec.Doc
	doc.Servers = openapi3.Servers{{URL: cfg.BaseURL}}
	router, err := gorillamux.NewRouter(&doc)
	if err != nil {
		return nil, fmt.Errorf("request router for %s: %w", cfg.BaseURL, err)
	}
	hc := &http.Client{}
	if cfg.HTTPClient != nil {
		c := *cfg.HTTPClient
		hc = &c
	}
	// The suite checks redirects itself; following them would hide a missing 307.
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &client{cfg: cfg, base: base, http: hc, validator: v, router: router, sleep: sleepCtx}, nil
}

// Sent is the number of requests sent so far, retries included.
func (c *client) Sent() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sent
}

// Remaining is what is left of the budget.
func (c *client) Remaining() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cfg.MaxRequests - c.sent
}

// URL is the absolute URL of r.
func (c *client) URL(r Request) string {
	u := c.cfg.BaseURL + r.Path
	if r.Query != "" {
		u += "?" + r.Query
	}
	return u
}

func (c *client) key(cr Cred) (string, bool) {
	switch cr {
	case CredPrimary:
		return c.cfg.APIKey, true
	case CredSecond:
		return c.cfg.APIKey2, true
	case CredEmpty:
		return "", true
	case CredUnknown:
		return unknownKey, true
	}
	return "", false
}

// Do sends r, retrying 429 and 503, and returns the final answer.
func (c *client) Do(ctx context.Context, r Request) (*Exchange, error) {
	target := c.URL(r)
	for attempt := 0; ; attempt++ {
		if err := c.take(ctx); err != nil {
			return nil, err
		}
		ex, err := c.once(ctx, r, target)
		if err != nil {
			return nil, err
		}
		if (ex.Status != http.StatusTooManyRequests && ex.Status != http.StatusServiceUnavailable) || attempt >= c.cfg.Retries {
			c.validate(ex)
			return ex, nil
		}
		wait, ok := retryAfter(ex.Header.Get("Retry-After"), time.Now())
		if !ok {
			wait = time.Duration(1<<attempt) * time.Second
		}
		if wait > c.cfg.MaxRetryWait {
			c.validate(ex)
			return ex, nil
		}
		if err := c.sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
}

// take spends one request of the budget and waits for the rate limiter's next slot.
func (c *client) take(ctx context.Context) error {
	c.mu.Lock()
	if c.sent >= c.cfg.MaxRequests {
		c.mu.Unlock()
		return ErrBudget
	}
	c.sent++
	var wait time.Duration
	if c.cfg.Rate > 0 {
		now := time.Now()
		if c.nextSlot.Before(now) {
			c.nextSlot = now
		}
		wait = c.nextSlot.Sub(now)
		c.nextSlot = c.nextSlot.Add(time.Duration(float64(time.Second) / c.cfg.Rate))
	}
	c.mu.Unlock()
	if wait > 0 {
		return c.sleep(ctx, wait)
	}
	return nil
}

func (c *client) once(ctx context.Context, r Request, target string) (*Exchange, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return nil, fmt.Errorf("build request %s: %w", target, err)
	}
	if key, ok := c.key(r.Cred); ok {
		// Set the header directly so an empty key is sent as an empty header.
		req.Header["X-Api-Key"] = []string{key}
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "partner-mock-contract")
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil && !errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, ctx.Err()
		}
		// The URL is in err; the key never is (it travels in a header).
		return nil, fmt.Errorf("%w: GET %s: %v", ErrUnreachable, target, unwrapURLError(err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return nil, fmt.Errorf("%w: GET %s: reading the body: %v", ErrUnreachable, target, err)
	}
	return &Exchange{Request: r, URL: target, Status: resp.StatusCode, Header: resp.Header, Body: body}, nil
}

func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// validate checks the exchange against the document: the request (unless deliberately off
// spec) and the response. Statuses the document does not declare are checked for FastAPI's
// {"detail": "..."} shape instead.
func (c *client) validate(ex *Exchange) {
	req, err := http.NewRequest(http.MethodGet, ex.URL, nil)
	if err != nil {
		ex.SchemaErr = err
		return
	}
	if key, ok := c.key(ex.Request.Cred); ok {
		req.Header["X-Api-Key"] = []string{key}
	}
	var problems []string
	if !ex.Request.OffSpec {
		if err := c.validateRequest(req); err != nil {
			problems = append(problems, "request: "+err.Error())
		}
	}
	switch ex.Status {
	case http.StatusOK, http.StatusUnprocessableEntity:
		if err := c.validator.ValidateResponse(req, ex.Status, ex.Header, ex.Body); err != nil {
			problems = append(problems, err.Error())
		}
	case http.StatusUnauthorized, http.StatusNotFound:
		if err := detailShape(ex); err != nil {
			problems = append(problems, err.Error())
		}
	}
	if len(problems) > 0 {
		ex.SchemaErr = errors.New(strings.Join(problems, "; "))
	}
}

func (c *client) validateRequest(req *http.Request) error {
	route, pathParams, err := c.router.FindRoute(req)
	if err != nil {
		return fmt.Errorf("route GET %s: %w", req.URL.Path, err)
	}
	return openapi3filter.ValidateRequest(context.Background(), &openapi3filter.RequestValidationInput{
		Request:    req,
		PathParams: pathParams,
		Route:      route,
		Options: &openapi3filter.Options{
			AuthenticationFunc:  openapi3filter.NoopAuthenticationFunc,
			SkipSettingDefaults: true,
			MultiError:          true,
		},
	})
}

// detailShape checks FastAPI's HTTPException body: JSON {"detail": "<string>"}.
func detailShape(ex *Exchange) error {
	if ct := ex.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		return fmt.Errorf("%d response content-type %q, want application/json", ex.Status, ct)
	}
	if _, err := detailString(ex.Body); err != nil {
		return fmt.Errorf("%d response body: %v", ex.Status, err)
	}
	return nil
}

// retryAfter reads a Retry-After header: delay-seconds or an HTTP date.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
