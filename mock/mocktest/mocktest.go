// Package mocktest runs the Partner API mock inside a Go test, without Docker: Start serves it
// on a free loopback port for the length of a test, and typed helpers change it through its
// admin API (users, orders, the clock, the request journal) while the code under test talks to
// it over HTTP like it would to the live API.
//
//	func TestSignUpShowsInTheReport(t *testing.T) {
//		srv := mocktest.Start(t)
//		_, err := srv.PutUser("demo-credit-union", mocktest.User{ID: "member-900", ...})
//		require.NoError(t, err)
//		report := myservice.Report(srv.APIURL, "demo-key") // the code under test
//		...
//	}
//
// Without options the mock serves the built-in demo tenants (FIs demo-credit-union, key
// demo-key, and demo-savings-bank, key demo-key-2), its clock frozen at their as_of, with the
// admin API on under a random token and a journal of the last 1000 requests.
package mocktest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cryptofi/partner-mock/mock/app"
)

// Server is a running mock.
type Server struct {
	// URL is the mock's root, http://127.0.0.1:PORT: /healthz, /docs and the admin API are
	// under it.
	URL string
	// APIURL is the Partner API's base URL, URL and the document's base path (/v1): the URL a
	// client of the live API is configured with.
	APIURL string

	token  string
	client *http.Client
	srv    *http.Server
}

// config is what the options set.
type config struct {
	app     app.Config
	token   string
	journal int
	chaos   *Chaos
	err     error
}

// Option sets the mock up.
type Option func(*config)

// WithTenants serves the FIs of a tenants config (the YAML of partner-mock serve --config)
// instead of the built-in ones. Pinned files it names are read relative to dir.
func WithTenants(yaml, dir string) Option {
	return func(c *config) {
		read := func(name string) ([]byte, error) {
			return nil, fmt.Errorf("read %s: the config names a pinned file but WithTenants was given no directory", name)
		}
		if dir != "" {
			read = dirReader(dir)
		}
		if err := app.UseTenantsData(&c.app, "mocktest tenants config", []byte(yaml), read); err != nil && c.err == nil {
			c.err = err
		}
	}
}

// WithTenantsFile serves the FIs of a tenants config file, as partner-mock serve --config FILE
// does (its clock and admin sections included).
func WithTenantsFile(path string) Option {
	return func(c *config) {
		if err := app.UseTenantsFile(&c.app, path); err != nil && c.err == nil {
			c.err = err
		}
	}
}

// WithClock sets the mock's clock, as serve's clock flags do. The zero Clock is frozen at each
// FI's as_of, the default.
func WithClock(clock app.Clock) Option {
	return func(c *config) { c.app.Clock = clock }
}

// Chaos is failure injected into every Partner API request, as serve's chaos flags inject it
// (their syntax: latency "200ms" or "100ms-2s", error rate "0.05", rate limit "10/s"). The zero
// value injects nothing.
type Chaos struct {
	Latency, ErrorRate, RateLimit string
	// Seed draws the random faults; the same seed and requests give the same faults.
	Seed uint64
}

// WithChaos injects chaos into the Partner API. Per-key fault profiles come with the tenants
// config (WithTenants); Prefer headers work without any option.
func WithChaos(chaos Chaos) Option {
	return func(c *config) { c.chaos = &chaos }
}

// WithStrict turns the Prefer controls and every fault off: the mock is a pure replica of the
// live API.
func WithStrict() Option {
	return func(c *config) { c.app.Strict = true }
}

// WithAdminToken sets the admin API's token (by default a random one: the helpers know it).
func WithAdminToken(token string) Option {
	return func(c *config) { c.token = token }
}

// WithJournalSize keeps the last n requests in the journal Requests reads (default 1000; at
// most 100000).
func WithJournalSize(n int) Option {
	return func(c *config) { c.journal = n }
}

// Start serves a mock for the test t on a free loopback port, and stops it when the test ends
// (t.Cleanup). It fails the test when the options are wrong.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s, err := New(opts...)
	if err != nil {
		t.Fatalf("mocktest: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

// New serves a mock on a free loopback port until Close: for mocks shared by several tests
// (TestMain) and for programs. Start is simpler in a test.
func New(opts ...Option) (*Server, error) {
	c := &config{journal: app.DefaultJournalSize}
	for _, o := range opts {
		o(c)
	}
	if c.err != nil {
		return nil, c.err
	}
	if c.chaos != nil {
		if err := app.ParseChaos(&c.app, c.chaos.Latency, c.chaos.ErrorRate, c.chaos.RateLimit, c.chaos.Seed); err != nil {
			return nil, err
		}
	}
	if c.token == "" {
		var b [16]byte
		_, _ = rand.Read(b[:])
		c.token = hex.EncodeToString(b[:])
	}
	if msg := app.CheckAdminToken(c.token); msg != "" {
		return nil, fmt.Errorf("admin token: %s", msg)
	}
	c.app.AdminToken = c.token
	if c.journal < 0 || c.journal > app.MaxJournalSize {
		return nil, fmt.Errorf("journal size %d: want 0 to %d", c.journal, app.MaxJournalSize)
	}
	if c.journal > 0 {
		c.app.Journal = app.NewJournal(c.journal, time.Now)
	}
	a, err := app.New(c.app)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	s := &Server{
		URL:    "http://" + ln.Addr().String(),
		token:  c.token,
		client: &http.Client{Timeout: 30 * time.Second},
		srv:    &http.Server{Handler: a.Handler, ReadHeaderTimeout: 10 * time.Second},
	}
	s.APIURL = s.URL + a.Spec.BasePath
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

// Close stops the mock: it stops accepting requests and waits up to five seconds for those in
// flight.
func (s *Server) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.srv.Shutdown(ctx); err != nil {
		_ = s.srv.Close()
	}
}

// Client returns an HTTP client for the mock.
func (s *Server) Client() *http.Client { return s.client }

// Get sends GET path (relative to APIURL, e.g. "/users/?per_page=2") to the Partner API with
// key, and returns the status and body.
func (s *Server) Get(path, key string) (int, []byte, error) {
	req, err := http.NewRequest(http.MethodGet, s.APIURL+path, nil)
	if err != nil {
		return 0, nil, err
	}
	if key != "" {
		req.Header.Set("x-api-key", key)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, body, err
}

// AdminError is a refusal of the admin API: its status and every problem it listed.
type AdminError struct {
	Status   int
	Problems []Problem
}

// Problem is one thing the admin API found wrong: the body's field it is about (empty when
// none) and what to fix.
type Problem struct {
	Path string `json:"path"`
	Msg  string `json:"msg"`
}

func (e *AdminError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "admin API answered %d", e.Status)
	for _, p := range e.Problems {
		b.WriteString("\n  - ")
		if p.Path != "" {
			b.WriteString(p.Path + ": ")
		}
		b.WriteString(p.Msg)
	}
	return b.String()
}

// admin sends an admin request with body (marshalled to JSON unless nil), decodes a 2xx answer
// into out (unless nil) and returns its status; any other answer is an *AdminError.
func (s *Server) admin(method, path string, body, out any) (int, error) {
	var r io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return 0, err
		}
		r = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, s.URL+"/__admin"+path, r)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+s.token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, err
	}
	if resp.StatusCode/100 != 2 {
		ae := &AdminError{Status: resp.StatusCode}
		var problems struct{ Problems []Problem }
		if json.Unmarshal(data, &problems) == nil {
			ae.Problems = problems.Problems
		}
		return resp.StatusCode, ae
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			return resp.StatusCode, fmt.Errorf("admin API answer to %s %s: %w", method, path, err)
		}
	}
	return resp.StatusCode, nil
}

// seg escapes one path segment.
func seg(s string) string { return url.PathEscape(s) }

// PutUser creates the user u in the FI fi (its id in the tenants config, e.g.
// demo-credit-union), or replaces the user with u.ID, and reports whether it created one. The
// change shows in the very next API request. A refusal (an invalid user, or a replacement its
// orders forbid) is an *AdminError listing every problem.
func (s *Server) PutUser(fi string, u User) (created bool, err error) {
	if u.ID == "" {
		return false, errors.New("PutUser: the user needs an ID")
	}
	status, err := s.admin(http.MethodPut, "/fis/"+seg(fi)+"/users/"+seg(u.ID), u, nil)
	return status == http.StatusCreated, err
}

// DeleteUser deletes the user with user_account_id id, and its orders, from FI fi.
func (s *Server) DeleteUser(fi, id string) error {
	_, err := s.admin(http.MethodDelete, "/fis/"+seg(fi)+"/users/"+seg(id), nil, nil)
	return err
}

// PutOrder creates the order o in FI fi, or replaces the order with o.ID, and reports whether
// it created one. Every rule of the API's orders is checked (its user's account for the
// product approved by placed_at, series at a regular interval).
func (s *Server) PutOrder(fi string, o Order) (created bool, err error) {
	if o.ID == "" {
		return false, errors.New("PutOrder: the order needs an ID")
	}
	status, err := s.admin(http.MethodPut, "/fis/"+seg(fi)+"/orders/"+seg(o.ID), o, nil)
	return status == http.StatusCreated, err
}

// DeleteOrder deletes the order with order_id id from FI fi.
func (s *Server) DeleteOrder(fi, id string) error {
	_, err := s.admin(http.MethodDelete, "/fis/"+seg(fi)+"/orders/"+seg(id), nil, nil)
	return err
}

// Reset puts FI fi back as generated: every user and order put or deleted is undone.
func (s *Server) Reset(fi string) error {
	_, err := s.admin(http.MethodPost, "/fis/"+seg(fi)+"/reset", nil, nil)
	return err
}

// FIs describes the FIs the mock serves.
func (s *Server) FIs() ([]FI, error) {
	var out struct{ FIs []FI }
	_, err := s.admin(http.MethodGet, "/fis", nil, &out)
	return out.FIs, err
}

// AdvanceClock moves the mock's clock by d (negative goes back) for every FI.
func (s *Server) AdvanceClock(d time.Duration) (ClockState, error) {
	return s.moveClock(map[string]any{"advance": d.String()})
}

// SetClock puts the mock's clock at t for every FI; a live clock keeps running from there.
func (s *Server) SetClock(t time.Time) (ClockState, error) {
	return s.moveClock(map[string]any{"set": t.UTC().Format(time.RFC3339Nano)})
}

// FreezeClock stops the mock's clock where it is.
func (s *Server) FreezeClock() (ClockState, error) {
	return s.moveClock(map[string]any{"freeze": true})
}

// RunClock makes the mock's clock run at speed mock seconds per wall second (86400 makes a day
// pass each second).
func (s *Server) RunClock(speed float64) (ClockState, error) {
	return s.moveClock(map[string]any{"live": map[string]any{"speed": speed}})
}

func (s *Server) moveClock(body any) (ClockState, error) {
	var out ClockState
	_, err := s.admin(http.MethodPost, "/clock", body, &out)
	return out, err
}

// Requests returns the requests the mock served, newest first: the newest limit (all kept when
// limit is 0) of FI fi (every FI's when fi is empty). Keys are never recorded.
func (s *Server) Requests(limit int, fi string) ([]Request, error) {
	q := url.Values{}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	if fi != "" {
		q.Set("fi", fi)
	}
	path := "/requests"
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	var out struct{ Requests []Request }
	_, err := s.admin(http.MethodGet, path, nil, &out)
	return out.Requests, err
}

// ClearRequests forgets the requests recorded so far.
func (s *Server) ClearRequests() error {
	_, err := s.admin(http.MethodDelete, "/requests", nil, nil)
	return err
}
