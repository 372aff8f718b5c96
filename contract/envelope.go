package contract

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// envelopeChecks are the envelope checks of res's list; family is "envelope" for users,
// "orders-envelope" for orders.
func envelopeChecks(pick func(*T) *resource, noun, family string) []Check {
	return []Check{
		{Name: family + "/defaults", Family: family,
			Description: "no parameters means the document's defaults: per_page echoed at its default, cursor 0, the same answer as the defaults spelled out (compared within the run's fixed window, records that only changed state excepted)",
			run:         func(t *T) { envelopeDefaults(t, pick(t)) }},
		{Name: family + "/per-page-echo", Family: family,
			Description: "per_page is echoed at its bounds and between, and a page holds min(per_page, total_records - cursor) items (checked on every list answer of every check, short last pages included)",
			run:         func(t *T) { envelopePerPageEcho(t, pick(t)) }},
		{Name: family + "/cursor-arithmetic", Family: family,
			Description: "last_record_number in the answer is the request's last_record_number plus the number of items returned, up to a short last page, and total_records does not move between cursors (within the run's fixed window)",
			run:         func(t *T) { envelopeCursorArithmetic(t, pick(t)) }},
		{Name: family + "/past-the-end", Family: family,
			Description: "a cursor at or past total_records gets items [] and last_record_number equal to the request's (within the run's fixed window, so the end does not move)",
			run:         func(t *T) { envelopePastTheEnd(t, pick(t)) }},
	}
}

func defaultOf(t *T, res *resource, name string) string {
	p, ok := res.param(name)
	if !ok || !p.HasDefault {
		t.Skipf("the document gives %s's %s no default", res.name, name)
	}
	return p.Default
}

func envelopeDefaults(t *T, res *resource) {
	// The envelope of the answer without paging parameters is checked against the document's
	// defaults (per_page echoed at its default, cursor 0) by T.Get, like every list answer.
	// Both answers are limited to the run's window so a new record cannot tell them apart.
	scope := t.scope(res, q())
	ex := t.Get(Request{Path: res.list, Query: scope.Encode(), Cred: CredPrimary})
	explicit := with(scope)
	for _, p := range res.params {
		if p.HasDefault {
			explicit.Set(p.Name, p.Default)
		}
	}
	ex2 := t.Get(Request{Path: res.list, Query: explicit.Encode(), Cred: CredPrimary})
	t.sameAnswer(res, ex, ex2, "spelling out the defaults ("+explicit.Encode()+") changes the answer")
}

// envelopePerPageEcho asks for pages of the document's smallest and largest per_page and one
// between; T.Get checks each answer's echo and item count.
func envelopePerPageEcho(t *T, res *resource) {
	for _, n := range perPageProbes(res) {
		t.List(res, CredPrimary, q("per_page", itoa(n)))
	}
}

// perPageProbes are per_page values worth asking for: the document's bounds and one between.
func perPageProbes(res *resource) []int64 {
	lo, hi := int64(1), int64(100)
	if p, ok := res.param("per_page"); ok {
		if p.Lower != nil {
			lo = int64(p.Lower.Value)
			if p.Lower.Exclusive {
				lo++
			}
		}
		if p.Upper != nil {
			hi = int64(p.Upper.Value)
			if p.Upper.Exclusive {
				hi--
			}
		}
	}
	return []int64{lo, 7, hi}
}

// envelopeCursorArithmetic asks for pages at cursors from the start to a short last page; T.Get
// checks each one's cursor arithmetic, and this check that total_records does not move.
func envelopeCursorArithmetic(t *T, res *resource) {
	scope := t.scope(res, q())
	ex0, first := t.List(res, CredPrimary, with(scope, "per_page", "5"))
	total := first.TotalRecords
	cursors := []int64{1, 2}
	if total > 3 {
		cursors = append(cursors, total/2, total-3)
	}
	for _, c := range cursors {
		ex, p := t.List(res, CredPrimary, with(scope, "per_page", "5", "last_record_number", itoa(c)))
		if p.TotalRecords != total {
			t.Errorf(ex, "total_records is %d at cursor %d, was %d at cursor 0 (%s)", p.TotalRecords, c, total, ex0.URL)
		}
	}
}

// envelopePastTheEnd asks for pages at and past the end; T.Get checks that they are empty and
// keep the request's cursor.
func envelopePastTheEnd(t *T, res *resource) {
	scope := t.scope(res, q())
	_, first := t.List(res, CredPrimary, with(scope, "per_page", "1"))
	total := first.TotalRecords
	for _, c := range []int64{total, total + 1, total + 1000} {
		ex, p := t.List(res, CredPrimary, with(scope, "per_page", "10", "last_record_number", itoa(c)))
		if p.TotalRecords != total {
			t.Errorf(ex, "past the end total_records is %d, want %d", p.TotalRecords, total)
		}
	}
}

// firstDiff describes where two bodies first differ.
func firstDiff(a, b []byte) string {
	n := min(len(a), len(b))
	i := 0
	for i < n && a[i] == b[i] {
		i++
	}
	if i == n && len(a) == len(b) {
		return "identical"
	}
	from := max(0, i-30)
	return "first difference at byte " + strconv.Itoa(i) + ": " + strconv.Quote(clip(string(a[from:]), 80)) + " vs " + strconv.Quote(clip(string(b[from:]), 80))
}

// checkEnvelope asserts the envelope's invariants on one list answer, relative to the request
// that got it: per_page is the request's (or the document's default), the page holds
// min(per_page, total_records - cursor) items and never more than per_page, and
// last_record_number is the request's cursor plus the items returned (past the end: the
// request's cursor). They hold for every page of every list, the short last page and the page
// past the end included, and for any server clock: they relate one answer to its own request.
// T.Get calls it for every 200 list answer, so no check can forget it.
func (t *T) checkEnvelope(res *resource, ex *Exchange) {
	p, err := decodeList(ex.Body)
	ex.page, ex.pageErr = p, err
	if err != nil {
		return // the schema validation and the check that reads the page name it
	}
	query, _ := url.ParseQuery(ex.Request.Query)
	perPage, okPerPage := requestInt(query, "per_page", res)
	cursor, okCursor := requestInt(query, "last_record_number", res)
	n := int64(len(p.Items))
	where := pageKind(p, perPage, cursor, okPerPage && okCursor)
	if okPerPage && p.PerPage != perPage {
		t.Errorf(ex, "envelope: per_page=%d is echoed as %d on %s", perPage, p.PerPage, where)
	}
	if okPerPage && n > perPage {
		t.Errorf(ex, "envelope: %s of per_page=%d holds %d items", where, perPage, n)
	}
	if !okCursor {
		return
	}
	if okPerPage {
		if want := max(0, min(perPage, p.TotalRecords-cursor)); n != want {
			t.Errorf(ex, "envelope: cursor %d of total_records %d with per_page=%d returns %d items, want min(per_page, total_records - cursor) = %d", cursor, p.TotalRecords, perPage, n, want)
		}
	}
	switch {
	case n == 0 && p.LastRecordNumber != cursor:
		t.Errorf(ex, "envelope: past the end (cursor %d, total_records %d) last_record_number is %d, want the request's %d", cursor, p.TotalRecords, p.LastRecordNumber, cursor)
	case n > 0 && p.LastRecordNumber != cursor+n:
		t.Errorf(ex, "envelope: cursor %d plus %d items returned last_record_number %d, want %d, on %s", cursor, n, p.LastRecordNumber, cursor+n, where)
	}
}

// pageKind names the page an answer is, for messages: the short last page is where a server
// that only gets full pages right goes wrong.
func pageKind(p *listPage, perPage, cursor int64, known bool) string {
	n := int64(len(p.Items))
	switch {
	case !known:
		return "a page"
	case n == 0:
		return fmt.Sprintf("the empty page past the end (cursor %d, total_records %d)", cursor, p.TotalRecords)
	case n < perPage:
		return fmt.Sprintf("the short last page (cursor %d, %d items, total_records %d)", cursor, n, p.TotalRecords)
	}
	return fmt.Sprintf("a full page (cursor %d)", cursor)
}

// requestInt reads the integer parameter name as the request sent it (the last value wins, as
// in FastAPI), or the document's default when it was not sent. ok is false when the value is
// not a plain integer the suite can reason about.
func requestInt(query url.Values, name string, res *resource) (int64, bool) {
	vs := query[name]
	raw := ""
	if len(vs) > 0 {
		raw = strings.TrimSpace(vs[len(vs)-1])
	} else if p, ok := res.param(name); ok && p.HasDefault {
		raw = p.Default
	} else if name == "last_record_number" {
		raw = "0"
	}
	v, err := strconv.ParseInt(raw, 10, 64)
	return v, err == nil
}
