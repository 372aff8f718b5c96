package httpapi

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/cryptofi/partner-mock/mock/internal/faults"
	"github.com/cryptofi/partner-mock/mock/internal/journal"
	"github.com/cryptofi/partner-mock/mock/internal/render"
	"github.com/cryptofi/partner-mock/mock/internal/tenant"
)

// faultLayer applies the Prefer controls and the global chaos to the API routes. It runs after
// routing and before auth: a client rehearsing a 503 or a cut connection needs no valid key,
// as a load balancer answers before the service sees the key. Only the rate limit, which is
// per key, looks the key up (and lets auth answer a key it does not know). /healthz is never
// touched, so health checks stay green under chaos.
type faultLayer struct {
	strict  bool
	chaos   faults.Chaos
	dice    *faults.Dice
	limiter *faults.Limiter
	tenants *tenant.Registry
	// notFound maps each detail route to its resource's 404.
	notFound map[string]error
	logger   *slog.Logger
	// keys holds the chaos of the keys that have a fault profile, by tenant.Key.Index (nil for
	// a key without one); nil when no key has one, or under Strict (see keyfaults.go).
	keys []*keyChaos
}

func newFaultLayer(cfg Config, tenants *tenant.Registry, logger *slog.Logger) (*faultLayer, error) {
	if cfg.Strict && cfg.Chaos.Active() {
		return nil, errors.New("httpapi: Strict serves a pure replica and cannot inject chaos; drop one of them")
	}
	f := &faultLayer{strict: cfg.Strict, chaos: cfg.Chaos, dice: faults.NewDice(cfg.Chaos), tenants: tenants, logger: logger, notFound: map[string]error{}}
	if cfg.Chaos.RateLimit != (faults.Rate{}) {
		f.limiter = faults.NewLimiter(cfg.Chaos.RateLimit, nil)
	}
	if !cfg.Strict {
		f.keys = newKeyChaos(tenants, cfg.Chaos.Seed)
	}
	return f, nil
}

func (f *faultLayer) handle(c *gin.Context) {
	if f.strict {
		return
	}
	prefs := faults.ParsePrefer(c.Request.Header.Values("Prefer"))
	for _, w := range prefs.Warnings {
		c.Writer.Header().Add("Warning", faults.WarningValue(w))
	}
	decision := f.dice.Decide()
	n := noteOf(c)
	defer f.noteAnswerFI(c, n)
	kc, keyDecision := f.keyDecision(c, n)
	n.latency(decision.Delay, keyDecision.Delay)
	sleep(c.Request.Context(), prefs.Delay+decision.Delay+keyDecision.Delay)

	if prefs.Code != 0 {
		n.prefer(prefs, false)
		c.Header("Preference-Applied", prefs.Applied(false))
		f.writeCode(c, prefs.Code)
		return
	}
	switch prefs.Fault {
	case faults.ConnectionReset, faults.EmptyResponse:
		f.logger.Info("fault injected", "fault", string(prefs.Fault), "path", c.Request.URL.Path)
		n.prefer(prefs, true)
		cutConnection(c, prefs.Fault == faults.ConnectionReset)
		return
	}
	applied := prefs.Applied(false)
	if applied != "" {
		n.prefer(prefs, false)
		c.Header("Preference-Applied", applied)
	}
	if decision.Fail {
		n.error(journal.Chaos)
		writeLoadBalancerError(c, http.StatusServiceUnavailable)
		return
	}
	if kc != nil && kc.profile.Status != 0 {
		n.status(kc.profile.Status)
		f.writeCode(c, kc.profile.Status)
		return
	}
	if keyDecision.Fail {
		n.error(journal.Key)
		writeLoadBalancerError(c, http.StatusServiceUnavailable)
		return
	}
	if f.limiter != nil {
		key := c.GetHeader("x-api-key")
		if _, known := f.tenants.Lookup(key); known {
			if ok, wait := f.limiter.Allow(key); !ok {
				n.rateLimit(journal.Chaos)
				writeTooManyRequests(c, wait)
				return
			}
		}
	}
	if kc != nil && kc.limiter != nil {
		if ok, wait := kc.limiter.Allow(""); !ok {
			n.rateLimit(journal.Key)
			writeTooManyRequests(c, wait)
			return
		}
	}
	if prefs.Fault == faults.MalformedJSON || prefs.Fault == faults.TruncatedBody {
		f.mangleBody(c, prefs)
	}
}

// writeCode answers Prefer: code=N with what the live stack sends for that status.
func (f *faultLayer) writeCode(c *gin.Context, code int) {
	switch code {
	case http.StatusUnauthorized:
		// What this very request would get if its key were rejected.
		if c.GetHeader("x-api-key") == "" {
			writeError(c, errNotAuthenticated)
		} else {
			writeError(c, errInvalidKey)
		}
	case http.StatusForbidden:
		writeJSON(c, code, render.AppendDetail(nil, "Forbidden"))
	case http.StatusNotFound:
		// A detail route's own 404 ("User not found"), else Starlette's.
		if nf, ok := f.notFound[c.FullPath()]; ok {
			writeError(c, nf)
		} else {
			writeError(c, errNotFound)
		}
	case http.StatusTooManyRequests:
		c.Header("retry-after", "1")
		writeJSON(c, code, render.AppendDetail(nil, "Too Many Requests"))
	case http.StatusInternalServerError:
		writeInternalError(c)
	default:
		writeLoadBalancerError(c, code)
	}
}

// mangleBody runs the rest of the chain into a buffer, then sends the real status and headers
// with a broken body: half of it with a matching content-length (malformed_json), or half of it
// under the full content-length and a closed connection (truncated_body).
func (f *faultLayer) mangleBody(c *gin.Context, prefs faults.Prefs) {
	orig := c.Writer
	buf := &bufferedWriter{ResponseWriter: orig, status: http.StatusOK}
	c.Writer = buf
	defer func() { c.Writer = orig }()
	c.Next()
	c.Writer = orig

	body := buf.body.Bytes()
	h := orig.Header()
	isJSON := strings.HasPrefix(h.Get("Content-Type"), "application/json")
	if len(body) < 2 || (prefs.Fault == faults.MalformedJSON && !isJSON) {
		h.Add("Warning", faults.WarningValue("fault="+string(prefs.Fault)+" not applied: this response has no JSON body to break"))
		orig.WriteHeader(buf.status)
		_, _ = orig.Write(body)
		return
	}
	h.Set("Preference-Applied", prefs.Applied(true))
	noteOf(c).prefer(prefs, true)
	half := body[:len(body)/2]
	f.logger.Info("fault injected", "fault", string(prefs.Fault), "path", c.Request.URL.Path)
	if prefs.Fault == faults.MalformedJSON {
		h.Set("Content-Length", strconv.Itoa(len(half)))
		orig.WriteHeader(buf.status)
		_, _ = orig.Write(half)
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	orig.WriteHeader(buf.status)
	orig.WriteHeaderNow()
	// Gin refuses to hijack once it has counted body bytes, so the half body goes to the
	// underlying writer directly.
	raw := http.ResponseWriter(orig)
	if u, ok := orig.(interface{ Unwrap() http.ResponseWriter }); ok {
		raw = u.Unwrap()
	}
	_, _ = raw.Write(half)
	_ = http.NewResponseController(raw).Flush()
	closeHijacked(c, false)
}

// cutConnection ends the exchange with no response at all: a TCP reset (reset true) or a
// plain close. The request log shows status 444, nginx's code for "closed without response".
func cutConnection(c *gin.Context, reset bool) {
	c.Writer.WriteHeader(444)
	closeHijacked(c, reset)
}

// closeHijacked takes the connection from net/http and closes it, with SO_LINGER 0 when reset
// is set so the kernel sends RST instead of FIN. Where there is no connection to take (HTTP/2,
// a test recorder) it aborts the handler, which net/http turns into a cut stream.
func closeHijacked(c *gin.Context, reset bool) {
	c.Abort()
	u, ok := c.Writer.(interface{ Unwrap() http.ResponseWriter })
	if !ok {
		panic(http.ErrAbortHandler)
	}
	if _, ok := u.Unwrap().(http.Hijacker); !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := c.Writer.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tcp, ok := conn.(*net.TCPConn); ok && reset {
		_ = tcp.SetLinger(0)
	}
	_ = conn.Close()
}

// sleep waits d, or less when ctx ends first: a client that hangs up, or a server draining for
// shutdown, stops the wait and the request is answered at once.
func sleep(ctx context.Context, d time.Duration) {
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// bufferedWriter holds a response's status and body so a fault can break them before they are
// sent; headers go straight to the real writer's map.
type bufferedWriter struct {
	gin.ResponseWriter
	status int
	body   bytes.Buffer
}

func (w *bufferedWriter) WriteHeader(code int) {
	if code > 0 {
		w.status = code
	}
}
func (w *bufferedWriter) WriteHeaderNow()                   {}
func (w *bufferedWriter) Write(b []byte) (int, error)       { return w.body.Write(b) }
func (w *bufferedWriter) WriteString(s string) (int, error) { return w.body.WriteString(s) }
func (w *bufferedWriter) Status() int                       { return w.status }
func (w *bufferedWriter) Size() int                         { return w.body.Len() }
func (w *bufferedWriter) Written() bool                     { return w.body.Len() > 0 }
func (w *bufferedWriter) Flush()                            {}
func (w *bufferedWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return nil, nil, errors.New("httpapi: no hijacking while a fault buffers the response")
}
