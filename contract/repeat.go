package contract

import "net/url"

var repeatChecks = []Check{
	{Name: "repeat/same-answer", Family: "repeat",
		Description: "the same request sent twice in a row gets the same status and the same bytes (lists within the run's fixed window; a record whose state left pending in between is the one difference allowed)",
		run:         repeatSameAnswer},
}

func repeatSameAnswer(t *T) {
	users := t.run.users
	type ask struct {
		res *resource
		req Request
	}
	scoped := func(res *resource, qv url.Values) string { return t.scope(res, qv).Encode() }
	asks := []ask{
		{users, Request{Path: users.list, Query: scoped(users, q("per_page", "100")), Cred: CredPrimary}},
		{users, Request{Path: users.list, Query: scoped(users, q("sort_key", "user_account_id", "sort_order", "asc", "per_page", "50", "last_record_number", "3")), Cred: CredPrimary}},
		{users, Request{Path: users.list, Query: scoped(users, q("product", users.enum("product")[0], "per_page", "20")), Cred: CredPrimary}},
		{users, Request{Path: users.list, Query: "per_page=0&sort_order=x", Cred: CredPrimary, OffSpec: true}},
		{users, Request{Path: users.detail(probeID), Cred: CredPrimary}},
	}
	for _, a := range asks {
		first := t.Get(a.req)
		second := t.Get(a.req)
		t.sameAnswer(a.res, first, second, "asked twice, answered differently")
	}
}
