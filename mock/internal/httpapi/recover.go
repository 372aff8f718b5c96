package httpapi

import (
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"sync/atomic"

	"github.com/gin-gonic/gin"
)

// recoverPanics turns a panic in a handler into the 500 Starlette's ServerErrorMiddleware sends,
// logged with a request id and the stack, so one bad request never takes the server down. The
// id is the client's X-Request-Id when it sent a plain one (so it can quote it), otherwise
// "pm-" and a per-handler sequence number.
func recoverPanics(logger *slog.Logger) gin.HandlerFunc {
	var seq atomic.Uint64
	return func(c *gin.Context) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				// A deliberate abort (an injected fault): net/http cuts the connection quietly.
				panic(v)
			}
			id := c.GetHeader("x-request-id")
			if !plainID(id) {
				id = "pm-" + strconv.FormatUint(seq.Add(1), 10)
			}
			logger.Error("panic serving request",
				"request_id", id,
				"method", c.Request.Method,
				"path", c.Request.URL.Path,
				"panic", fmt.Sprint(v),
				"stack", string(debug.Stack()))
			if c.Writer.Written() {
				// The status line is out: the only honest signal left is a cut connection.
				panic(http.ErrAbortHandler)
			}
			for k := range c.Writer.Header() {
				c.Writer.Header().Del(k)
			}
			writeInternalError(c)
		}()
		c.Next()
	}
}

// plainID accepts 1 to 64 characters of [A-Za-z0-9._:-], so a logged id cannot forge log
// fields or lines.
func plainID(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == ':' || c == '-'
		if !ok {
			return false
		}
	}
	return true
}
