package contract

import (
	"bytes"
	"cmp"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

var filterChecks = []Check{
	{Name: "filters/product", Family: "filters",
		Description: "product=P returns only users with a P account",
		run:         filtersProduct},
	{Name: "filters/kyc-status", Family: "filters",
		Description: "P_kyc_status=S returns only users whose P account is in state S",
		run:         filtersKycStatus},
	{Name: "filters/kyc-partition", Family: "filters",
		Description: "for each product, the totals of its KYC states add up to the product's total (the states partition its users), counted within the run's fixed window until two rounds agree (KYC decisions land while the suite runs)",
		run:         filtersKycPartition},
	{Name: "filters/and", Family: "filters",
		Description: "filters combine with AND: every item satisfies all of them, and the total is at most each one's (totals counted within the run's fixed window until two rounds agree)",
		run:         filtersAnd},
	{Name: "filters/user-account-id", Family: "filters",
		Description: "user_account_id=X and GET /users/X/ return exactly the list's object for X (a KYC state that left pending in between excepted)",
		run:         filtersUserAccountID},
	{Name: "filters/unknown-user", Family: "filters",
		Description: `an id no user has: the filter returns total_records 0, the detail 404 {"detail":"User not found"}`,
		run:         filtersUnknownUser},
}

func filtersProduct(t *T) {
	var filters []url.Values
	for _, prod := range t.run.users.enum("product") {
		filters = append(filters, q("product", prod))
	}
	eachMatchOf(t, filters, t.Allowance(shareUserFilterProduct), func(f url.Values, u *user) string {
		prod := f.Get("product")
		if _, ok := u.account(prod); !ok {
			return "has no " + prod + " account but product=" + prod + " returned it"
		}
		return ""
	})
}

func filtersKycStatus(t *T) {
	var filters []url.Values
	for _, prod := range t.run.users.enum("product") {
		for _, st := range t.run.users.kycStatuses() {
			filters = append(filters, q(prod+"_kyc_status", st))
		}
	}
	eachMatchOf(t, filters, t.Allowance(shareUserFilterKyc), func(f url.Values, u *user) string {
		return violates(u, f)
	})
}

// eachMatchOf pages through the matches of each filter, 100 at a time, and reports every user
// bad complains about. The first page of each filter is always fetched; the extra requests are
// then shared among the filters that have more pages, the smallest needs served first, and when
// they do not cover everything the check says how much it covered. It returns each filter's
// total_records.
func eachMatchOf(t *T, filters []url.Values, extra int, bad func(url.Values, *user) string) []int64 {
	totals := make([]int64, len(filters))
	checked := make([]int64, len(filters))
	page := func(i int, cursor int64) {
		f := filters[i]
		ex, p := t.List(t.run.users, CredPrimary, with(f, "per_page", "100", "last_record_number", itoa(cursor)))
		totals[i] = p.TotalRecords
		checked[i] = min(p.TotalRecords, cursor+int64(len(p.Items)))
		eachUser(t, ex, p, func(u *user) string { return bad(f, u) })
	}
	for i := range filters {
		page(i, 0)
	}
	// Water-filling: each filter gets its share of what is left, or less if it needs less.
	order := make([]int, len(filters))
	for i := range order {
		order[i] = i
	}
	need := func(i int) int64 { return (totals[i]+99)/100 - 1 }
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(need(a), need(b)) })
	left := int64(extra)
	for k, i := range order {
		grant := min(need(i), left/int64(len(order)-k))
		left -= grant
		for n := int64(1); n <= grant; n++ {
			page(i, n*100)
		}
	}
	var sumChecked, sumAll int64
	for i := range filters {
		sumChecked += checked[i]
		sumAll += totals[i]
	}
	if sumChecked < sumAll {
		t.Sampled("checked %d of the %d matches of %d filters (the first pages of each)", sumChecked, sumAll, len(filters))
	}
	return totals
}

func filtersKycPartition(t *T) {
	users := t.run.users
	prods, sts := users.enum("product"), users.kycStatuses()
	var queries []url.Values
	for _, prod := range prods {
		queries = append(queries, q("product", prod))
		for _, st := range sts {
			queries = append(queries, q(prod+"_kyc_status", st))
		}
	}
	totals, exs := t.stableTotals(users, CredPrimary, queries)
	for i, prod := range prods {
		k := i * (len(sts) + 1)
		var sum int64
		for j := range sts {
			sum += totals[k+1+j]
		}
		if sum != totals[k] {
			t.Errorf(exs[k], "product=%s has %d users but its KYC states add up to %d: a %s_kyc_status filter is ignored or wrong", prod, totals[k], sum, prod)
		}
	}
}

func filtersAnd(t *T) {
	users := t.run.users
	prods, sts := users.enum("product"), users.kycStatuses()
	if len(prods) < 2 || len(sts) < 1 {
		t.Skipf("the document lists fewer than two products")
	}
	combos := []url.Values{
		q("product", prods[0], prods[1]+"_kyc_status", sts[len(sts)/2]),
		q(prods[0]+"_kyc_status", sts[len(sts)/2], prods[1]+"_kyc_status", sts[len(sts)/2]),
		q("product", prods[len(prods)-1], prods[0]+"_kyc_status", sts[len(sts)/2]),
	}
	eachMatchOf(t, combos, t.Allowance(shareUserFilterAnd), violates2)
	// The totals of each combination and of its parts, as one consistent count.
	var queries []url.Values
	for _, c := range combos {
		queries = append(queries, c)
		for name := range c {
			queries = append(queries, q(name, c.Get(name)))
		}
	}
	totals, exs := t.stableTotals(users, CredPrimary, queries)
	k := 0
	for _, c := range combos {
		total := totals[k]
		k++
		for range c {
			if total > totals[k] {
				t.Errorf(exs[k], "%s matches %d users, more than %s alone (%d): filters do not AND", c.Encode(), total, queries[k].Encode(), totals[k])
			}
			k++
		}
	}
}

func violates2(c url.Values, u *user) string { return violates(u, c) }

// violates says which filter of c the user fails, or "".
func violates(u *user, c url.Values) string {
	if prod := c.Get("product"); prod != "" {
		if _, ok := u.account(prod); !ok {
			return "has no " + prod + " account but " + c.Encode() + " returned it"
		}
	}
	for name := range c {
		prod, ok := strings.CutSuffix(name, "_kyc_status")
		if !ok {
			continue
		}
		if a, ok := u.account(prod); !ok || a.KycStatus != c.Get(name) {
			return "fails " + name + "=" + c.Get(name) + " but " + c.Encode() + " returned it"
		}
	}
	return ""
}

// eachUser decodes every item of p and reports the ones bad returns a complaint for.
func eachUser(t *T, ex *Exchange, p *listPage, bad func(*user) string) {
	for _, raw := range p.Items {
		u, err := decodeUser(raw)
		if err != nil {
			t.Errorf(ex, "%v", err)
			continue
		}
		if msg := bad(u); msg != "" {
			t.Errorf(ex, "user %q %s", u.UserAccountID, msg)
		}
	}
}

func filtersUserAccountID(t *T) {
	users := t.run.users
	lex, p := t.List(users, CredPrimary, t.scope(users, q("per_page", "100")))
	ids, err := users.ids(p)
	if err != nil || len(ids) == 0 {
		t.Skipf("the FI has no users to look up")
	}
	// Spread the sample over the page: first, last and evenly between.
	const n = 8
	picked := map[int]bool{}
	for i := range n {
		picked[i*(len(ids)-1)/max(1, n-1)] = true
	}
	for i := range ids {
		if !picked[i] {
			continue
		}
		id, item := ids[i], p.Items[i]
		listed := &Exchange{Request: lex.Request, URL: lex.URL, Status: http.StatusOK, Body: item}
		ex, fp := t.List(users, CredPrimary, q("user_account_id", id))
		if fp.TotalRecords != 1 || len(fp.Items) != 1 {
			t.Errorf(ex, "user_account_id=%s matches %d users (%d items), want exactly 1", id, fp.TotalRecords, len(fp.Items))
		} else {
			filtered := &Exchange{Request: ex.Request, URL: ex.URL, Status: http.StatusOK, Body: fp.Items[0]}
			t.sameAnswer(users, listed, filtered, "user_account_id="+id+" returns a different object than the list")
		}
		dex := t.Get(Request{Path: users.detail(id), Cred: CredPrimary})
		if dex.Status != http.StatusOK {
			t.Errorf(dex, "detail of listed user %q answers %d, want 200: %s", id, dex.Status, clip(string(dex.Body), 200))
		} else {
			t.sameAnswer(users, listed, dex, "detail of "+strconv.Quote(id)+" differs from its list item")
		}
	}
}

func filtersUnknownUser(t *T) {
	ex, p := t.List(t.run.users, CredPrimary, q("user_account_id", probeID))
	if p.TotalRecords != 0 || len(p.Items) != 0 {
		t.Errorf(ex, "user_account_id=%s (no such user) matches %d users", probeID, p.TotalRecords)
	}
	dex := t.Get(Request{Path: t.run.users.detail(probeID), Cred: CredPrimary})
	expectDetail(t, dex, http.StatusNotFound, t.run.users.notFound)
}

// jsonEqual compares two JSON documents: byte-equal, or equal once compacted.
func jsonEqual(a, b []byte) bool {
	if bytes.Equal(a, b) {
		return true
	}
	var ca, cb bytes.Buffer
	if json.Compact(&ca, a) != nil || json.Compact(&cb, b) != nil {
		return false
	}
	return bytes.Equal(ca.Bytes(), cb.Bytes())
}
