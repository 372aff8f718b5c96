package httpapi

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/cryptofi/partner-mock/mock/internal/faults"
	"github.com/cryptofi/partner-mock/mock/internal/journal"
	"github.com/cryptofi/partner-mock/mock/internal/tenant"
)

// adminPrefix starts the paths of the mock's own admin API, which the journal does not record.
const adminPrefix = "/__admin"

// redacted stands in for a secret in a recorded path or query.
const redacted = "[REDACTED]"

// useJournal records the API requests e serves in j, when j is not nil. It must be the first
// middleware, so it sees the final status of every request, including those a fault or a
// recovered panic answered.
func useJournal(e *gin.Engine, j *journal.Journal) {
	if j != nil {
		e.Use(journalRequests(j))
	}
}

// requestNote is what the layers of one request tell the journal: the tenant its key resolved
// to, and the faults applied. It exists only while a journal records the request.
type requestNote struct {
	fi     string
	faults journal.Faults
}

// journalWriter carries a request's note on its response writer while a journal records it.
// The writer, rather than the context's key map, holds it because that costs no allocation:
// writers are pooled, and a map would be made for every request.
type journalWriter struct {
	gin.ResponseWriter
	note requestNote
}

// Unwrap returns the net/http writer, as Gin's own writer does, so an injected connection fault
// can still take the connection.
func (w *journalWriter) Unwrap() http.ResponseWriter {
	if u, ok := w.ResponseWriter.(interface{ Unwrap() http.ResponseWriter }); ok {
		return u.Unwrap()
	}
	return w.ResponseWriter
}

var journalWriters = sync.Pool{New: func() any { return new(journalWriter) }}

// noteOf returns the request's note, or nil when no journal records it. A body fault may have
// put its buffer in front of the journal's writer.
func noteOf(c *gin.Context) *requestNote {
	w := c.Writer
	if b, ok := w.(*bufferedWriter); ok {
		w = b.ResponseWriter
	}
	if jw, ok := w.(*journalWriter); ok {
		return &jw.note
	}
	return nil
}

// noteTenant notes the tenant the request's key resolved to.
func noteTenant(c *gin.Context, t *tenant.Tenant) {
	if n := noteOf(c); n != nil {
		n.fi = t.Config.Name
	}
}

// journalRequests is the middleware behind useJournal. The entry's time is the mock's (the
// journal's clock); its duration is measured on the monotonic clock, like the request log's.
func journalRequests(j *journal.Journal) gin.HandlerFunc {
	// Durations are differences of readings of the monotonic clock since base: time.Since reads
	// that clock alone, where time.Now also reads the wall clock, and on some virtual machines
	// each read costs a few hundred nanoseconds.
	base := time.Now()
	return func(c *gin.Context) {
		if !journaled(c) {
			c.Next()
			return
		}
		jw := journalWriters.Get().(*journalWriter)
		jw.ResponseWriter, jw.note = c.Writer, requestNote{}
		c.Writer = jw
		at := j.Now()
		start := time.Since(base)
		// Deferred, so that an answer cut short by an injected connection fault (which ends
		// the handler with http.ErrAbortHandler) is recorded too.
		defer func() {
			e := journal.Entry{
				Time:     at,
				FI:       jw.note.fi,
				Method:   c.Request.Method,
				Path:     c.Request.URL.Path,
				Query:    c.Request.URL.RawQuery,
				Status:   jw.Status(),
				Duration: time.Since(base) - start,
				Faults:   jw.note.faults,
			}
			c.Writer = jw.ResponseWriter
			jw.ResponseWriter, jw.note = nil, requestNote{}
			journalWriters.Put(jw)
			key := requestKey(c)
			e.Path, e.Query = redactKeys(e.Path, e.Query, key)
			if key != "" && strings.Contains(e.Method, key) {
				e.Method = redacted // a client that sent its key as the method, however unlikely
			}
			j.Add(e)
		}()
		c.Next()
	}
}

// journaled reports whether the request is an API request: anything but the mock's own pages
// (/healthz, /docs, /openapi.json) and its admin API. Unknown paths are recorded: a client
// calling the wrong path is worth seeing.
func journaled(c *gin.Context) bool {
	switch c.FullPath() {
	case "/healthz", documentPath, referencePath:
		return false
	}
	return !strings.HasPrefix(c.Request.URL.Path, adminPrefix)
}

// redactKeys removes secrets from a request's path and query before they are recorded: the
// request's own key wherever it appears (as sent, or percent-encoded), and the value of any
// query parameter named like a credential. It allocates only when there is something to
// remove. It cannot spot some other tenant's key a client put in a value under an ordinary
// name: the registry keeps digests only, and hashing every value would cost each request more
// than the rest of the journal does.
func redactKeys(path, query, key string) (string, string) {
	if key != "" {
		path = strings.ReplaceAll(path, key, redacted)
		query = strings.ReplaceAll(query, key, redacted)
		for _, esc := range [...]string{url.QueryEscape(key), url.PathEscape(key)} {
			if esc != key {
				path = strings.ReplaceAll(path, esc, redacted)
				query = strings.ReplaceAll(query, esc, redacted)
			}
		}
	}
	return path, redactCredentialParams(query)
}

// redactCredentialParams replaces the values of the parameters isCredentialParam names in a
// raw query.
func redactCredentialParams(query string) string {
	var b []byte // nil until a value is replaced
	rest, start := query, 0
	for rest != "" {
		var pair string
		pair, rest, _ = strings.Cut(rest, "&")
		end := start + len(pair)
		name, _, hasValue := strings.Cut(pair, "=")
		if hasValue && isCredentialParam(name) {
			if b == nil {
				b = append(b, query[:start]...)
			}
			b = append(b, name...)
			b = append(b, '=')
			b = append(b, redacted...)
		} else if b != nil {
			b = append(b, pair...)
		}
		if b != nil && end < len(query) {
			b = append(b, '&')
		}
		start = end + 1
	}
	if b == nil {
		return query
	}
	return string(b)
}

// isCredentialParam reports whether a query parameter's name says it carries a secret: a
// client that sends its key in the query instead of the header. Names are compared without
// regard to case, after percent-decoding.
func isCredentialParam(name string) bool {
	var buf [16]byte // the longest credential name fits
	n, escaped := lowerInto(&buf, name)
	if escaped {
		u, err := url.QueryUnescape(name)
		if err != nil {
			return false
		}
		n, _ = lowerInto(&buf, u)
	}
	// A switch on a string made from a stack buffer allocates nothing.
	switch string(buf[:n]) {
	case "x-api-key", "x_api_key", "api-key", "api_key", "apikey", "key",
		"access_token", "token", "auth", "authorization", "secret", "password":
		return true
	}
	return false
}

// lowerInto writes name lower-cased into buf and returns its length, or 0 when it does not
// fit; escaped says the name has a '%' or '+' to decode first.
func lowerInto(buf *[16]byte, name string) (n int, escaped bool) {
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c == '%' || c == '+':
			return 0, true
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		}
		if i == len(buf) {
			return 0, false
		}
		buf[i] = c
	}
	return len(name), false
}

// The fault layer's notes. Each is a no-op when no journal records the request.

func (n *requestNote) latency(chaos, key time.Duration) {
	if n != nil {
		n.faults.Latency, n.faults.KeyLatency = chaos, key
	}
}

func (n *requestNote) error(src journal.Source) {
	if n != nil {
		n.faults.Error = src
	}
}

func (n *requestNote) rateLimit(src journal.Source) {
	if n != nil {
		n.faults.RateLimit = src
	}
}

func (n *requestNote) status(code int) {
	if n != nil {
		n.faults.Status = code
	}
}

func (n *requestNote) prefer(p faults.Prefs, faultApplied bool) {
	if n != nil {
		n.faults.Prefer = p.Applied(faultApplied)
	}
}

// noteAnswerFI notes, for a request the fault layer answered itself (before auth ran), the
// tenant of its key, if it has a valid one.
func (f *faultLayer) noteAnswerFI(c *gin.Context, n *requestNote) {
	if n == nil || n.fi != "" || !c.IsAborted() {
		return
	}
	if t, ok := f.tenants.Lookup(requestKey(c)); ok {
		n.fi = t.Config.Name
	}
}

// requestKey returns the request's x-api-key header, as c.GetHeader("x-api-key") does but
// without canonicalizing the name (an allocation) on every call: net/http has stored it as
// X-Api-Key.
func requestKey(c *gin.Context) string {
	if v := c.Request.Header["X-Api-Key"]; len(v) > 0 {
		return v[0]
	}
	return ""
}
