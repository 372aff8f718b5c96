package httpapi

import (
	"crypto/sha256"
	"crypto/subtle"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/cryptofi/partner-mock/mock/internal/journal"
	"github.com/cryptofi/partner-mock/mock/internal/problem"
	"github.com/cryptofi/partner-mock/mock/internal/resource"
	"github.com/cryptofi/partner-mock/mock/internal/scenario"
	"github.com/cryptofi/partner-mock/mock/internal/tenant"
)

// Admin configures the admin API: /__admin/, WireMock's convention, where a test or a developer
// changes the running mock (records, the clock) and reads what it served. The zero value leaves
// it off, and its paths answer 404 as any unknown path does.
type Admin struct {
	// Token is the secret every admin request carries as "Authorization: Bearer TOKEN"; empty
	// turns the admin API off.
	Token string
	// Editor changes the tenants' records; required when Token is set.
	Editor *scenario.Editor
	// GeneratorVersion is the data generator's version, shown for each FI.
	GeneratorVersion string
	// MaskKey renders an API key for display (GET /__admin/fis); nil shows every key as ****.
	MaskKey func(key string) string
}

// maxAdminBody bounds an admin request's body: 413 past it.
const maxAdminBody = 1 << 20

//go:embed admin_openapi.json
var adminDocument []byte

// AdminDocument returns the admin API's OpenAPI document, as /__admin/openapi.json serves it.
func AdminDocument() []byte { return adminDocument }

// adminAPI serves the admin routes.
type adminAPI struct {
	h   *Handler
	cfg Admin
	// journal is the request journal GET /__admin/requests reads; nil when none is kept.
	journal *journal.Journal
	digest  [sha256.Size]byte
	// routes are the admin routes' patterns and methods, for 405's allow header.
	routes []adminRoute
}

type adminRoute struct {
	method string
	path   pattern
}

// registerAdmin adds the admin routes to e when cfg turns the admin API on; j is the request
// journal, or nil.
func (h *Handler) registerAdmin(e *gin.Engine, cfg Admin, j *journal.Journal) error {
	if cfg.Token == "" {
		return nil
	}
	if cfg.Editor == nil {
		return errors.New("httpapi: the admin API needs an Editor")
	}
	if cfg.MaskKey == nil {
		cfg.MaskKey = func(string) string { return "****" }
	}
	a := &adminAPI{h: h, cfg: cfg, journal: j, digest: sha256.Sum256([]byte(cfg.Token))}
	h.admin = a
	add := func(method, path string, handle gin.HandlerFunc) {
		e.Handle(method, adminPrefix+path, a.auth, handle)
		a.routes = append(a.routes, adminRoute{method, compile(adminPrefix + path)})
	}
	add(http.MethodGet, "/openapi.json", a.document)
	add(http.MethodGet, "/fis", a.listFIs)
	add(http.MethodPost, "/fis/:fi/reset", a.reset)
	for _, name := range cfg.Editor.Resources() {
		i := slices.IndexFunc(h.resources, func(b *resource.Bound) bool { return b.Name() == name })
		if i < 0 || h.resources[i].Detail == nil {
			continue
		}
		add(http.MethodPut, "/fis/:fi/"+name+"/:id", a.put(i))
		add(http.MethodDelete, "/fis/:fi/"+name+"/:id", a.delete(i))
	}
	add(http.MethodPost, "/clock", a.moveClock)
	add(http.MethodGet, "/requests", a.listRequests)
	add(http.MethodDelete, "/requests", a.clearRequests)
	return nil
}

// isAdminPath reports whether path is under the admin API.
func isAdminPath(path string) bool {
	return path == adminPrefix || strings.HasPrefix(path, adminPrefix+"/")
}

// auth lets a request through when it carries the token. The comparison takes the same time
// however much of the token matched.
func (a *adminAPI) auth(c *gin.Context) {
	scheme, token, _ := strings.Cut(c.GetHeader("Authorization"), " ")
	got := sha256.Sum256([]byte(strings.TrimSpace(token)))
	if !strings.EqualFold(scheme, "Bearer") || subtle.ConstantTimeCompare(got[:], a.digest[:]) != 1 {
		c.Header("www-authenticate", `Bearer realm="partner-mock admin"`)
		msg := "send the admin token as Authorization: Bearer TOKEN (the --admin-token flag, PARTNER_MOCK_ADMIN_TOKEN or admin.token in the tenants config)"
		if c.GetHeader("Authorization") != "" {
			msg = "the admin token is wrong; " + msg
		}
		a.fail(c, http.StatusUnauthorized, problem.Problem{Msg: msg})
	}
}

// noRoute answers an admin path no route matches: 401 without the token, then 405 when another
// method has a route there, else 404.
func (a *adminAPI) noRoute(c *gin.Context) {
	if a.auth(c); c.IsAborted() {
		return
	}
	var allow []string
	for _, r := range a.routes {
		if r.path.match(c.Request.URL.Path) && !slices.Contains(allow, r.method) {
			allow = append(allow, r.method)
		}
	}
	if len(allow) > 0 {
		c.Header("allow", strings.Join(allow, ", "))
		a.fail(c, http.StatusMethodNotAllowed, problem.Problem{Msg: fmt.Sprintf("%s is not allowed here; the methods are %s", c.Request.Method, strings.Join(allow, ", "))})
		return
	}
	a.fail(c, http.StatusNotFound, problem.Problem{Msg: fmt.Sprintf("no admin endpoint at %s; GET %s/openapi.json describes them", c.Request.URL.Path, adminPrefix)})
}

// document serves the admin API's OpenAPI document.
func (a *adminAPI) document(c *gin.Context) {
	writeJSON(c, http.StatusOK, adminDocument)
}

// tenant returns the FI the path's {fi} names, or answers 404.
func (a *adminAPI) tenant(c *gin.Context) (*tenant.Tenant, bool) {
	name := c.Param("fi")
	var names []string
	for _, t := range a.h.tenants.Tenants() {
		if t.Config.Name == name {
			return t, true
		}
		names = append(names, t.Config.Name)
	}
	a.fail(c, http.StatusNotFound, problem.Problem{Msg: fmt.Sprintf("no FI %q; the FIs are %s", name, strings.Join(names, ", "))})
	return nil, false
}

// body reads the request's body, or answers 413 when it is over maxAdminBody.
func (a *adminAPI) body(c *gin.Context) ([]byte, bool) {
	tooLarge := func() ([]byte, bool) {
		a.fail(c, http.StatusRequestEntityTooLarge, problem.Problem{Msg: fmt.Sprintf("the body is over %d bytes (1 MiB), the most an admin request may send", maxAdminBody)})
		return nil, false
	}
	if c.Request.ContentLength > maxAdminBody {
		return tooLarge()
	}
	data, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, maxAdminBody))
	if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
		return tooLarge()
	}
	if err != nil {
		a.fail(c, http.StatusBadRequest, problem.Problem{Msg: "the body could not be read: " + err.Error()})
		return nil, false
	}
	return data, true
}

// put puts a record of resource i.
func (a *adminAPI) put(i int) gin.HandlerFunc {
	name := a.h.resources[i].Name()
	return func(c *gin.Context) {
		t, ok := a.tenant(c)
		if !ok {
			return
		}
		body, ok := a.body(c)
		if !ok {
			return
		}
		put, err := a.cfg.Editor.Put(t, name, c.Param("id"), body)
		if err != nil {
			a.changeError(c, i, t, err)
			return
		}
		status := http.StatusOK
		if put.Created {
			status = http.StatusCreated
		}
		writeJSON(c, status, put.Record)
	}
}

// delete deletes a record of resource i.
func (a *adminAPI) delete(i int) gin.HandlerFunc {
	name := a.h.resources[i].Name()
	return func(c *gin.Context) {
		t, ok := a.tenant(c)
		if !ok {
			return
		}
		if err := a.cfg.Editor.Delete(t, name, c.Param("id")); err != nil {
			a.changeError(c, i, t, err)
			return
		}
		c.Status(http.StatusNoContent)
		c.Writer.WriteHeaderNow()
		c.Abort()
	}
}

// reset puts an FI back as built and answers its description.
func (a *adminAPI) reset(c *gin.Context) {
	t, ok := a.tenant(c)
	if !ok {
		return
	}
	a.cfg.Editor.Reset(t)
	a.json(c, http.StatusOK, a.describe(t))
}

// changeError answers a failed change of resource i in FI t.
func (a *adminAPI) changeError(c *gin.Context, i int, t *tenant.Tenant, err error) {
	l, isList := errors.AsType[*problem.List](err)
	switch {
	case errors.Is(err, scenario.ErrMalformed) && isList:
		a.fail(c, http.StatusBadRequest, l.Items...)
	case errors.Is(err, scenario.ErrNotFound):
		b := a.h.resources[i]
		a.fail(c, http.StatusNotFound, problem.Problem{Msg: fmt.Sprintf("%s: FI %s has no %s %q", b.NotFound(), t.Config.Name, b.Detail.PathParams[0], c.Param("id"))})
	case isList:
		a.fail(c, http.StatusUnprocessableEntity, l.Items...)
	default:
		a.h.logger.Error("admin change", "path", c.Request.URL.Path, "error", err)
		a.fail(c, http.StatusInternalServerError, problem.Problem{Msg: "the change failed: " + err.Error()})
	}
}

// problemJSON is one problem as the admin API answers it: where (a field path of the request's
// body, or empty) and what.
type problemJSON struct {
	Path string `json:"path"`
	Msg  string `json:"msg"`
}

// fail answers status with the problems, as {"problems":[{"path","msg"},...]}.
func (a *adminAPI) fail(c *gin.Context, status int, ps ...problem.Problem) {
	out := struct {
		Problems []problemJSON `json:"problems"`
	}{Problems: make([]problemJSON, len(ps))}
	for i, p := range ps {
		out.Problems[i] = problemJSON{Path: p.Path, Msg: p.Msg}
	}
	a.json(c, status, out)
}

// json answers status with v as JSON.
func (a *adminAPI) json(c *gin.Context, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		// Only the package's own types reach here, and they all marshal.
		panic("httpapi: admin answer: " + err.Error())
	}
	writeJSON(c, status, body)
}
