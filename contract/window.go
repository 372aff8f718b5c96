package contract

import (
	"encoding/json"
	"net/url"
	"time"
)

// windowMargin is how far before the newest instant the server showed the run's window ends:
// room for a server whose records become visible a little after their time field says.
const windowMargin = time.Hour

// window returns the instant that bounds, for the whole run, every walk and every comparison
// of two answers: only records whose time field (created_at, placed_at) is before it are
// compared. New records appear with a time field at or before the server's now, and the window
// ends before the newest instant the server showed at the start of the run (minus a margin),
// so no record can enter it while the suite runs, against a frozen mock, a mock whose clock
// runs a day per second, or staging. The instant is found once per run from the answers: the
// latest of the newest order's placed_at or completed_at and the newest users' accounts'
// kyc_approved_at, or, when the FI shows none of those, the newest user's created_at found by
// bisection.
func (t *T) window() time.Time {
	r := t.run
	if r.win != nil {
		return *r.win
	}
	var newest time.Time
	seen := func(raw json.RawMessage) {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return
		}
		if at, err := time.Parse(time.RFC3339Nano, s); err == nil && at.After(newest) {
			newest = at
		}
	}
	if res := r.orders; res != nil {
		// A server without the orders the document declares still gets its users checked:
		// the orders checks say what is wrong with its orders.
		ex := t.Get(Request{Path: res.list, Query: q("per_page", "1", "sort_order", "desc").Encode(), Cred: CredPrimary})
		var items []json.RawMessage
		if ex.page != nil {
			items = ex.page.Items
		}
		for _, raw := range items {
			var o map[string]json.RawMessage
			if json.Unmarshal(raw, &o) == nil {
				seen(o["placed_at"])
				seen(o["completed_at"])
			}
		}
	}
	// The newest users' decisions too: an FI whose last order is old may have newer users.
	// Like the orders' answer, one that is not a page is left to the checks to name.
	if ex := t.Get(Request{Path: r.users.list, Query: q("per_page", "100").Encode(), Cred: CredPrimary}); ex.page != nil {
		for _, raw := range ex.page.Items {
			if u, err := decodeUser(raw); err == nil {
				for _, a := range u.Accounts {
					if a.KycApprovedAt != nil {
						seen(*a.KycApprovedAt)
					}
				}
			}
		}
	}
	if newest.IsZero() {
		if id, ok := t.newestUser(); ok {
			pr := probeRecord{id: id, narrow: q(r.users.idField, id), from: rangeFloor, to: rangeCeiling}
			newest = t.bisect(r.users, pr, time.Second)
		}
	}
	end := rangeCeiling
	how := "the FI shows no records: nothing to bound"
	if !newest.IsZero() {
		end = newest.Add(-windowMargin).Truncate(time.Second)
		how = "an hour before the newest instant the server showed at the start of the run (" + newest.UTC().Format(time.RFC3339) + ")"
	}
	r.win = &end
	r.winNote = "records whose created_at / placed_at is before " + end.UTC().Format(time.RFC3339) + ", " + how
	return end
}

// scope returns q limited to the run's window: res's end parameter is set to the window's end
// unless q sets it already.
func (t *T) scope(res *resource, qv url.Values) url.Values {
	if qv.Has(res.endParam) {
		return qv
	}
	return with(qv, res.endParam, t.window().UTC().Format(time.RFC3339))
}

// newestUser returns the id of the user the list shows first by default (the newest).
func (t *T) newestUser() (string, bool) {
	_, p := t.List(t.run.users, CredPrimary, q("per_page", "1", "sort_order", "desc"))
	ids, err := t.run.users.ids(p)
	if err != nil || len(ids) == 0 {
		return "", false
	}
	return ids[0], true
}
