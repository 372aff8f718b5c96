package params

import (
	"math/big"
	"slices"
	"strings"

	"github.com/cryptofi/partner-mock/mock/internal/lax"
	"github.com/cryptofi/partner-mock/mock/internal/pydantic"
	"github.com/cryptofi/partner-mock/mock/internal/qs"
	"github.com/cryptofi/partner-mock/mock/internal/query"
	"github.com/cryptofi/partner-mock/spec"
)

// Request is a valid list request.
type Request struct {
	// Query is the question; its At is left for the caller, who knows the mock's clock.
	Query query.Query
	// PerPage is echoed as per_page.
	PerPage int
	// LastRecordNumber is the cursor as sent (or its default), kept exact for the echo.
	LastRecordNumber *big.Int
}

// Parse reads rawQuery (the URL's query, undecoded). It returns the request, or every invalid
// parameter in document order.
func (p *Parser) Parse(rawQuery string) (Request, []pydantic.Error) {
	pairs := qs.Parse(rawQuery)
	var req Request
	var errs []pydantic.Error
	for i := range p.fields {
		f := &p.fields[i]
		raw, present := qs.Last(pairs, f.Name)
		if !present {
			f.applyDefault(&req)
			continue
		}
		switch f.Kind {
		case spec.KindString:
			if f.role == RoleSortKey && !slices.Contains(f.rankings, raw) {
				errs = append(errs, pydantic.ValueError(f.loc, raw, f.Name+" must be one of: "+strings.Join(f.rankings, ", ")))
				continue
			}
		case spec.KindEnum:
			if !slices.Contains(f.Enum, raw) {
				errs = append(errs, pydantic.EnumError(f.loc, raw, f.Enum))
				continue
			}
		case spec.KindInteger:
			v, perr := lax.ParseInt(raw)
			if perr != nil {
				errs = append(errs, fromLax(f.loc, raw, perr))
				continue
			}
			if e := f.boundError(v, raw); e != nil {
				errs = append(errs, *e)
				continue
			}
			f.applyInt(&req, v)
			continue
		case spec.KindDateTime:
			t, perr := lax.ParseDatetime(raw)
			if perr != nil {
				errs = append(errs, fromLax(f.loc, raw, perr))
				continue
			}
			micros := t.UnixMicro()
			if f.role == RoleFrom {
				req.Query.From = &micros
			} else {
				req.Query.Before = &micros
			}
			continue
		}
		f.applyString(&req, raw)
	}
	if len(errs) > 0 {
		return Request{}, errs
	}
	return req, nil
}

func (f *field) applyDefault(req *Request) {
	switch f.role {
	case RolePerPage, RoleOffset:
		f.applyInt(req, f.defaultInt)
	case RoleSortOrder, RoleSortKey:
		f.applyString(req, f.Default)
	}
}

func (f *field) applyString(req *Request, v string) {
	q := &req.Query
	switch f.role {
	case RoleID:
		// A copy local to this case: taking &v would move v to the heap on every call.
		id := v
		q.ID = &id
	case RoleGroup:
		q.Groups = append(q.Groups, query.Group{Key: f.group, Value: v})
	case RoleValue:
		// An index past the values (a value the document allows but no column holds) matches
		// nothing, as it should.
		idx := slices.Index(f.values, v)
		if idx < 0 {
			idx = len(f.values)
		}
		q.Conds = append(q.Conds, query.Cond{Column: f.column, Value: idx})
	case RoleHas:
		q.Conds = append(q.Conds, query.Cond{Column: slices.Index(f.values, v), Value: query.Present})
	case RoleSortOrder:
		q.Desc = v == "desc"
	case RoleSortKey:
		q.Ranking = slices.Index(f.rankings, v)
	}
}

func (f *field) applyInt(req *Request, v *big.Int) {
	switch f.role {
	case RolePerPage:
		n := clampInt64(v)
		if n > maxLimit {
			n = maxLimit
		}
		req.PerPage = int(n)
		req.Query.Limit = int(n)
	case RoleOffset:
		req.LastRecordNumber = v
		req.Query.Offset = clampInt64(v)
	}
}

// boundError checks v against the parameter's bounds, lower first as pydantic does.
func (f *field) boundError(v *big.Int, raw string) *pydantic.Error {
	fv := new(big.Float).SetInt(v)
	if b := f.Lower; b != nil {
		c := fv.Cmp(big.NewFloat(b.Value))
		if c < 0 || (c == 0 && b.Exclusive) {
			e := pydantic.BoundError(f.loc, raw, b.Constraint(true), b.String())
			return &e
		}
	}
	if b := f.Upper; b != nil {
		c := fv.Cmp(big.NewFloat(b.Value))
		if c > 0 || (c == 0 && b.Exclusive) {
			e := pydantic.BoundError(f.loc, raw, b.Constraint(false), b.String())
			return &e
		}
	}
	return nil
}

func fromLax(loc []string, raw string, e *lax.Error) pydantic.Error {
	out := pydantic.Error{Type: e.Type, Loc: loc, Msg: e.Msg, Input: raw}
	if e.CtxError != "" {
		out.Ctx = []pydantic.CtxEntry{pydantic.CtxString("error", e.CtxError)}
	}
	return out
}
