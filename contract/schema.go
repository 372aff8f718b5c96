package contract

import "net/url"

var schemaChecks = []Check{
	{Name: "schema/responses", Family: "schema",
		Description: "a list page, a user detail, a 422, a 401 and a 404 each match the OpenAPI document (every response of every check is validated too)",
		run:         schemaResponses},
}

func schemaResponses(t *T) {
	_, p := t.List(t.run.users, CredPrimary, q("per_page", "5"))
	if ids, err := p.ids(); err == nil && len(ids) > 0 {
		t.Get(Request{Path: "/users/" + url.PathEscape(ids[0]) + "/", Cred: CredPrimary})
	}
	t.Get(Request{Path: "/users/", Query: "per_page=0", Cred: CredPrimary, OffSpec: true})
	t.Get(Request{Path: "/users/", Cred: CredNone})
	t.Get(Request{Path: "/users/" + probeID + "/", Cred: CredPrimary})
}
