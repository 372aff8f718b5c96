package engine

import "github.com/cryptofi/partner-mock/mock/internal/query"

// Match reports whether record p is kept by q: it exists at q.At and satisfies every filter in
// its state at q.At. It is the single definition of a query's meaning; the Table's faster paths
// must agree with it (the oracle tests check they do).
func (t *Table) Match(p int32, q *query.Query) bool {
	return t.base.Match(p, q)
}

// Match reports whether record p of the view is kept by q: Table.Match, for a record the view
// has not removed.
func (v *View) Match(p int32, q *query.Query) bool {
	return !v.Removed(p) && match(v.src, p, q)
}

func match(src Source, p int32, q *query.Query) bool {
	tm := src.Time(p)
	if tm > q.At || (q.From != nil && tm < *q.From) || (q.Before != nil && tm >= *q.Before) {
		return false
	}
	if q.ID != nil {
		if i, ok := src.Position(*q.ID); !ok || i != p {
			return false
		}
	}
	for _, g := range q.Groups {
		if id, ok := src.GroupOf(g.Key, g.Value); !ok || src.Group(p, g.Key) != id {
			return false
		}
	}
	for _, c := range q.Conds {
		v := src.Cell(p, c.Column).ValueAt(q.At)
		if c.Value == query.Present {
			if v == 0 {
				return false
			}
		} else if int(v) != c.Value+1 {
			return false
		}
	}
	return true
}
