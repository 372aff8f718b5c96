package httpapi

import (
	"math/big"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/cryptofi/partner-mock/mock/render"
	"github.com/cryptofi/partner-mock/mock/tenant"
)

// auth resolves the x-api-key header to a tenant, as FastAPI's APIKeyHeader dependency does,
// before any query validation.
func (h *Handler) auth(c *gin.Context) {
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
	c.Set(tenantKey, t)
}

func tenantOf(c *gin.Context) *tenant.Tenant {
	return c.MustGet(tenantKey).(*tenant.Tenant)
}

func (h *Handler) listUsers(c *gin.Context) {
	req, errs := h.parser.Parse(c.Request.URL.RawQuery)
	if errs != nil {
		writeError(c, &validationError{errs: errs})
		return
	}
	t := tenantOf(c)
	var positions [128]int32
	total, page := t.Index.Find(req.Query, positions[:0])
	last := req.LastRecordNumber
	if n := len(page); n > 0 {
		last = new(big.Int).Add(last, big.NewInt(int64(n)))
	}
	buf := getBuffer()
	defer putBuffer(buf)
	*buf = t.AppendList((*buf)[:0], page, render.ListEnvelope{
		Total:            total,
		LastRecordNumber: last,
		PerPage:          req.PerPage,
	})
	writeJSON(c, http.StatusOK, *buf)
}

func (h *Handler) userDetail(c *gin.Context) {
	t := tenantOf(c)
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
