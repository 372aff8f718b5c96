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
	page := tenantOf(c).Index.Query(req.Query)
	last := req.LastRecordNumber
	if n := len(page.Users); n > 0 {
		last = new(big.Int).Add(last, big.NewInt(int64(n)))
	}
	body := render.AppendList(make([]byte, 0, 512*len(page.Users)+96), page.Users, render.ListEnvelope{
		Total:            page.Total,
		LastRecordNumber: last,
		PerPage:          req.PerPage,
	}, render.AppendUser)
	writeJSON(c, http.StatusOK, body)
}

func (h *Handler) userDetail(c *gin.Context) {
	u, ok := tenantOf(c).Index.Get(c.Param("user_account_id"))
	if !ok {
		writeError(c, errUserNotFound)
		return
	}
	writeJSON(c, http.StatusOK, render.AppendUser(nil, u))
}
