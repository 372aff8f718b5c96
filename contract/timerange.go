package contract

import (
	"encoding/json"
	"net/url"
	"time"
)

// timeRangeChecks are the time range checks of res's list.
func timeRangeChecks(pick func(*T) *resource, noun, field, family string) []Check {
	return []Check{
		{Name: family + "/boundaries", Family: family,
			Description: field + "_start is inclusive and " + field + "_end exclusive, checked at one " + noun + "'s exact " + field + " (found by bisection through the API)",
			run:         func(t *T) { timeRangeBoundaries(t, pick(t)) }},
		{Name: family + "/split", Family: family,
			Description: "[a,b) + [b,c) = [a,c): splitting a range at " + an(noun) + "'s exact " + field + " neither loses nor double-counts anyone (c is the run's fixed window end, so no new record changes the counts)",
			run:         func(t *T) { timeRangeSplit(t, pick(t)) }},
		{Name: family + "/zoneless-is-utc", Family: family,
			Description: "a datetime without a zone is UTC: the same instant written with Z, with +02:00 and with no zone selects the same " + noun + "s",
			run:         func(t *T) { timeRangeZoneless(t, pick(t)) }},
	}
}

// Instants that bracket any plausible created_at or placed_at.
var (
	rangeFloor   = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	rangeCeiling = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
)

const isoMicro = "2006-01-02T15:04:05.000000Z07:00"

// probeRecord is one record the time range checks look at, and how to ask whether a filter
// selects it: narrow is a filter that keeps it and few others (a user by id; an order by its
// user and a two-second range around the placed_at it shows), so one page shows the answer.
type probeRecord struct {
	id     string
	narrow url.Values
	// from and to bracket the record's time field before the bisection.
	from, to time.Time
	// at is the record's exact time field, once found.
	at time.Time
}

// probe returns a record of res from the middle of its window in ascending order, with its
// exact time field found by bisection. The result is memoized for the run.
func (t *T) probe(res *resource) probeRecord {
	if pr, ok := t.run.probes[res.name]; ok {
		return pr
	}
	scope := t.scope(res, q("sort_order", "asc"))
	if _, ok := res.param("sort_key"); ok {
		scope.Set("sort_key", res.timeField)
	}
	_, first := t.List(res, CredPrimary, with(scope, "per_page", "1"))
	total := first.TotalRecords
	if total == 0 {
		t.Skipf("no %s in the run's window", res.noun)
	}
	ex, p := t.List(res, CredPrimary, with(scope, "per_page", "1", "last_record_number", itoa(total/2)))
	if len(p.Items) != 1 {
		t.Fatalf(ex, "cannot pick a %s at cursor %d: %d items", res.noun, total/2, len(p.Items))
	}
	pr, err := res.probeFor(p.Items[0])
	if err != nil {
		t.Fatalf(ex, "%v", err)
	}
	pr.at = t.bisect(res, pr, time.Microsecond)
	t.run.probes[res.name] = pr
	t.Notef("%s %q: %s %s by bisection", res.noun, pr.id, res.timeField, micro(pr.at.UnixMicro()))
	return pr
}

// probeFor returns how to find raw, a record of res, through the list's filters.
func (r *resource) probeFor(raw json.RawMessage) (probeRecord, error) {
	id, err := r.id(raw)
	if err != nil {
		return probeRecord{}, err
	}
	if !r.timeShown {
		return probeRecord{id: id, narrow: q(r.idField, id), from: rangeFloor, to: rangeCeiling}, nil
	}
	// An order shows its placed_at to the second; the exact instant may have a fraction, and a
	// server may round rather than truncate: it lies within a second either side.
	var o struct {
		User string `json:"user_account_id"`
	}
	at, _, err := r.timeAndID(raw)
	if err != nil {
		return probeRecord{}, err
	}
	if err := json.Unmarshal(raw, &o); err != nil {
		return probeRecord{}, err
	}
	shown, err := time.Parse(time.RFC3339Nano, at)
	if err != nil {
		return probeRecord{}, err
	}
	from, to := shown.Add(-time.Second), shown.Add(time.Second)
	return probeRecord{id: id, from: from, to: to,
		narrow: q("user_account_id", o.User, r.startParam, micro(from.UnixMicro()), r.endParam, micro(to.UnixMicro()))}, nil
}

// bisect finds pr's exact time field, to step: the latest start parameter that still selects
// it. The start of the range must select it and the end must not.
func (t *T) bisect(res *resource, pr probeRecord, step time.Duration) time.Time {
	lo, hi := pr.from.UnixMicro(), pr.to.UnixMicro()
	if in, ex := t.selects(res, pr, res.startParam, micro(lo)); !in {
		t.Fatalf(ex, "%s=%s does not return %s %q", res.startParam, micro(lo), res.noun, pr.id)
	}
	if in, ex := t.selects(res, pr, res.startParam, micro(hi)); in {
		t.Fatalf(ex, "%s=%s still returns %s %q", res.startParam, micro(hi), res.noun, pr.id)
	}
	for hi-lo > step.Microseconds() {
		mid := lo + (hi-lo)/2
		if step >= time.Second {
			mid = mid / 1e6 * 1e6
			if mid <= lo {
				break
			}
		}
		if in, _ := t.selects(res, pr, res.startParam, micro(mid)); in {
			lo = mid
		} else {
			hi = mid
		}
	}
	return time.UnixMicro(lo).UTC()
}

func micro(us int64) string { return time.UnixMicro(us).UTC().Format(isoMicro) }

// selects reports whether res's list, narrowed to pr and with param=value, returns pr.
func (t *T) selects(res *resource, pr probeRecord, param, value string) (bool, *Exchange) {
	ex, p := t.List(res, CredPrimary, with(pr.narrow, param, value, "per_page", "100"))
	ids, err := res.ids(p)
	if err != nil {
		t.Fatalf(ex, "%v", err)
	}
	for _, id := range ids {
		if id == pr.id {
			return true, ex
		}
	}
	return false, ex
}

func timeRangeBoundaries(t *T, res *resource) {
	pr := t.probe(res)
	c := pr.at.UnixMicro()
	if in, ex := t.selects(res, pr, res.endParam, micro(c)); in {
		t.Errorf(ex, "%s=%s returns %s %q whose %s is exactly that instant: the end is inclusive, want exclusive", res.endParam, micro(c), res.noun, pr.id, res.timeField)
	}
	if in, ex := t.selects(res, pr, res.endParam, micro(c+1)); !in {
		t.Errorf(ex, "%s=%s (1µs after %s %q's %s %s, the latest %s that returns it) does not return it: the start is exclusive or the end drops records",
			res.endParam, micro(c+1), res.noun, pr.id, res.timeField, micro(c), res.startParam)
	}
	one := with(pr.narrow, res.startParam, micro(c), res.endParam, micro(c+1))
	ex, p := t.List(res, CredPrimary, with(one, "per_page", "100"))
	if ids, _ := res.ids(p); !contains(ids, pr.id) {
		t.Errorf(ex, "the 1µs range [%s, %s) does not return %s %q, whose %s is its start", micro(c), micro(c+1), res.noun, pr.id, res.timeField)
	}
}

func timeRangeSplit(t *T, res *resource) {
	pr := t.probe(res)
	end := t.window()
	if !pr.at.Before(end) {
		t.Skipf("%s %q is not before the window's end", res.noun, pr.id)
	}
	a, c := micro(rangeFloor.UnixMicro()), micro(end.UnixMicro())
	_, whole := t.List(res, CredPrimary, t.scope(res, q("per_page", "1")))
	for _, b := range []string{micro(pr.at.UnixMicro()), micro(pr.at.UnixMicro() + 1)} {
		exAB, ab := t.List(res, CredPrimary, q(res.startParam, a, res.endParam, b, "per_page", "1"))
		_, bc := t.List(res, CredPrimary, q(res.startParam, b, res.endParam, c, "per_page", "1"))
		_, ac := t.List(res, CredPrimary, q(res.startParam, a, res.endParam, c, "per_page", "1"))
		if ab.TotalRecords+bc.TotalRecords != ac.TotalRecords {
			t.Errorf(exAB, "[a,b) has %d %ss and [b,c) %d, but [a,c) has %d (b = %s, %s %q's %s or 1µs after): the boundary is counted %s",
				ab.TotalRecords, res.noun, bc.TotalRecords, ac.TotalRecords, b, res.noun, pr.id, res.timeField, twiceOrNever(ab.TotalRecords+bc.TotalRecords, ac.TotalRecords))
		}
		if ac.TotalRecords != whole.TotalRecords {
			t.Errorf(exAB, "[%s, %s) has %d %ss, the list with only %s=%s %d", a, c, ac.TotalRecords, res.noun, res.endParam, c, whole.TotalRecords)
		}
	}
}

func twiceOrNever(sum, whole int64) string {
	if sum > whole {
		return "twice (the end is inclusive or the start exclusive on one side)"
	}
	return "never"
}

func timeRangeZoneless(t *T, res *resource) {
	pr := t.probe(res)
	c := pr.at
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
			query := with(pr.narrow, res.startParam, v, "per_page", "100")
			ex := t.Get(Request{Path: res.list, Query: query.Encode(), Cred: CredPrimary, OffSpec: name == "no zone"})
			if ex.Status != 200 || ex.page == nil {
				t.Errorf(ex, "%s=%s (%s) answers %d: %s", res.startParam, v, name, ex.Status, clip(string(ex.Body), 200))
				continue
			}
			ids, _ := res.ids(ex.page)
			if got := contains(ids, pr.id); got != probe.want {
				what := "does not return"
				if got {
					what = "returns"
				}
				t.Errorf(ex, "%s=%s (%s) %s %s %q with %s %s: the instant is read in the wrong zone", res.startParam, v, name, what, res.noun, pr.id, res.timeField, micro(c.UnixMicro()))
			}
		}
	}
}

func contains(ids []string, id string) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}
