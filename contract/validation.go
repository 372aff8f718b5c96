package contract

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strings"

	"github.com/cryptofi/partner-mock/spec"
)

// validationChecks are the validation checks of res's list and paths.
func validationChecks(pick func(*T) *resource, noun, family string) []Check {
	checks := []Check{
		{Name: family + "/out-of-range", Family: family,
			Description: "integers outside the document's bounds get 422 greater_than_equal/less_than_equal with loc [query, name], the raw input and the bound in ctx",
			run:         func(t *T) { validationOutOfRange(t, pick(t)) }},
		{Name: family + "/malformed-integer", Family: family,
			Description: "integers pydantic cannot parse (abc, 2.5, empty, 1e2, 0x10) get 422 int_parsing with loc [query, name] and the raw input",
			run:         func(t *T) { validationMalformedInteger(t, pick(t)) }},
		{Name: family + "/enum", Family: family,
			Description: "values outside an enum of the document (wrong case and empty included) get 422 enum listing the allowed values, loc [query, name]",
			run:         func(t *T) { validationEnum(t, pick(t)) }},
		{Name: family + "/datetime", Family: family,
			Description: "unparseable datetimes get 422 datetime_from_date_parsing with loc [query, name] and the raw input",
			run:         func(t *T) { validationDatetime(t, pick(t)) }},
	}
	if family == "validation" {
		checks = append(checks, Check{Name: "validation/sort-key", Family: family,
			Description: "an unknown sort_key gets 422 with loc [query, sort_key]",
			run:         func(t *T) { expect422(t, pick(t), "sort_key", "no_such_key", wantError{}) }})
	}
	return append(checks,
		Check{Name: family + "/every-error-in-order", Family: family,
			Description: "with every parameter wrong, each one is reported once, in the document's parameter order; parameters the document does not declare are ignored",
			run:         func(t *T) { validationEveryError(t, pick(t)) }},
		Check{Name: family + "/trailing-slash", Family: family,
			Description: an(noun) + " path without its trailing slash gets 307 to the slashed path with the query kept, before auth",
			run:         func(t *T) { validationTrailingSlash(t, pick(t)) }},
		Check{Name: family + "/unknown-path", Family: family,
			Description: `an unknown path gets 404 {"detail":"Not Found"}`,
			run:         func(t *T) { validationUnknownPath(t, pick(t)) }},
	)
}

// pydanticError is one entry of FastAPI's 422 detail list.
type pydanticError struct {
	Type  string          `json:"type"`
	Loc   []any           `json:"loc"`
	Msg   string          `json:"msg"`
	Input json.RawMessage `json:"input"`
	Ctx   map[string]any  `json:"ctx"`
}

// wantError is what a probe expects; empty fields are not checked.
type wantError struct {
	param, typ, msgPrefix string
	msg                   string
	ctx                   map[string]any
}

// expect422 sends one bad parameter to res's list and checks the single error it must produce.
func expect422(t *T, res *resource, name, value string, want wantError) {
	ex := t.Get(Request{Path: res.list, Query: url.Values{name: {value}}.Encode(), Cred: CredPrimary, OffSpec: true})
	errs, ok := decode422(t, ex)
	if !ok {
		return
	}
	if len(errs) != 1 {
		t.Errorf(ex, "%s=%q: %d errors in detail, want 1", name, value, len(errs))
		return
	}
	checkError(t, ex, errs[0], name, value, want)
}

func decode422(t *T, ex *Exchange) ([]pydanticError, bool) {
	if ex.Status != http.StatusUnprocessableEntity {
		t.Errorf(ex, "status %d, want 422: %s", ex.Status, clip(string(ex.Body), 200))
		return nil, false
	}
	var body struct {
		Detail []pydanticError `json:"detail"`
	}
	if err := json.Unmarshal(ex.Body, &body); err != nil || body.Detail == nil {
		t.Errorf(ex, `422 body is not FastAPI's {"detail":[...]}: %s`, clip(string(ex.Body), 200))
		return nil, false
	}
	return body.Detail, true
}

func checkError(t *T, ex *Exchange, e pydanticError, name, value string, want wantError) {
	label := fmt.Sprintf("%s=%q", name, value)
	if !reflect.DeepEqual(e.Loc, []any{"query", name}) {
		t.Errorf(ex, `%s: loc is %v, want ["query", %q]`, label, jsonString(e.Loc), name)
	}
	var input string
	if err := json.Unmarshal(e.Input, &input); err != nil || input != value {
		t.Errorf(ex, "%s: input is %s, want the raw string %q", label, string(e.Input), value)
	}
	if want.typ != "" && e.Type != want.typ {
		t.Errorf(ex, "%s: type is %q, want %q", label, e.Type, want.typ)
	}
	if want.msg != "" && e.Msg != want.msg {
		t.Errorf(ex, "%s: msg is %q, want %q", label, e.Msg, want.msg)
	}
	if want.msgPrefix != "" && !strings.HasPrefix(e.Msg, want.msgPrefix) {
		t.Errorf(ex, "%s: msg is %q, want it to start %q", label, e.Msg, want.msgPrefix)
	}
	if want.ctx != nil && !reflect.DeepEqual(e.Ctx, want.ctx) {
		t.Errorf(ex, "%s: ctx is %s, want %s", label, jsonString(e.Ctx), jsonString(want.ctx))
	}
}

func jsonString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func integerParams(res *resource) []spec.Param {
	var out []spec.Param
	for _, p := range res.params {
		if p.Kind == spec.KindInteger {
			out = append(out, p)
		}
	}
	return out
}

func validationOutOfRange(t *T, res *resource) {
	for _, p := range integerParams(res) {
		if b := p.Lower; b != nil {
			v := b.Value - 1
			if b.Exclusive {
				v = b.Value
			}
			c := b.Constraint(true)
			expect422(t, res, p.Name, fmt.Sprint(int64(v)), wantError{
				typ: map[string]string{"ge": "greater_than_equal", "gt": "greater_than"}[c],
				msg: fmt.Sprintf("Input should be %s %s", map[string]string{"ge": "greater than or equal to", "gt": "greater than"}[c], b),
				ctx: map[string]any{c: b.Value},
			})
		}
		if b := p.Upper; b != nil {
			v := b.Value + 1
			if b.Exclusive {
				v = b.Value
			}
			c := b.Constraint(false)
			expect422(t, res, p.Name, fmt.Sprint(int64(v)), wantError{
				typ: map[string]string{"le": "less_than_equal", "lt": "less_than"}[c],
				msg: fmt.Sprintf("Input should be %s %s", map[string]string{"le": "less than or equal to", "lt": "less than"}[c], b),
				ctx: map[string]any{c: b.Value},
			})
		}
	}
}

func validationMalformedInteger(t *T, res *resource) {
	want := wantError{typ: "int_parsing", msg: "Input should be a valid integer, unable to parse string as an integer"}
	for _, p := range integerParams(res) {
		for _, v := range []string{"abc", "2.5", "", "1e2", "0x10"} {
			expect422(t, res, p.Name, v, want)
		}
	}
}

// pydanticChoices words an enum as pydantic does: 'a', 'b' or 'c'.
func pydanticChoices(vals []string) string {
	q := make([]string, len(vals))
	for i, v := range vals {
		q[i] = "'" + v + "'"
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

func validationEnum(t *T, res *resource) {
	for _, p := range res.params {
		if p.Kind != spec.KindEnum || len(p.Enum) == 0 {
			continue
		}
		choices := pydanticChoices(p.Enum)
		want := wantError{typ: "enum", msg: "Input should be " + choices, ctx: map[string]any{"expected": choices}}
		for _, v := range []string{"no-such-value", strings.ToUpper(p.Enum[0]), ""} {
			expect422(t, res, p.Name, v, want)
		}
	}
}

// datetimeErrors are bad datetimes and the tail pydantic's message gives each (speedate's
// date error, also ctx.error), as real FastAPI answered them (the captures).
var datetimeErrors = []struct{ value, tail string }{
	{"notadate", "input is too short"},
	{"", "input is too short"},
	{"2025-13-01", "month value is outside expected range of 1-12"},
	{"2025/01/01", "invalid date separator, expected `-`"},
	{"2025-01-01T25:00:00", "unexpected extra characters at the end of the input"},
}

func validationDatetime(t *T, res *resource) {
	for _, p := range res.params {
		if p.Kind != spec.KindDateTime {
			continue
		}
		for _, e := range datetimeErrors {
			expect422(t, res, p.Name, e.value, wantError{typ: "datetime_from_date_parsing",
				msg: "Input should be a valid datetime or date, " + e.tail, ctx: map[string]any{"error": e.tail}})
		}
	}
}

func validationEveryError(t *T, res *resource) {
	var names []string
	vals := url.Values{}
	for _, p := range res.params {
		switch p.Kind {
		case spec.KindInteger, spec.KindEnum, spec.KindDateTime:
			vals.Set(p.Name, "zz")
		case spec.KindString:
			if p.Name != "sort_key" {
				continue // free text: any value is valid
			}
			vals.Set(p.Name, "zz")
		}
		names = append(names, p.Name)
	}
	// Send them in reverse: the order of the errors must come from the document, not the URL.
	// Parameters the document does not declare for this list (orders have no sort_key) are
	// ignored, as FastAPI ignores any unknown parameter: they add no error.
	var parts []string
	for _, unknown := range []string{"contract_suite_unknown", "sort_key"} {
		if _, ok := res.param(unknown); !ok {
			parts = append(parts, unknown+"=zz")
		}
	}
	for i := len(names) - 1; i >= 0; i-- {
		parts = append(parts, url.QueryEscape(names[i])+"="+url.QueryEscape(vals.Get(names[i])))
	}
	ex := t.Get(Request{Path: res.list, Query: strings.Join(parts, "&"), Cred: CredPrimary, OffSpec: true})
	errs, ok := decode422(t, ex)
	if !ok {
		return
	}
	var got []string
	for _, e := range errs {
		if len(e.Loc) == 2 {
			got = append(got, fmt.Sprint(e.Loc[1]))
		} else {
			got = append(got, jsonString(e.Loc))
		}
	}
	if !reflect.DeepEqual(got, names) {
		t.Errorf(ex, "errors are reported for %v, want each of %v once, in that order", got, names)
	}
}

func validationTrailingSlash(t *T, res *resource) {
	base, _ := url.Parse(t.run.cfg.BaseURL)
	for _, r := range []struct{ from, to string }{
		{strings.TrimSuffix(res.list, "/"), res.list},
		{strings.TrimSuffix(res.detail(probeID), "/"), res.detail(probeID)},
	} {
		for _, cred := range []Cred{CredNone, CredPrimary} {
			ex := t.Get(Request{Path: r.from, Query: "per_page=1", Cred: cred, OffSpec: true})
			if ex.Status != http.StatusTemporaryRedirect {
				t.Errorf(ex, "GET %s answers %d, want 307 to %s", r.from, ex.Status, r.to)
				continue
			}
			loc, err := url.Parse(ex.Header.Get("Location"))
			if err != nil || ex.Header.Get("Location") == "" {
				t.Errorf(ex, "307 without a usable location header (%q)", ex.Header.Get("Location"))
				continue
			}
			if want := base.Path + r.to; loc.Path != want || loc.RawQuery != "per_page=1" {
				t.Errorf(ex, "307 location is %q, want path %q and query %q", ex.Header.Get("Location"), want, "per_page=1")
			}
		}
	}
}

func validationUnknownPath(t *T, res *resource) {
	for _, p := range []string{"/contract-suite-no-such-path", res.detail("a") + "b/"} {
		ex := t.Get(Request{Path: p, Cred: CredPrimary, OffSpec: true})
		expectDetail(t, ex, http.StatusNotFound, "Not Found")
	}
}
