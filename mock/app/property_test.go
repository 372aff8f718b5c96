package app_test

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/mock/app"
)

// instants are the mock times the properties are checked at: before as_of, at as_of (the
// default clock), inside the horizon and past it (as_of + 365 days).
var instants = []struct {
	name string
	at   time.Time
}{
	{"before-as-of", time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)},
	{"as-of", asOf},
	{"horizon-plus-40d", asOf.AddDate(0, 0, 40)},
	{"past-horizon-plus-2y", asOf.AddDate(2, 0, 0)},
}

// farInstant is the last of instants: past the horizon, where every record that ever exists
// does.
var farInstant = instants[len(instants)-1].at

// userFilters are the user list's filters, in spec order; a case's mask picks some of them.
var userFilters = []string{"user_account_id", "product", "crypto_kyc_status", "securities_kyc_status",
	"roth_ira_kyc_status", "robo_kyc_status", "created_at_start", "created_at_end"}

// orderFilters are the order list's filters, in spec order.
var orderFilters = []string{"user_account_id", "product", "side", "status", "placed_at_start", "placed_at_end"}

// listCase is one request of a list with the oracle's answer to it.
type listCase struct {
	q url.Values
	// want is every match, in the order the request asks for.
	want []string
}

// instantParam renders at as a datetime query value in a form drawn from r (RFC 3339 in UTC or
// another zone, no zone, a date, Unix seconds or milliseconds) and returns the instant the value
// denotes: a date or a Unix timestamp drops what it cannot say.
func instantParam(r *rand.Rand, at time.Time) (string, time.Time) {
	at = at.UTC()
	switch r.IntN(6) {
	case 0:
		return at.Format("2006-01-02T15:04:05.999999Z"), at
	case 1:
		return at.In(time.FixedZone("", 5*3600+30*60)).Format("2006-01-02T15:04:05.999999-07:00"), at
	case 2:
		return at.Format("2006-01-02 15:04:05.999999"), at
	case 3:
		d := time.Date(at.Year(), at.Month(), at.Day(), 0, 0, 0, 0, time.UTC)
		return d.Format("2006-01-02"), d
	case 4:
		return strconv.FormatInt(at.Unix(), 10), time.Unix(at.Unix(), 0).UTC()
	default:
		return strconv.FormatInt(at.UnixMilli(), 10), time.UnixMilli(at.UnixMilli()).UTC()
	}
}

// boundNear returns an instant for a range filter: mostly an existing record's instant
// (exactly, so inclusive and exclusive bounds are tested, or a second either side), sometimes
// any instant of the data's span.
func boundNear(r *rand.Rand, anchor, other, now time.Time) time.Time {
	switch r.IntN(6) {
	case 0, 1:
		return anchor
	case 2:
		return other
	case 3:
		return anchor.Add(time.Duration(r.IntN(3)-1) * time.Second)
	default:
		span := now.Sub(now.AddDate(-6, 0, 0))
		return now.AddDate(-6, 0, 0).Add(time.Duration(r.Int64N(int64(span + 60*24*time.Hour))))
	}
}

// sortParams draws sort_order (and, for users, sort_key) or leaves them out for the
// defaults, and reports whether the order is descending.
func sortParams(r *rand.Rand, q url.Values, sortKeys []string) (sortKey string, desc bool) {
	sortKey = "created_at"
	if sortKeys != nil && r.IntN(3) > 0 {
		sortKey = sortKeys[r.IntN(len(sortKeys))]
		q.Set("sort_key", sortKey)
	}
	switch r.IntN(3) {
	case 0:
		q.Set("sort_order", "asc")
		return sortKey, false
	case 1:
		q.Set("sort_order", "desc")
	}
	return sortKey, true
}

// userFilter is a user list request as the oracle reads it.
type userFilter struct {
	id               *string
	product          string
	kyc              map[string]string
	hasStart, hasEnd bool
	start, end       time.Time
	sortKey          string
	desc             bool
}

// kycReader tells a user's KYC state for a product, and whether the user has that account.
type kycReader interface {
	kycStatus(product string) (string, bool)
}

// kycStatus reads the user's account for product p.
func (u *userRec) kycStatus(p string) (string, bool) {
	a, ok := u.account(p)
	return a.Status, ok
}

// matches reports whether the user with id, created and accounts passes every filter.
func (f *userFilter) matches(id string, created time.Time, accounts kycReader) bool {
	if f.id != nil && id != *f.id {
		return false
	}
	if f.product != "" {
		if _, ok := accounts.kycStatus(f.product); !ok {
			return false
		}
	}
	for p, want := range f.kyc {
		if got, ok := accounts.kycStatus(p); !ok || got != want {
			return false
		}
	}
	return !(f.hasStart && created.Before(f.start)) && !(f.hasEnd && !created.Before(f.end))
}

// drawUserFilter draws values for the user filters mask selects (bit i: userFilters[i]) and
// the sort parameters, and returns the filter with its query. Values come mostly from anchor,
// an existing user, so that combinations match something, and sometimes from other users or
// from nowhere, so that they match little or nothing.
func drawUserFilter(r *rand.Rand, mask int, anchor, other *userRec, now time.Time) (*userFilter, url.Values) {
	q := url.Values{}
	f := &userFilter{kyc: map[string]string{}}
	for i, name := range userFilters {
		if mask&(1<<i) == 0 {
			continue
		}
		switch name {
		case "user_account_id":
			v := []string{anchor.ID, anchor.ID, anchor.ID, other.ID, "no-such-user", ""}[r.IntN(6)]
			f.id = &v
			q.Set(name, v)
		case "product":
			f.product = products[r.IntN(len(products))]
			if r.IntN(4) > 0 {
				f.product = anchor.Accounts[r.IntN(len(anchor.Accounts))].Product
			}
			q.Set(name, f.product)
		case "created_at_start":
			v, at := instantParam(r, boundNear(r, anchor.CreatedAt, other.CreatedAt, now))
			q.Set(name, v)
			f.hasStart, f.start = true, at
		case "created_at_end":
			v, at := instantParam(r, boundNear(r, anchor.CreatedAt, other.CreatedAt, now))
			q.Set(name, v)
			f.hasEnd, f.end = true, at
		default:
			p := strings.TrimSuffix(name, "_kyc_status")
			v := kycStatuses[r.IntN(len(kycStatuses))]
			if a, ok := anchor.account(p); ok && r.IntN(4) > 0 {
				v = a.Status
			}
			f.kyc[p] = v
			q.Set(name, v)
		}
	}
	f.sortKey, f.desc = sortParams(r, q, []string{"created_at", "user_account_id"})
	return f, q
}

// userCase draws a user list request for mask and returns it with the oracle's answer.
func userCase(r *rand.Rand, s *snapshot, mask int) listCase {
	f, q := drawUserFilter(r, mask, s.users[r.IntN(len(s.users))], s.users[r.IntN(len(s.users))], s.at)
	var matches []*userRec
	for _, u := range s.users {
		if f.matches(u.ID, u.CreatedAt, u) {
			matches = append(matches, u)
		}
	}
	slices.SortFunc(matches, userOrder(f.sortKey))
	want := userRaws(matches)
	if f.desc {
		slices.Reverse(want)
	}
	return listCase{q: q, want: want}
}

// orderFilter is an order list request as the oracle reads it.
type orderFilter struct {
	user                  *string
	product, side, status string
	hasStart, hasEnd      bool
	start, end            time.Time
	desc                  bool
}

// matches reports whether an order with these fields passes every filter.
func (f *orderFilter) matches(user, product, side, status string, placed time.Time) bool {
	return !(f.user != nil && user != *f.user) && !(f.product != "" && product != f.product) &&
		!(f.side != "" && side != f.side) && !(f.status != "" && status != f.status) &&
		!(f.hasStart && placed.Before(f.start)) && !(f.hasEnd && !placed.Before(f.end))
}

// drawOrderFilter draws values for the order filters mask selects (bit i: orderFilters[i])
// and sort_order, mostly from anchor, an existing order, and returns the filter with its
// query. someUser is a user who may have no orders.
func drawOrderFilter(r *rand.Rand, mask int, anchor, other *orderRec, someUser string, now time.Time) (*orderFilter, url.Values) {
	q := url.Values{}
	f := &orderFilter{}
	pick := func(anchorValue string, values []string) string {
		if r.IntN(4) > 0 {
			return anchorValue
		}
		return values[r.IntN(len(values))]
	}
	for i, name := range orderFilters {
		if mask&(1<<i) == 0 {
			continue
		}
		switch name {
		case "user_account_id":
			v := []string{anchor.User, anchor.User, anchor.User, someUser, "no-such-user", ""}[r.IntN(6)]
			f.user = &v
			q.Set(name, v)
		case "product":
			f.product = pick(anchor.Product, products)
			q.Set(name, f.product)
		case "side":
			f.side = pick(anchor.Side, orderSides)
			q.Set(name, f.side)
		case "status":
			f.status = pick(anchor.Status, orderStatuses)
			q.Set(name, f.status)
		case "placed_at_start":
			v, at := instantParam(r, boundNear(r, anchor.PlacedAt, other.PlacedAt, now))
			q.Set(name, v)
			f.hasStart, f.start = true, at
		case "placed_at_end":
			v, at := instantParam(r, boundNear(r, anchor.PlacedAt, other.PlacedAt, now))
			q.Set(name, v)
			f.hasEnd, f.end = true, at
		}
	}
	_, f.desc = sortParams(r, q, nil)
	if r.IntN(4) == 0 {
		q.Set("sort_key", "user_account_id") // not an order parameter: ignored
	}
	return f, q
}

// orderCase draws an order list request for mask and returns it with the oracle's answer.
func orderCase(r *rand.Rand, s *snapshot, mask int) listCase {
	f, q := drawOrderFilter(r, mask, s.orders[r.IntN(len(s.orders))], s.orders[r.IntN(len(s.orders))],
		s.users[r.IntN(len(s.users))].ID, s.at)
	var want []string
	for _, o := range s.orders {
		if f.matches(o.User, o.Product, o.Side, o.Status, o.PlacedAt) {
			want = append(want, o.raw)
		}
	}
	if f.desc {
		slices.Reverse(want)
	}
	return listCase{q: q, want: want}
}

// walkSizes are the page sizes walks use.
var walkSizes = []int{1, 7, 25, 100}

// checkCase checks one request against the oracle's answer, the way a client reads it: the
// first page at the default page size; a walk at 100 in the requested order; a walk in the
// other order at perPage, which must give exactly the reverse; a page at a random cursor and
// size; and a page past the end.
func checkCase(t *testing.T, r *rand.Rand, h http.Handler, key, path string, c listCase, perPage int) {
	t.Helper()
	checkPage(t, h, key, path, c.q, 0, 0, c.want)
	walkAll(t, h, key, path, c.q, 100, c.want)
	other := withPage(c.q, 0, 0)
	other.Del("last_record_number")
	if other.Get("sort_order") == "asc" {
		other.Set("sort_order", "desc")
	} else {
		other.Set("sort_order", "asc")
	}
	walkAll(t, h, key, path, other, perPage, reversed(c.want))
	checkPage(t, h, key, path, c.q, 1+r.IntN(100), r.IntN(len(c.want)+3), c.want)
	checkPage(t, h, key, path, c.q, 1+r.IntN(100), len(c.want)+1+r.IntN(1000), c.want)
}

// walkSize returns the page size of the i-th case's second walk: 1, 7 or 25 in turn, moved
// up while that would take more than 40 pages.
func walkSize(i, matches int) int {
	k := i % 3
	for k < len(walkSizes)-1 && matches > 40*walkSizes[k] {
		k++
	}
	return walkSizes[k]
}

// TestPropertiesAtSeveralInstants checks the API against the oracle on both demo FIs at each of
// instants. The snapshot is the API's own full listing (loadSnapshot checks it against the
// dumps), so the rules are checked on what the API serves: every rule of BEHAVIOUR.md for the
// user and order objects and between them. Then: walks of the whole lists at per_page 1, 7, 25
// and 100; every user and order by id, and unknown ids; and, for every combination of the
// filters (every subset, with values drawn with a fixed seed, the sort parameters drawn or left
// to their defaults), the first page at the default size, walks in both orders (one the exact
// reverse of the other), a page at a random cursor and size and one past the end, each page's
// items, total_records, per_page and last_record_number exact. At instants other than as_of,
// 64 random subsets of the user filters stand for the 256.
func TestPropertiesAtSeveralInstants(t *testing.T) {
	t.Parallel()
	for i, in := range instants {
		for j, f := range demoFIs {
			t.Run(in.name+"/"+f.name, func(t *testing.T) {
				t.Parallel()
				a := sharedApp(t, frozenAt(in.at))
				s := sharedSnapshot(t, f, in.at)
				require.NotEmpty(t, s.users)
				require.NotEmpty(t, s.orders)
				r := rand.New(rand.NewPCG(uint64(i), uint64(j)))

				t.Run("rules", func(t *testing.T) {
					for _, u := range s.users {
						checkUserRules(t, s, u)
					}
					for _, o := range s.orders {
						checkOrderRules(t, s, o)
					}
					checkCrossRules(t, s)
				})
				t.Run("walks", func(t *testing.T) {
					for _, perPage := range walkSizes {
						walkAll(t, a.Handler, f.key, usersPath, url.Values{}, perPage, reversed(userRaws(s.users)))
						walkAll(t, a.Handler, f.key, ordersPath, url.Values{"sort_order": {"asc"}}, perPage, orderRaws(s.orders))
					}
				})
				t.Run("details", func(t *testing.T) {
					checkDetails(t, r, a.Handler, s, sharedSnapshot(t, f, farInstant))
				})
				t.Run("users", func(t *testing.T) {
					masks := make([]int, 1<<len(userFilters))
					for m := range masks {
						masks[m] = m
					}
					if !in.at.Equal(asOf) {
						masks = masks[:64]
						for m := range masks {
							masks[m] = r.IntN(1 << len(userFilters))
						}
					}
					for k, m := range masks {
						c := userCase(r, s, m)
						t.Run(fmt.Sprintf("%d/%s", k, c.q.Encode()), func(t *testing.T) {
							checkCase(t, r, a.Handler, f.key, usersPath, c, walkSize(k, len(c.want)))
						})
					}
				})
				t.Run("orders", func(t *testing.T) {
					for m := range 1 << len(orderFilters) {
						c := orderCase(r, s, m)
						t.Run(fmt.Sprintf("%d/%s", m, c.q.Encode()), func(t *testing.T) {
							checkCase(t, r, a.Handler, f.key, ordersPath, c, walkSize(m, len(c.want)))
						})
					}
				})
			})
		}
	}
}

// checkDetails asserts that every user and order of s, by id, is its list object byte for
// byte, and that unknown ids answer 404 with the resource's detail: made-up ids, ids differing
// only in case or by a trailing space, and the ids of records that exist only later (from far,
// a later snapshot of the same FI).
func checkDetails(t *testing.T, r *rand.Rand, h http.Handler, s, far *snapshot) {
	t.Helper()
	for _, u := range s.users {
		code, body := get(h, s.fi.key, usersPath+url.PathEscape(u.ID)+"/")
		require.Equal(t, http.StatusOK, code, "user %s: %s", u.ID, body)
		assert.Equal(t, u.raw, string(body), "the detail of user %s is its list object", u.ID)
	}
	for _, o := range s.orders {
		code, body := get(h, s.fi.key, ordersPath+url.PathEscape(o.ID)+"/")
		require.Equal(t, http.StatusOK, code, "order %s: %s", o.ID, body)
		assert.Equal(t, o.raw, string(body), "the detail of order %s is its list object", o.ID)
	}
	someUser := s.users[r.IntN(len(s.users))].ID
	unknownUsers := []string{"no-such-user", "member-999999", "CIF999999999", someUser + " ", " " + someUser}
	if up := strings.ToUpper(someUser); up != someUser {
		unknownUsers = append(unknownUsers, up)
	}
	someOrder := s.orders[r.IntN(len(s.orders))].ID
	unknownOrders := []string{randomUUID(r), strings.ToUpper(someOrder), someOrder + " ", "no-such-order"}
	for _, u := range far.users {
		if _, ok := s.user[u.ID]; !ok && len(unknownUsers) < 25 {
			unknownUsers = append(unknownUsers, u.ID)
		}
	}
	for _, o := range far.orders {
		if _, ok := s.order[o.ID]; !ok && len(unknownOrders) < 25 {
			unknownOrders = append(unknownOrders, o.ID)
		}
	}
	for _, id := range unknownUsers {
		code, body := get(h, s.fi.key, usersPath+url.PathEscape(id)+"/")
		assert.Equal(t, http.StatusNotFound, code, "user %q", id)
		assert.Equal(t, `{"detail":"User not found"}`, string(body), "user %q", id)
	}
	for _, id := range unknownOrders {
		code, body := get(h, s.fi.key, ordersPath+url.PathEscape(id)+"/")
		assert.Equal(t, http.StatusNotFound, code, "order %q", id)
		assert.Equal(t, `{"detail":"Order not found"}`, string(body), "order %q", id)
	}
}

// randomUUID returns a lowercase version 4 UUID drawn from r.
func randomUUID(r *rand.Rand) string {
	var b [16]byte
	for i := range b {
		b[i] = byte(r.IntN(256))
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// TestSeparateAppsAtTheSameInstantGiveIdenticalBytes builds a second app for each of instants
// (at as_of, frozen there explicitly rather than by default) and demands the same status and
// bytes as the shared one for a spread of requests on both FIs: lists with and without
// filters, details, unknown ids and invalid parameters.
func TestSeparateAppsAtTheSameInstantGiveIdenticalBytes(t *testing.T) {
	t.Parallel()
	for i, in := range instants {
		t.Run(in.name, func(t *testing.T) {
			t.Parallel()
			a1 := sharedApp(t, frozenAt(in.at))
			a2, err := app.New(app.Config{Clock: app.Clock{Now: in.at}})
			require.NoError(t, err)
			r := rand.New(rand.NewPCG(uint64(i), 99))
			for _, f := range demoFIs {
				s := sharedSnapshot(t, f, in.at)
				targets := []string{usersPath, ordersPath, usersPath + "?sort_order=asc&per_page=100",
					ordersPath + "?sort_order=asc&per_page=100", usersPath + "?sort_key=user_account_id&per_page=100&last_record_number=50",
					usersPath + "?per_page=0&product=x", ordersPath + "?status=open&placed_at_start=yesterday",
					usersPath + "no-such-user/", ordersPath + randomUUID(r) + "/"}
				for range 12 {
					targets = append(targets,
						usersPath+"?"+userCase(r, s, r.IntN(1<<len(userFilters))).q.Encode(),
						ordersPath+"?"+orderCase(r, s, r.IntN(1<<len(orderFilters))).q.Encode(),
						usersPath+url.PathEscape(s.users[r.IntN(len(s.users))].ID)+"/",
						ordersPath+s.orders[r.IntN(len(s.orders))].ID+"/")
				}
				for _, target := range targets {
					c1, b1 := get(a1.Handler, f.key, target)
					c2, b2 := get(a2.Handler, f.key, target)
					assert.Equal(t, c1, c2, "%s %s", f.key, target)
					assert.Equal(t, string(b1), string(b2), "%s %s", f.key, target)
				}
			}
		})
	}
}
