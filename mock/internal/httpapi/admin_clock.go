package httpapi

import (
	"fmt"
	"math"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/cryptofi/partner-mock/mock/internal/clock"
	"github.com/cryptofi/partner-mock/mock/internal/problem"
	"github.com/cryptofi/partner-mock/mock/internal/render"
	"github.com/cryptofi/partner-mock/mock/internal/tenant"
)

// moveClock moves the mock's clock for every FI by one operation: {"advance":"36h"} (or "2d",
// or negative), {"set":"2025-10-08T12:00:00Z"}, {"freeze":true} or {"live":{"speed":N}} (speed
// defaults to 1). It answers the clock's mode and each FI's new mock time.
func (a *adminAPI) moveClock(c *gin.Context) {
	data, ok := a.body(c)
	if !ok {
		return
	}
	if err := tenant.CheckJSON(data); err != nil {
		a.fail(c, http.StatusBadRequest, problemsOf(err)...)
		return
	}
	var body clockBody
	if err := tenant.DecodeJSON(data, &body); err != nil {
		a.fail(c, http.StatusUnprocessableEntity, problemsOf(err)...)
		return
	}
	var ops []string
	for name, given := range map[string]bool{"advance": body.Advance != nil, "set": body.Set != nil, "freeze": body.Freeze != nil, "live": body.Live != nil} {
		if given {
			ops = append(ops, name)
		}
	}
	const one = "send one operation: advance (a length of time, e.g. 36h or 2d), set (an RFC 3339 instant), freeze (true) or live ({\"speed\": N})"
	switch {
	case len(ops) == 0:
		a.fail(c, http.StatusUnprocessableEntity, problem.Problem{Msg: one})
		return
	case len(ops) > 1:
		a.fail(c, http.StatusUnprocessableEntity, problem.Problem{Msg: fmt.Sprintf("%s; got %d: %s", one, len(ops), strings.Join(sortedOps(ops), ", "))})
		return
	}
	clk := a.h.clock
	switch {
	case body.Advance != nil:
		clk.Advance(*body.Advance)
	case body.Set != nil:
		clk.Set(*body.Set)
	case body.Freeze != nil:
		if !*body.Freeze {
			a.fail(c, http.StatusUnprocessableEntity, problem.Problem{Path: "freeze", Msg: `only true: to make the clock run, send {"live": {"speed": 1}}`})
			return
		}
		clk.Freeze()
	default:
		speed := 1.0
		if body.Live.Speed != nil {
			speed = *body.Live.Speed
		}
		if !(speed > 0 && speed <= clock.MaxSpeed) || math.IsNaN(speed) {
			a.fail(c, http.StatusUnprocessableEntity, problem.Problem{Path: "live.speed", Msg: fmt.Sprintf("%v: want mock seconds per wall second, above 0 and at most %v (86400 makes a day pass each second)", speed, clock.MaxSpeed)})
			return
		}
		if err := clk.Run(speed); err != nil {
			a.fail(c, http.StatusUnprocessableEntity, problem.Problem{Path: "live.speed", Msg: err.Error()})
			return
		}
	}
	out := clockAnswer{clockJSON: a.clockSetting(), FIs: []fiTime{}}
	for _, t := range a.h.tenants.Tenants() {
		out.FIs = append(out.FIs, fiTime{ID: t.Config.Name, Now: string(render.AppendMicros(nil, clk.Now(t.AsOf())))})
	}
	a.json(c, http.StatusOK, out)
}

// sortedOps lists operations in the documented order.
func sortedOps(ops []string) []string {
	var out []string
	for _, name := range []string{"advance", "set", "freeze", "live"} {
		for _, o := range ops {
			if o == name {
				out = append(out, o)
			}
		}
	}
	return out
}

// problemsOf returns the problems of err, a *problem.List, or err's message as one.
func problemsOf(err error) []problem.Problem {
	var l problem.List
	l.Merge(err)
	return l.Items
}
