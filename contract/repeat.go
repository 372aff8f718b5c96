package contract

import "net/url"

var repeatChecks = []Check{
	{Name: "repeat/same-answer", Family: "repeat",
		Description: "the same request sent twice in a row gets the same status and the same bytes",
		run:         repeatSameAnswer},
}

func repeatSameAnswer(t *T) {
	reqs := []Request{
		{Path: "/users/", Query: "per_page=100", Cred: CredPrimary},
		{Path: "/users/", Query: url.Values{"sort_key": {"user_account_id"}, "sort_order": {"asc"}, "per_page": {"50"}, "last_record_number": {"3"}}.Encode(), Cred: CredPrimary},
		{Path: "/users/", Query: "product=" + t.run.users.products[0] + "&per_page=20", Cred: CredPrimary},
		{Path: "/users/", Query: "per_page=0&sort_order=x", Cred: CredPrimary, OffSpec: true},
		{Path: "/users/" + probeID + "/", Cred: CredPrimary},
	}
	for _, r := range reqs {
		a := t.Get(r)
		b := t.Get(r)
		if a.Status != b.Status || string(a.Body) != string(b.Body) {
			t.Errorf(b, "asked twice, answered %d then %d: %s", a.Status, b.Status, firstDiff(a.Body, b.Body))
		}
	}
}
