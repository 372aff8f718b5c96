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

func (h *Handler) listUsers(c *gin.Context, t *tenant.Tenant) {
	req, errs := h.parser.Parse(c.Request.URL.RawQuery)
	if errs != nil {
		writeError(c, &validationError{errs: errs})
		return
	}
	var positions [128]int32
	total, page := t.Index.Find(req.Query, positions[:0])
	buf := getBuffer()
	defer putBuffer(buf)
	*buf = t.AppendList((*buf)[:0], page, render.ListEnvelope{
		Total:            total,
		LastRecordNumber: req.LastRecordNumber,
		Returned:         len(page),
		PerPage:          req.PerPage,
	})
	writeJSON(c, http.StatusOK, *buf)
}

func (h *Handler) userDetail(c *gin.Context, t *tenant.Tenant) {
	i, ok := t.Index.Position(c.Param("user_account_id"))
	if !ok {
		writeError(c, errUserNotFound)
		return
	}
	buf := getBuffer()
	defer putBuffer(buf)
	*buf = t.AppendUser((*buf)[:0], i)
	writeJSON(c, http.StatusOK, *buf)
}
