package contract

// schemaChecks are the schema checks of res's endpoints.
func schemaChecks(pick func(*T) *resource, noun, family string) []Check {
	return []Check{
		{Name: family + "/responses", Family: family,
			Description: an(noun) + " list page, " + an(noun) + " detail, a 422, a 401 and a 404 each match the OpenAPI document (every response of every check is validated too)",
			run:         func(t *T) { schemaResponses(t, pick(t)) }},
	}
}

func schemaResponses(t *T, res *resource) {
	_, p := t.List(res, CredPrimary, q("per_page", "5"))
	if ids, err := res.ids(p); err == nil && len(ids) > 0 {
		t.Get(Request{Path: res.detail(ids[0]), Cred: CredPrimary})
	}
	t.Get(Request{Path: res.list, Query: "per_page=0", Cred: CredPrimary, OffSpec: true})
	t.Get(Request{Path: res.list, Cred: CredNone})
	t.Get(Request{Path: res.detail(probeID), Cred: CredPrimary})
}
