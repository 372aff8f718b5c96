package app_test

import (
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/mock/app"
)

// TestKeysSeeOnlyTheirOwnFI takes each demo FI's users and orders, at as_of and past the
// horizon (where every future record exists), and asks for them with the other FI's key: no
// id of one FI is in the other's full walk, each id answers 404 with the resource's detail,
// and filtering the other FI's lists by one of its user ids matches nothing.
func TestKeysSeeOnlyTheirOwnFI(t *testing.T) {
	t.Parallel()
	for _, at := range []time.Time{asOf, farInstant} {
		for i, owner := range demoFIs {
			other := demoFIs[1-i]
			t.Run(at.Format("2006-01-02")+"/"+owner.name+"-asked-with-"+other.key, func(t *testing.T) {
				t.Parallel()
				h := sharedApp(t, frozenAt(at)).Handler
				mine := sharedSnapshot(t, owner, at)
				theirs := sharedSnapshot(t, other, at)
				// The other FI's full walks, as the API gives them (checked against its dump).
				newest := url.Values{"sort_order": {"desc"}}
				walkAll(t, h, other.key, usersPath, newest, 100, reversed(userRaws(theirs.users)))
				walkAll(t, h, other.key, ordersPath, newest, 100, reversed(orderRaws(theirs.orders)))
				for _, u := range mine.users {
					_, seen := theirs.user[u.ID]
					assert.False(t, seen, "user %s of %s is in %s's walk", u.ID, owner.name, other.name)
					code, body := get(h, other.key, usersPath+url.PathEscape(u.ID)+"/")
					assert.Equal(t, http.StatusNotFound, code, "user %s with %s", u.ID, other.key)
					assert.Equal(t, `{"detail":"User not found"}`, string(body), "user %s with %s", u.ID, other.key)
				}
				for _, o := range mine.orders {
					_, seen := theirs.order[o.ID]
					assert.False(t, seen, "order %s of %s is in %s's walk", o.ID, owner.name, other.name)
					code, body := get(h, other.key, ordersPath+o.ID+"/")
					assert.Equal(t, http.StatusNotFound, code, "order %s with %s", o.ID, other.key)
					assert.Equal(t, `{"detail":"Order not found"}`, string(body), "order %s with %s", o.ID, other.key)
				}
				for _, u := range mine.users[:min(50, len(mine.users))] {
					q := url.Values{"user_account_id": {u.ID}}
					assert.Zero(t, list(t, h, other.key, usersPath, q).TotalRecords, "users of %s with %s", u.ID, other.key)
					assert.Zero(t, list(t, h, other.key, ordersPath, q).TotalRecords, "orders of %s with %s", u.ID, other.key)
				}
			})
		}
	}
}

// TestFIsSharingUserIDsStayApart serves two FIs whose user ids overlap (the same id format,
// different seeds and sizes): for every id both have, each key gets its own FI's user, and
// filtering orders by that id gets its own FI's orders of that user, exactly.
func TestFIsSharingUserIDsStayApart(t *testing.T) {
	t.Parallel()
	var cfg app.Config
	require.NoError(t, app.UseTenantsData(&cfg, "isolation.yaml", []byte(`tenants:
  - name: fi-a
    fi_name: FI A
    api_keys: [key-a]
    seed: 11
    users: 300
    as_of: "2025-10-01T00:00:00Z"
    id_format: "member-{n:06d}"
  - name: fi-b
    fi_name: FI B
    api_keys: [key-b]
    seed: 12
    users: 200
    as_of: "2025-10-01T00:00:00Z"
    id_format: "member-{n:06d}"
`), nil))
	a, err := app.New(cfg)
	require.NoError(t, err)
	fis := []fi{{"fi-a", "key-a"}, {"fi-b", "key-b"}}
	snaps := []*snapshot{loadSnapshot(t, a, fis[0], asOf), loadSnapshot(t, a, fis[1], asOf)}
	shared, differ := 0, 0
	for _, u := range snaps[1].users {
		ua, ok := snaps[0].user[u.ID]
		if !ok {
			continue
		}
		shared++
		if ua.raw != u.raw {
			differ++
		}
		for i, f := range fis {
			s := snaps[i]
			code, body := get(a.Handler, f.key, usersPath+url.PathEscape(u.ID)+"/")
			require.Equal(t, http.StatusOK, code, "%s with %s: %s", u.ID, f.key, body)
			assert.Equal(t, s.user[u.ID].raw, string(body), "%s with %s is %s's user", u.ID, f.key, f.name)
			var want []string
			for _, o := range s.orders {
				if o.User == u.ID {
					want = append(want, o.raw)
				}
			}
			slices.Reverse(want)
			checkPage(t, a.Handler, f.key, ordersPath, url.Values{"user_account_id": {u.ID}}, 100, 0, want)
		}
	}
	assert.Greater(t, shared, 100, "the FIs share user ids")
	assert.Greater(t, differ, shared/2, "the users behind shared ids differ")
}
