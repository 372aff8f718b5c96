package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/cryptofi/partner-mock/mock/internal/clock"
	"github.com/cryptofi/partner-mock/mock/internal/pyjson"
	"github.com/cryptofi/partner-mock/mock/internal/render"
)

// healthz answers {"status":"ok"} with the clock: its mode (and speed when live) and each FI's
// current mock time, so a test environment can see when "now" is without a key.
func (h *Handler) healthz(c *gin.Context) {
	r := h.clock.Read()
	b := append(make([]byte, 0, 256), `{"status":"ok","clock":{"mode":`...)
	b = pyjson.AppendString(b, r.Mode)
	if r.Mode == "live" {
		b = append(b, `,"speed":`...)
		b = append(b, clock.FormatSpeed(r.Speed)...)
	}
	b = append(b, `,"fis":[`...)
	for i, t := range h.tenants.Tenants() {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"fi":`...)
		b = pyjson.AppendString(b, t.Config.Name)
		b = append(b, `,"now":"`...)
		b = render.AppendMicros(b, h.clock.Now(t.AsOf()))
		b = append(b, `"}`...)
	}
	writeJSON(c, http.StatusOK, append(b, "]}}"...))
}
