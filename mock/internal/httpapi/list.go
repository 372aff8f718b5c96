package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/cryptofi/partner-mock/mock/internal/render"
	"github.com/cryptofi/partner-mock/mock/internal/tenant"
)

// tenantHandler is a handler that runs once the request's key has resolved to a tenant.
type tenantHandler func(c *gin.Context, t *tenant.Tenant)

// auth resolves the x-api-key header to a tenant, as FastAPI's APIKeyHeader dependency does,
// before any query validation, then calls next. The tenant is passed as an argument rather
// than through the context's key map, which would cost an allocation on every request.
func (h *Handler) auth(next tenantHandler) gin.HandlerFunc {
	return func(c *gin.Context) {
		key := c.GetHeader("x-api-key")
		if key == "" {
			writeError(c, errNotAuthenticated)
			return
		}
		t, ok := h.tenants.Lookup(key)
		if !ok {
			writeError(c, errInvalidKey)
			return
		}
		noteTenant(c, t)
		next(c, t)
	}
}

// list serves resource i's list: the page of the records the query keeps, in their state at
// the tenant's mock time.
func (h *Handler) list(i int) tenantHandler {
	parser := h.resources[i].Parser
	return func(c *gin.Context, t *tenant.Tenant) {
		req, errs := parser.Parse(c.Request.URL.RawQuery)
		if errs != nil {
			writeError(c, &validationError{errs: errs})
			return
		}
		coll := t.Collections[i].Now()
		at := h.clock.Now(t.AsOf())
		req.Query.At = at
		var positions [128]int32
		total, page := coll.Find(&req.Query, positions[:0])
		buf := getBuffer()
		defer putBuffer(buf)
		*buf = coll.AppendList((*buf)[:0], page, render.Envelope{
			Total:            total,
			LastRecordNumber: req.LastRecordNumber,
			Returned:         len(page),
			PerPage:          req.PerPage,
		}, at)
		writeJSON(c, http.StatusOK, *buf)
	}
}

// detail serves resource i's detail: the record with the path's id, if it exists at the
// tenant's mock time.
func (h *Handler) detail(i int) tenantHandler {
	b := h.resources[i]
	param := b.Detail.PathParams[0]
	notFound := &notFoundError{detail: b.NotFound()}
	return func(c *gin.Context, t *tenant.Tenant) {
		coll := t.Collections[i].Now()
		at := h.clock.Now(t.AsOf())
		p, ok := coll.Lookup(c.Param(param), at)
		if !ok {
			writeError(c, notFound)
			return
		}
		buf := getBuffer()
		defer putBuffer(buf)
		*buf = coll.AppendItem((*buf)[:0], p, at)
		writeJSON(c, http.StatusOK, *buf)
	}
}
