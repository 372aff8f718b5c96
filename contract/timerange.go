package contract

import (
	"net/url"
	"time"
)

var timeRangeChecks = []Check{
	{Name: "timerange/boundaries", Family: "timerange",
		Description: "created_at_start is inclusive and created_at_end exclusive, checked at one user's exact created_at (found by bisection through the API)",
		run:         timeRangeBoundaries},
	{Name: "timerange/split", Family: "timerange",
		Description: "[a,b) + [b,c) = [a,c): splitting a range at a user's exact created_at neither loses nor double-counts anyone",
		run:         timeRangeSplit},
	{Name: "timerange/zoneless-is-utc", Family: "timerange",
		Description: "a datetime without a zone is UTC: the same instant written with Z, with +02:00 and with no zone selects the same users",
		run:         timeRangeZoneless},
}

// Instants that bracket any plausible created_at.
var (
	rangeFloor   = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	rangeCeiling = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
)

const isoMicro = "2006-01-02T15:04:05.000000Z07:00"

// probeUser is a user and their created_at, as far as the API lets it be found.
type probeUser struct {
	id        string
	createdAt time.Time
}

// findCreatedAt picks a user from the middle of the created_at order and finds their exact
// created_at by bisection: the latest created_at_start that still returns them. The result is
// memoized for the run.
func findCreatedAt(t *T) probeUser {
	if t.run.probe != nil {
		return *t.run.probe
	}
	total := t.run.population
	if total == 0 {
		t.Skipf("the FI has no users")
	}
	ex, p := t.List(t.run.users, CredPrimary, q("sort_key", "created_at", "sort_order", "asc", "per_page", "1", "last_record_number", itoa(total/2)))
	ids, err := p.ids()
	if err != nil || len(ids) != 1 {
		t.Fatalf(ex, "cannot pick a user at cursor %d: %d items", total/2, len(p.Items))
	}
	id := ids[0]
	lo, hi := rangeFloor.UnixMicro(), rangeCeiling.UnixMicro()
	if in, ex := selects(t, id, "created_at_start", micro(lo)); !in {
		t.Fatalf(ex, "created_at_start=%s does not return user %q", micro(lo), id)
	}
	if in, ex := selects(t, id, "created_at_start", micro(hi)); in {
		t.Fatalf(ex, "created_at_start=%s still returns user %q", micro(hi), id)
	}
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		if in, _ := selects(t, id, "created_at_start", micro(mid)); in {
			lo = mid
		} else {
			hi = mid
		}
	}
	t.run.probe = &probeUser{id: id, createdAt: time.UnixMicro(lo).UTC()}
	t.Notef("user %q: created_at %s by bisection", id, micro(lo))
	return *t.run.probe
}

func micro(us int64) string { return time.UnixMicro(us).UTC().Format(isoMicro) }

// selects reports whether the list filtered to user id and param=value returns that user.
func selects(t *T, id, param, value string) (bool, *Exchange) {
	ex, p := t.List(t.run.users, CredPrimary, q("user_account_id", id, param, value, "per_page", "1"))
	return p.TotalRecords == 1 && len(p.Items) == 1, ex
}

func timeRangeBoundaries(t *T) {
	u := findCreatedAt(t)
	c := u.createdAt.UnixMicro()
	if in, ex := selects(t, u.id, "created_at_end", micro(c)); in {
		t.Errorf(ex, "created_at_end=%s returns user %q whose created_at is exactly that instant: the end is inclusive, want exclusive", micro(c), u.id)
	}
	if in, ex := selects(t, u.id, "created_at_end", micro(c+1)); !in {
		t.Errorf(ex, "created_at_end=%s (1µs after user %q's created_at %s, the latest created_at_start that returns them) does not return them: the start is exclusive or the end drops users", micro(c+1), u.id, micro(c))
	}
	ex, in := t.List(t.run.users, CredPrimary, q("user_account_id", u.id, "created_at_start", micro(c), "created_at_end", micro(c+1)))
	if in.TotalRecords != 1 {
		t.Errorf(ex, "the 1µs range [%s, %s) does not return user %q created at its start", micro(c), micro(c+1), u.id)
	}
}

func timeRangeSplit(t *T) {
	u := findCreatedAt(t)
	a, c := micro(rangeFloor.UnixMicro()), micro(rangeCeiling.UnixMicro())
	for _, b := range []string{micro(u.createdAt.UnixMicro()), micro(u.createdAt.UnixMicro() + 1)} {
		exAB, ab := t.List(t.run.users, CredPrimary, q("created_at_start", a, "created_at_end", b, "per_page", "1"))
		_, bc := t.List(t.run.users, CredPrimary, q("created_at_start", b, "created_at_end", c, "per_page", "1"))
		_, ac := t.List(t.run.users, CredPrimary, q("created_at_start", a, "created_at_end", c, "per_page", "1"))
		if ab.TotalRecords+bc.TotalRecords != ac.TotalRecords {
			t.Errorf(exAB, "[a,b) has %d users and [b,c) %d, but [a,c) has %d (b = %s, user %q's created_at or 1µs after): the boundary is counted %s",
				ab.TotalRecords, bc.TotalRecords, ac.TotalRecords, b, u.id, twiceOrNever(ab.TotalRecords+bc.TotalRecords, ac.TotalRecords))
		}
		if ac.TotalRecords != t.run.population {
			t.Errorf(exAB, "[%s, %s) has %d users, the unfiltered list %d", a, c, ac.TotalRecords, t.run.population)
		}
	}
}

func twiceOrNever(sum, whole int64) string {
	if sum > whole {
		return "twice (the end is inclusive or the start exclusive on one side)"
	}
	return "never"
}

func timeRangeZoneless(t *T) {
	u := findCreatedAt(t)
	c := u.createdAt
	forms := func(at time.Time) map[string]string {
		return map[string]string{
			"Z":       at.Format("2006-01-02T15:04:05.000000Z"),
			"+02:00":  at.In(time.FixedZone("", 2*3600)).Format("2006-01-02T15:04:05.000000-07:00"),
			"no zone": at.Format("2006-01-02T15:04:05.000000"),
		}
	}
	for _, probe := range []struct {
		at   time.Time
		want bool
	}{{c, true}, {c.Add(time.Microsecond), false}} {
		for _, name := range []string{"Z", "+02:00", "no zone"} {
			v := forms(probe.at)[name]
			ex := t.Get(Request{Path: "/users/", Query: url.Values{"user_account_id": {u.id}, "created_at_start": {v}, "per_page": {"1"}}.Encode(), Cred: CredPrimary, OffSpec: name == "no zone"})
			p, err := decodeList(ex.Body)
			if ex.Status != 200 || err != nil {
				t.Errorf(ex, "created_at_start=%s (%s) answers %d: %s", v, name, ex.Status, clip(string(ex.Body), 200))
				continue
			}
			if got := p.TotalRecords == 1; got != probe.want {
				what := "does not return"
				if got {
					what = "returns"
				}
				t.Errorf(ex, "created_at_start=%s (%s) %s user %q created at %s: the instant is read in the wrong zone", v, name, what, u.id, micro(c.UnixMicro()))
			}
		}
	}
}
