package httpapi

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/cryptofi/partner-mock/mock/internal/pydantic"
	"github.com/cryptofi/partner-mock/mock/internal/render"
)

// The errors a handler can end with. writeError is the one place that maps them to what the
// live API sends.
var (
	errNotAuthenticated = errors.New("Not authenticated")
	errInvalidKey       = errors.New("Invalid API key")
	errNotFound         = errors.New("Not Found")
	errMethodNotAllowed = errors.New("Method Not Allowed")
)

// notFoundError is a resource's 404 for an id its tenant does not have, with the resource's
// own detail ("User not found").
type notFoundError struct {
	detail string
}

func (e *notFoundError) Error() string { return e.detail }

// validationError carries pydantic's errors for a 422.
type validationError struct {
	errs []pydantic.Error
}

func (e *validationError) Error() string { return "validation failed" }

func writeError(c *gin.Context, err error) {
	var status int
	switch {
	case errors.Is(err, errNotAuthenticated):
		// FastAPI >= 0.122's APIKeyHeader challenges with the scheme name.
		c.Header("www-authenticate", "APIKey")
		status = http.StatusUnauthorized
	case errors.Is(err, errInvalidKey):
		status = http.StatusUnauthorized
	case errors.Is(err, errNotFound):
		status = http.StatusNotFound
	case errors.Is(err, errMethodNotAllowed):
		c.Header("allow", "GET")
		status = http.StatusMethodNotAllowed
	}
	if _, ok := errors.AsType[*notFoundError](err); ok {
		status = http.StatusNotFound
	}
	var verr *validationError
	if errors.As(err, &verr) {
		writeJSON(c, http.StatusUnprocessableEntity, pydantic.AppendBody(nil, verr.errs))
		return
	}
	if status == 0 {
		panic("httpapi: unmapped error: " + err.Error())
	}
	writeJSON(c, status, render.AppendDetail(nil, err.Error()))
}

// writeJSON sends body as FastAPI's JSONResponse does: content-type without charset, and an
// explicit content-length (uvicorn never chunks a JSONResponse; Go would past 2 KiB).
func writeJSON(c *gin.Context, status int, body []byte) {
	c.Header("content-length", strconv.Itoa(len(body)))
	c.Data(status, "application/json", body)
	c.Abort()
}

// writeInternalError answers as Starlette's ServerErrorMiddleware does for an unhandled
// exception.
func writeInternalError(c *gin.Context) {
	c.Data(http.StatusInternalServerError, "text/plain; charset=utf-8", []byte("Internal Server Error"))
	c.Abort()
}
