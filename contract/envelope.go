package contract

import (
	"strconv"
)

var envelopeChecks = []Check{
	{Name: "envelope/defaults", Family: "envelope",
		Description: "no parameters means the document's defaults: per_page echoed at its default, cursor 0, the same answer as the defaults spelled out",
		run:         envelopeDefaults},
	{Name: "envelope/per-page-echo", Family: "envelope",
		Description: "per_page is echoed and a page holds min(per_page, total_records - cursor) items",
		run:         envelopePerPageEcho},
	{Name: "envelope/cursor-arithmetic", Family: "envelope",
		Description: "last_record_number in the answer is the request's last_record_number plus the number of items returned",
		run:         envelopeCursorArithmetic},
	{Name: "envelope/past-the-end", Family: "envelope",
		Description: "a cursor at or past total_records gets items [] and last_record_number equal to the request's",
		run:         envelopePastTheEnd},
}

func defaultOf(t *T, name string) string {
	p, ok := t.run.users.Param(name)
	if !ok || !p.HasDefault {
		t.Skipf("the document gives %s no default", name)
	}
	return p.Default
}

func envelopeDefaults(t *T) {
	perPage, err := strconv.ParseInt(defaultOf(t, "per_page"), 10, 64)
	if err != nil {
		t.Skipf("per_page default %q is not an integer", defaultOf(t, "per_page"))
	}
	ex, p := t.List(CredPrimary, q())
	if p.PerPage != perPage {
		t.Errorf(ex, "per_page is %d with no parameters, want the default %d", p.PerPage, perPage)
	}
	if want := min(perPage, p.TotalRecords); int64(len(p.Items)) != want {
		t.Errorf(ex, "%d items with no parameters, want min(default per_page %d, total_records %d) = %d", len(p.Items), perPage, p.TotalRecords, want)
	}
	if p.LastRecordNumber != int64(len(p.Items)) {
		t.Errorf(ex, "last_record_number is %d on the first page of %d items, want %d", p.LastRecordNumber, len(p.Items), len(p.Items))
	}
	explicit := q()
	for _, name := range []string{"per_page", "last_record_number", "sort_order", "sort_key"} {
		explicit.Set(name, defaultOf(t, name))
	}
	ex2 := t.Get(Request{Path: "/users/", Query: explicit.Encode(), Cred: CredPrimary})
	if string(ex2.Body) != string(ex.Body) || ex2.Status != ex.Status {
		t.Errorf(ex2, "spelling out the defaults (%s) changes the answer: %s", explicit.Encode(), firstDiff(ex.Body, ex2.Body))
	}
}

func envelopePerPageEcho(t *T) {
	for _, n := range perPageProbes(t) {
		ex, p := t.List(CredPrimary, q("per_page", itoa(n)))
		if p.PerPage != n {
			t.Errorf(ex, "per_page=%d is echoed as %d", n, p.PerPage)
		}
		if want := min(n, p.TotalRecords); int64(len(p.Items)) != want {
			t.Errorf(ex, "per_page=%d gives %d items, want min(%d, total_records %d) = %d", n, len(p.Items), n, p.TotalRecords, want)
		}
	}
}

// perPageProbes are per_page values worth asking for: the document's bounds and one between.
func perPageProbes(t *T) []int64 {
	lo, hi := int64(1), int64(100)
	if p, ok := t.run.users.Param("per_page"); ok {
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

func envelopeCursorArithmetic(t *T) {
	total := t.run.population
	cursors := []int64{0, 1, 2}
	if total > 3 {
		cursors = append(cursors, total/2, total-3)
	}
	for _, c := range cursors {
		ex, p := t.List(CredPrimary, q("per_page", "5", "last_record_number", itoa(c)))
		if p.TotalRecords != total {
			t.Errorf(ex, "total_records is %d at cursor %d, was %d at cursor 0", p.TotalRecords, c, total)
		}
		want := max(0, min(5, total-c))
		if int64(len(p.Items)) != want {
			t.Errorf(ex, "cursor %d of %d with per_page=5 returns %d items, want %d", c, total, len(p.Items), want)
		}
		if p.LastRecordNumber != c+int64(len(p.Items)) {
			t.Errorf(ex, "last_record_number is %d after cursor %d and %d items, want %d", p.LastRecordNumber, c, len(p.Items), c+int64(len(p.Items)))
		}
	}
}

func envelopePastTheEnd(t *T) {
	total := t.run.population
	for _, c := range []int64{total, total + 1, total + 1000} {
		ex, p := t.List(CredPrimary, q("per_page", "10", "last_record_number", itoa(c)))
		if len(p.Items) != 0 {
			t.Errorf(ex, "cursor %d with total_records %d returns %d items, want none", c, total, len(p.Items))
		}
		if p.LastRecordNumber != c {
			t.Errorf(ex, "past the end (cursor %d) last_record_number is %d, want the request's %d", c, p.LastRecordNumber, c)
		}
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
