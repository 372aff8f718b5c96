package httpapi

import (
	"bytes"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/cryptofi/partner-mock/mock/internal/refdocs"
)

// The paths of the document and the reference page. Like FastAPI's own /openapi.json and /docs
// they sit at the root, outside the base path, and need no key: partners point generators and
// browsers at them before they have one.
const (
	documentPath  = "/openapi.json"
	referencePath = "/docs"
)

// registerDocs adds GET /openapi.json and GET /docs and returns their paths for the slash
// redirects. A nil page renders the document alone (no keys, no examples).
func (h *Handler) registerDocs(e *gin.Engine, page *refdocs.Page) ([]string, error) {
	if page == nil {
		var err error
		if page, err = refdocs.New(h.spec, refdocs.Config{}); err != nil {
			return nil, err
		}
	}
	h.docs = page
	// FastAPI adds these two as plain Starlette routes, which answer HEAD as well as GET (its
	// API routes do not). Go's server drops the body of a HEAD answer.
	for _, r := range []struct {
		path   string
		handle gin.HandlerFunc
	}{{documentPath, h.openAPIDocument}, {referencePath, h.referencePage}} {
		e.GET(r.path, r.handle)
		e.HEAD(r.path, r.handle)
	}
	return []string{documentPath, referencePath}, nil
}

// openAPIDocument serves the loaded document with servers pointing at this mock, as the client
// reached it, so a client generated from it talks to the mock.
func (h *Handler) openAPIDocument(c *gin.Context) {
	writeJSON(c, http.StatusOK, h.spec.DocumentFor(serverURL(c.Request)+h.spec.BasePath))
}

// referencePage renders the reference page with curl lines aimed at this mock.
func (h *Handler) referencePage(c *gin.Context) {
	var buf bytes.Buffer
	if err := h.docs.Render(&buf, serverURL(c.Request)); err != nil {
		h.logger.Error("reference page", "error", err)
		writeInternalError(c)
		return
	}
	c.Header("content-length", strconv.Itoa(buf.Len()))
	c.Data(http.StatusOK, "text/html; charset=utf-8", buf.Bytes())
	c.Abort()
}

// serverURL is scheme://host of the mock as the client addressed it. Behind a TLS-terminating
// proxy the connection is plain HTTP, so X-Forwarded-Proto is honoured when it says http or
// https (and ignored otherwise: it must not inject anything into the document).
func serverURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if p := r.Header.Get("X-Forwarded-Proto"); p == "http" || p == "https" {
		scheme = p
	}
	host := r.Host
	if host == "" {
		host = "localhost"
	}
	return scheme + "://" + host
}
