package httpapi

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/cryptofi/partner-mock/mock/internal/journal"
	"github.com/cryptofi/partner-mock/mock/internal/problem"
)

// listRequests answers the request journal, newest first: {"requests":[...]} with the entries
// journal.AppendJSON renders (never a key: the journal records none). limit keeps the newest N
// (default: every one kept); fi keeps one FI's requests.
func (a *adminAPI) listRequests(c *gin.Context) {
	if !a.journalOn(c) {
		return
	}
	query := c.Request.URL.Query()
	var problems []problem.Problem
	for _, name := range slices.Sorted(maps.Keys(query)) {
		if name != "limit" && name != "fi" {
			problems = append(problems, problem.Problem{Path: name, Msg: "unknown query parameter; the parameters are limit and fi"})
		}
	}
	limit := 0
	if v, ok := query["limit"]; ok {
		n, err := strconv.Atoi(v[len(v)-1])
		if err != nil || n < 1 {
			problems = append(problems, problem.Problem{Path: "limit", Msg: fmt.Sprintf("%q: want a whole number of requests, 1 or more", v[len(v)-1])})
		}
		limit = n
	}
	fi := query.Get("fi")
	if _, ok := query["fi"]; ok {
		var names []string
		known := false
		for _, t := range a.h.tenants.Tenants() {
			names = append(names, t.Config.Name)
			known = known || t.Config.Name == fi
		}
		if !known {
			problems = append(problems, problem.Problem{Path: "fi", Msg: fmt.Sprintf("no FI %q; the FIs are %s", fi, strings.Join(names, ", "))})
		}
	}
	if len(problems) > 0 {
		a.fail(c, http.StatusUnprocessableEntity, problems...)
		return
	}
	b := append(make([]byte, 0, 4096), `{"requests":`...)
	b = journal.AppendJSON(b, a.journal.List(limit, fi))
	writeJSON(c, http.StatusOK, append(b, '}'))
}

// clearRequests empties the request journal.
func (a *adminAPI) clearRequests(c *gin.Context) {
	if !a.journalOn(c) {
		return
	}
	a.journal.Clear()
	c.Status(http.StatusNoContent)
	c.Writer.WriteHeaderNow()
	c.Abort()
}

// journalOn answers 404 when no journal is kept.
func (a *adminAPI) journalOn(c *gin.Context) bool {
	if a.journal == nil {
		a.fail(c, http.StatusNotFound, problem.Problem{Msg: "no request journal is kept (--journal-size 0); start with --journal-size N to keep the last N requests"})
		return false
	}
	return true
}
