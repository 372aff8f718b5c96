package contract

import (
	"net/http"
)

// authChecks are the auth checks of res's list and detail.
func authChecks(pick func(*T) *resource, noun, family string) []Check {
	lists := "on the " + noun + " list and the " + noun + " detail"
	return []Check{
		{Name: family + "/missing-key", Family: family,
			Description: `no x-api-key header: 401 {"detail":"Not authenticated"} with www-authenticate: APIKey, ` + lists,
			run: func(t *T) {
				res := pick(t)
				expectNotAuthenticated(t, Request{Path: res.list, Cred: CredNone})
				expectNotAuthenticated(t, Request{Path: res.detail(probeID), Cred: CredNone})
			}},
		{Name: family + "/empty-key", Family: family,
			Description: `an empty x-api-key header: 401 {"detail":"Not authenticated"} with www-authenticate: APIKey, ` + lists,
			run: func(t *T) {
				res := pick(t)
				expectNotAuthenticated(t, Request{Path: res.list, Cred: CredEmpty})
				expectNotAuthenticated(t, Request{Path: res.detail(probeID), Cred: CredEmpty})
			}},
		{Name: family + "/unknown-key", Family: family,
			Description: `a key no FI has: 401 {"detail":"Invalid API key"}, ` + lists,
			run: func(t *T) {
				res := pick(t)
				expectInvalidKey(t, Request{Path: res.list, Cred: CredUnknown})
				expectInvalidKey(t, Request{Path: res.detail(probeID), Cred: CredUnknown})
			}},
		{Name: family + "/before-validation", Family: family,
			Description: "auth is decided before the query is validated: a missing, empty or unknown key with bad parameters gets 401, not 422",
			run: func(t *T) {
				res := pick(t)
				bad := badQuery(res)
				expectNotAuthenticated(t, Request{Path: res.list, Query: bad, Cred: CredNone, OffSpec: true})
				expectNotAuthenticated(t, Request{Path: res.list, Query: bad, Cred: CredEmpty, OffSpec: true})
				expectInvalidKey(t, Request{Path: res.list, Query: bad, Cred: CredUnknown, OffSpec: true})
			}},
	}
}

// badQuery is a query every list rejects: per_page out of range, a sort order and a start
// time that are not values at all.
func badQuery(res *resource) string {
	return "per_page=0&sort_order=x&" + res.startParam + "=nope"
}

// probeID is an id the suite asks for where any id will do.
const probeID = "contract-suite-probe"

func expectNotAuthenticated(t *T, r Request) {
	ex := t.Get(r)
	expectDetail(t, ex, http.StatusUnauthorized, "Not authenticated")
	if got := ex.Header.Get("www-authenticate"); got != "APIKey" {
		t.Errorf(ex, "www-authenticate is %q, want %q (FastAPI's APIKeyHeader challenge)", got, "APIKey")
	}
}

func expectInvalidKey(t *T, r Request) {
	ex := t.Get(r)
	expectDetail(t, ex, http.StatusUnauthorized, "Invalid API key")
}

// expectDetail checks an error answer: status and FastAPI's {"detail": msg}.
func expectDetail(t *T, ex *Exchange, status int, msg string) {
	if ex.Status != status {
		t.Errorf(ex, "status %d, want %d: %s", ex.Status, status, clip(string(ex.Body), 200))
		return
	}
	got, err := detailString(ex.Body)
	if err != nil {
		t.Errorf(ex, "%d body: %v", status, err)
		return
	}
	if got != msg {
		t.Errorf(ex, "%d detail %q, want %q", status, got, msg)
	}
}
