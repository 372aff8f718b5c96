package contract

import (
	"net/http"
	"net/url"
)

var authChecks = []Check{
	{Name: "auth/missing-key", Family: "auth",
		Description: `no x-api-key header: 401 {"detail":"Not authenticated"} with www-authenticate: APIKey, on the list and the detail`,
		run: func(t *T) {
			expectNotAuthenticated(t, Request{Path: "/users/", Cred: CredNone})
			expectNotAuthenticated(t, Request{Path: "/users/" + url.PathEscape(probeID) + "/", Cred: CredNone})
		}},
	{Name: "auth/empty-key", Family: "auth",
		Description: `an empty x-api-key header: 401 {"detail":"Not authenticated"} with www-authenticate: APIKey`,
		run: func(t *T) {
			expectNotAuthenticated(t, Request{Path: "/users/", Cred: CredEmpty})
		}},
	{Name: "auth/unknown-key", Family: "auth",
		Description: `a key no FI has: 401 {"detail":"Invalid API key"}, on the list and the detail`,
		run: func(t *T) {
			expectInvalidKey(t, Request{Path: "/users/", Cred: CredUnknown})
			expectInvalidKey(t, Request{Path: "/users/" + url.PathEscape(probeID) + "/", Cred: CredUnknown})
		}},
	{Name: "auth/before-validation", Family: "auth",
		Description: "auth is decided before the query is validated: a missing, empty or unknown key with bad parameters gets 401, not 422",
		run: func(t *T) {
			bad := "per_page=0&sort_order=x&created_at_start=nope"
			expectNotAuthenticated(t, Request{Path: "/users/", Query: bad, Cred: CredNone, OffSpec: true})
			expectNotAuthenticated(t, Request{Path: "/users/", Query: bad, Cred: CredEmpty, OffSpec: true})
			expectInvalidKey(t, Request{Path: "/users/", Query: bad, Cred: CredUnknown, OffSpec: true})
		}},
}

// probeID is a user id the suite asks for where any id will do.
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
