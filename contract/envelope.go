package contract

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

var envelopeChecks = []Check{
	{Name: "envelope/defaults", Family: "envelope",
		Description: "no parameters means the document's defaults: per_page echoed at its default, cursor 0, the same answer as the defaults spelled out",
		run:         envelopeDefaults},
	{Name: "envelope/per-page-echo", Family: "envelope",
		Description: "per_page is echoed at its bounds and between, and a page holds min(per_page, total_records - cursor) items (checked on every list answer of every check, short last pages included)",
		run:         envelopePerPageEcho},
	{Name: "envelope/cursor-arithmetic", Family: "envelope",
		Description: "last_record_number in the answer is the request's last_record_number plus the number of items returned, up to a short last page (checked on every list answer of every check)",
		run:         envelopeCursorArithmetic},
	{Name: "envelope/past-the-end", Family: "envelope",
		Description: "a cursor at or past total_records gets items [] and last_record_number equal to the request's",
		run:         envelopePastTheEnd},
}

func defaultOf(t *T, name string) string {
	p, ok := t.run.spec.Param(name)
	if !ok || !p.HasDefault {
		t.Skipf("the document gives %s no default", name)
	}
	return p.Default
}

func envelopeDefaults(t *T) {
	// The envelope of the answer without parameters is checked against the document's
	// defaults (per_page echoed at its default, cursor 0) by T.Get, like every list answer.
	ex := t.Get(Request{Path: "/users/", Cred: CredPrimary})
	explicit := q()
	for _, name := range []string{"per_page", "last_record_number", "sort_order", "sort_key"} {
		explicit.Set(name, defaultOf(t, name))
	}
	ex2 := t.Get(Request{Path: "/users/", Query: explicit.Encode(), Cred: CredPrimary})
	if string(ex2.Body) != string(ex.Body) || ex2.Status != ex.Status {
		t.Errorf(ex2, "spelling out the defaults (%s) changes the answer: %s", explicit.Encode(), firstDiff(ex.Body, ex2.Body))
	}
}

// envelopePerPageEcho asks for pages of the document's smallest and largest per_page and one
// between; T.Get checks each answer's echo and item count.
func envelopePerPageEcho(t *T) {
	for _, n := range perPageProbes(t) {
		t.List(t.run.users, CredPrimary, q("per_page", itoa(n)))
	}
}

// perPageProbes are per_page values worth asking for: the document's bounds and one between.
func perPageProbes(t *T) []int64 {
	lo, hi := int64(1), int64(100)
	if p, ok := t.run.spec.Param("per_page"); ok {
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
func envelopeCursorArithmetic(t *T) {
	total := t.run.population
	cursors := []int64{0, 1, 2}
	if total > 3 {
		cursors = append(cursors, total/2, total-3)
	}
	for _, c := range cursors {
		ex, p := t.List(t.run.users, CredPrimary, q("per_page", "5", "last_record_number", itoa(c)))
		if p.TotalRecords != total {
			t.Errorf(ex, "total_records is %d at cursor %d, was %d at cursor 0", p.TotalRecords, c, total)
		}
	}
}

// envelopePastTheEnd asks for pages at and past the end; T.Get checks that they are empty and
// keep the request's cursor.
func envelopePastTheEnd(t *T) {
	total := t.run.population
	for _, c := range []int64{total, total + 1, total + 1000} {
		ex, p := t.List(t.run.users, CredPrimary, q("per_page", "10", "last_record_number", itoa(c)))
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
