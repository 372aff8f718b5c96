package app_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/mock/app"
	"github.com/cryptofi/partner-mock/mock/internal/tenant"
)

// The large tenant's population is read from its dumps into compact records: a million users
// and a few million orders would not fit the small tests' decoded objects in reasonable time.

// largeUser is one user of the large tenant.
type largeUser struct {
	id      string
	created time.Time
	// status holds, by product (in products' order), 1 + the index of the account's KYC state
	// in kycStatuses, or 0 without an account; approved holds kyc_approved_at in Unix seconds
	// when the account is approved.
	status   [4]uint8
	approved [4]int64
}

// kycStatus reads the user's account for product p.
func (u *largeUser) kycStatus(p string) (string, bool) {
	s := u.status[slices.Index(products, p)]
	if s == 0 {
		return "", false
	}
	return kycStatuses[s-1], true
}

// largeOrder is one order of the large tenant.
type largeOrder struct {
	id string
	// userID is the user's id, shared with its largeUser.
	userID string
	placed time.Time
	// product, side and status index products, orderSides and orderStatuses.
	product, side, status uint8
}

// largePopulation is the large tenant's population at its app's time.
type largePopulation struct {
	at     time.Time
	users  []largeUser
	orders []largeOrder
	user   map[string]int32
}

// jsonField returns the value of key in the flat JSON text obj: a string's contents, or a
// literal up to the next comma or brace. It looks for the first occurrence of "key":.
func jsonField(obj []byte, key string) (string, bool) {
	i := bytes.Index(obj, []byte(`"`+key+`":`))
	if i < 0 {
		return "", false
	}
	v := obj[i+len(key)+3:]
	if len(v) > 0 && v[0] == '"' {
		end := bytes.IndexByte(v[1:], '"')
		if end < 0 {
			return "", false
		}
		return string(v[1 : 1+end]), true
	}
	end := bytes.IndexAny(v, ",}")
	if end < 0 {
		return "", false
	}
	return string(v[:end]), true
}

// enumIndex returns the index of s in values.
func enumIndex(values []string, s string) (uint8, bool) {
	i := slices.Index(values, s)
	return uint8(i), i >= 0
}

// streamDump writes one resource's ndjson dump of tenant through a pipe and calls line for
// each line, as the dump is written.
func streamDump(t *testing.T, a *app.App, tenant, resource string, line func([]byte) error) {
	t.Helper()
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(a.Dump(pw, tenant, resource, "ndjson")) }()
	sc := bufio.NewScanner(pr)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		if err := line(sc.Bytes()); err != nil {
			pr.CloseWithError(err)
			require.NoError(t, err)
		}
	}
	require.NoError(t, sc.Err())
}

// loadLargePopulation reads the tenant's users and orders from its dumps, and checks as it goes
// the rules that need the whole population: ids are unique, every user and order exists at the
// app's time, and every order belongs to a user of the tenant with an approved account for its
// product, approved no later than placed_at. A broken format stops the test; orders that break
// the last rule are reported and kept, so the other checks still run.
func loadLargePopulation(t *testing.T, a *app.App, tenantName, key string, at time.Time) *largePopulation {
	t.Helper()
	// The totals come first, so that the population's slices are allocated once.
	nUsers := list(t, a.Handler, key, usersPath, url.Values{"per_page": {"1"}}).TotalRecords
	nOrders := list(t, a.Handler, key, ordersPath, url.Values{"per_page": {"1"}}).TotalRecords
	p := &largePopulation{at: at, user: make(map[string]int32, nUsers),
		users: make([]largeUser, 0, nUsers), orders: make([]largeOrder, 0, nOrders)}
	var broken []string
	streamDump(t, a, tenantName, "users", func(line []byte) error {
		obj, created, err := splitUserDumpLine(line)
		if err != nil {
			return err
		}
		id, ok := jsonField(obj, "user_account_id")
		if !ok || created.After(at) {
			return fmt.Errorf("user %q created %s, after %s, or without id: %s", id, created, at, line)
		}
		u := largeUser{id: id, created: created}
		// Accounts are the objects between "accounts":[ and ]; none holds a nested object.
		accounts := obj[bytes.IndexByte(obj, '[')+1 : bytes.IndexByte(obj, ']')]
		for _, acc := range bytes.Split(accounts, []byte("},{")) {
			product, _ := jsonField(acc, "product")
			status, _ := jsonField(acc, "kyc_status")
			i, ok1 := enumIndex(products, product)
			s, ok2 := enumIndex(kycStatuses, status)
			if !ok1 || !ok2 || u.status[i] != 0 {
				return fmt.Errorf("user %s: bad or repeated account %s", id, acc)
			}
			u.status[i] = s + 1
			approvedAt, has := jsonField(acc, "kyc_approved_at")
			if has != (status == "approved") {
				return fmt.Errorf("user %s: kyc_approved_at present %v with kyc_status %s", id, has, status)
			}
			if has {
				approved, err := parseSeconds(approvedAt)
				if err != nil || approved.After(at) {
					return fmt.Errorf("user %s: kyc_approved_at %q after %s: %v", id, approvedAt, at, err)
				}
				u.approved[i] = approved.Unix()
			}
		}
		if _, dup := p.user[id]; dup {
			return fmt.Errorf("user_account_id %s twice", id)
		}
		p.user[id] = int32(len(p.users))
		p.users = append(p.users, u)
		return nil
	})
	streamDump(t, a, tenantName, "orders", func(line []byte) error {
		var o largeOrder
		var fields [6]string
		for i, k := range []string{"order_id", "user_account_id", "product", "side", "status", "placed_at"} {
			v, ok := jsonField(line, k)
			if !ok {
				return fmt.Errorf("no %s: %s", k, line)
			}
			fields[i] = v
		}
		var ok1, ok2, ok3 bool
		o.id = fields[0]
		o.product, ok1 = enumIndex(products, fields[2])
		o.side, ok2 = enumIndex(orderSides, fields[3])
		o.status, ok3 = enumIndex(orderStatuses, fields[4])
		placed, err := parseSeconds(fields[5])
		if !ok1 || !ok2 || !ok3 || err != nil || placed.After(at) {
			return fmt.Errorf("bad enum or placed_at (after %s?): %s", at, line)
		}
		o.placed = placed
		u, ok := p.user[fields[1]]
		if !ok {
			return fmt.Errorf("order %s: user %q is not a user of the tenant", o.id, fields[1])
		}
		us := &p.users[u]
		o.userID = us.id
		if status, _ := us.kycStatus(products[o.product]); status != "approved" || us.approved[o.product] > placed.Unix() {
			broken = append(broken, fmt.Sprintf("order %s placed %s on %s's %s account, %q, approved at %s (user created %s)",
				o.id, placed.Format(time.RFC3339), us.id, products[o.product], status,
				time.Unix(us.approved[o.product], 0).UTC().Format(time.RFC3339), us.created.Format(time.RFC3339)))
		}
		p.orders = append(p.orders, o)
		return nil
	})
	assert.Empty(t, broken[:min(len(broken), 5)], "%d of %d orders are placed on an account that is not approved by placed_at; the first ones:",
		len(broken), len(p.orders))
	return p
}

// largeTenant returns the config of a tenant of n users called large, with key large-key.
func largeTenant(t *testing.T, n int) *tenant.Config {
	t.Helper()
	cfg, err := tenant.ParseConfig("large", fmt.Appendf(nil, `tenants:
  - name: large
    fi_name: Large Credit Union
    api_keys: [large-key]
    seed: 6
    users: %d
    as_of: "2025-10-01T00:00:00Z"
`, n))
	require.NoError(t, err)
	return cfg
}

// TestPropertiesAtScale samples the properties on a tenant of largeUsers users with its orders,
// frozen inside the horizon so that records after the clock exist in the engine but not in the
// answers. The population comes from the dumps; each sampled query's pages (at the start, a
// random cursor and the end) are checked against one pass over the population, without sorting
// it: every item passes the filters and agrees with the population, the items are in order,
// total_records counts the matches, exactly cursor matches sort before the page, and none is
// missing inside it. Pages of 25 make up the page of 100, the other order's matching page is
// its reverse, and each item of the middle page is its detail.
func TestPropertiesAtScale(t *testing.T) {
	t.Parallel()
	const key = "large-key"
	at := asOf.AddDate(0, 0, 40)
	started := time.Now()
	a, err := app.New(app.Config{Tenants: largeTenant(t, largeUsers), Clock: app.Clock{Now: at}})
	require.NoError(t, err)
	built := time.Now()
	p := loadLargePopulation(t, a, "large", key, at)
	loaded := time.Now()
	require.GreaterOrEqual(t, len(p.users), largeUsers, "the window's users, and the sign-ups since as_of")
	require.Greater(t, len(p.orders), len(p.users), "orders")
	t.Logf("%d users, %d orders: built in %s, loaded from dumps in %s", len(p.users), len(p.orders),
		built.Sub(started).Round(time.Millisecond), loaded.Sub(built).Round(time.Millisecond))

	s := &snapshot{fi: fi{"large", key}, at: at}
	r := rand.New(rand.NewPCG(66, 0))
	for i := range largeQueries {
		mask := r.IntN(1 << len(userFilters))
		anchor, other := p.largeUserRec(r.IntN(len(p.users))), p.largeUserRec(r.IntN(len(p.users)))
		f, q := drawUserFilter(r, mask, anchor, other, at)
		t.Run(fmt.Sprintf("users/%d/%s", i, q.Encode()), func(t *testing.T) {
			checkLargePages(t, r, a.Handler, key, usersPath, q, largeList[*userRec]{
				decode: decodeUser,
				check: func(t *testing.T, u *userRec) {
					i, ok := p.user[u.ID]
					require.True(t, ok, "user %s is in the population", u.ID)
					pu := &p.users[i]
					u.CreatedAt = pu.created
					checkUserRules(t, s, u)
					for _, acc := range u.Accounts {
						status, _ := pu.kycStatus(acc.Product)
						assert.Equal(t, status, acc.Status, "user %s: %s kyc_status as in the dump", u.ID, acc.Product)
					}
					assert.True(t, f.matches(u.ID, u.CreatedAt, u), "user %s passes the filters", u.ID)
				},
				key: func(u *userRec) largeKey { return largeKey{p.users[p.user[u.ID]].created, u.ID} },
				id:  func(u *userRec) string { return u.ID },
				pass: func(visit func(largeKey)) {
					for i := range p.users {
						u := &p.users[i]
						if f.matches(u.id, u.created, u) {
							visit(largeKey{u.created, u.id})
						}
					}
				},
				byID: f.sortKey == "user_account_id",
				desc: f.desc,
			})
		})

		mask = r.IntN(1 << len(orderFilters))
		ao, oo := p.largeOrderRec(r.IntN(len(p.orders))), p.largeOrderRec(r.IntN(len(p.orders)))
		of, oq := drawOrderFilter(r, mask, ao, oo, p.users[r.IntN(len(p.users))].id, at)
		t.Run(fmt.Sprintf("orders/%d/%s", i, oq.Encode()), func(t *testing.T) {
			checkLargePages(t, r, a.Handler, key, ordersPath, oq, largeList[*orderRec]{
				decode: decodeOrder,
				check: func(t *testing.T, o *orderRec) {
					checkOrderRules(t, s, o)
					assert.True(t, of.matches(o.User, o.Product, o.Side, o.Status, o.PlacedAt), "order %s passes the filters", o.ID)
				},
				key: func(o *orderRec) largeKey { return largeKey{o.PlacedAt, o.ID} },
				id:  func(o *orderRec) string { return o.ID },
				pass: func(visit func(largeKey)) {
					for i := range p.orders {
						o := &p.orders[i]
						if of.matches(o.userID, products[o.product], orderSides[o.side], orderStatuses[o.status], o.placed) {
							visit(largeKey{o.placed, o.id})
						}
					}
				},
				desc: of.desc,
			})
		})
	}
}

// largeUserRec returns user i as the filters' drawing reads it.
func (p *largePopulation) largeUserRec(i int) *userRec {
	u := &p.users[i]
	rec := &userRec{ID: u.id, CreatedAt: u.created}
	for _, product := range products {
		if st, ok := u.kycStatus(product); ok {
			rec.Accounts = append(rec.Accounts, accountRec{Product: product, Status: st})
		}
	}
	return rec
}

// largeOrderRec returns order i as the filters' drawing reads it.
func (p *largePopulation) largeOrderRec(i int) *orderRec {
	o := &p.orders[i]
	return &orderRec{ID: o.id, User: o.userID, Product: products[o.product], Side: orderSides[o.side],
		Status: orderStatuses[o.status], PlacedAt: o.placed}
}

// largeKey is a record's place in its list: the time key (unless sorting by id) and the id.
type largeKey struct {
	at time.Time
	id string
}

// largeList is how checkLargePages reads one resource.
type largeList[R any] struct {
	decode func([]byte) (R, error)
	// check asserts the item's own rules and that it passes the filters.
	check func(*testing.T, R)
	key   func(R) largeKey
	id    func(R) string
	// pass visits the key of every match in the population, in any order.
	pass func(visit func(largeKey))
	// byID sorts by id alone; desc sorts descending.
	byID, desc bool
}

// compare orders two keys as the list does: negative when x comes first.
func (l largeList[R]) compare(x, y largeKey) int {
	c := 0
	if !l.byID {
		c = x.at.Compare(y.at)
	}
	if c == 0 {
		c = strings.Compare(x.id, y.id)
	}
	if l.desc {
		c = -c
	}
	return c
}

// checkLargePages checks the pages of 100 at the start, at a random cursor and at the end of
// the list q selects against one pass over the population.
func checkLargePages[R any](t *testing.T, r *rand.Rand, h http.Handler, key, path string, q url.Values, l largeList[R]) {
	t.Helper()
	first := list(t, h, key, path, withPage(q, 100, 0))
	total := first.TotalRecords
	cursors := []int{0, r.IntN(max(total, 1)), max(0, total-100)}
	pages := make([][]largeKey, len(cursors))
	onPage := make([]map[string]bool, len(cursors))
	for k, c := range cursors {
		e := list(t, h, key, path, withPage(q, 100, c))
		require.Equal(t, total, e.TotalRecords, "total_records is the same on every page")
		require.Len(t, e.Items, min(100, total-c), "a full page, or the rest")
		require.Equal(t, c+len(e.Items), e.LastRecordNumber, "last_record_number")
		require.Equal(t, 100, e.PerPage, "per_page is echoed")
		onPage[k] = map[string]bool{}
		for j, raw := range e.Items {
			rec, err := l.decode(raw)
			require.NoError(t, err)
			l.check(t, rec)
			pages[k] = append(pages[k], l.key(rec))
			onPage[k][l.id(rec)] = true
			if j > 0 {
				require.Negative(t, l.compare(pages[k][j-1], pages[k][j]), "items are in the list's order")
			}
			if k == 1 {
				code, body := get(h, key, path+url.PathEscape(l.id(rec))+"/")
				require.Equal(t, http.StatusOK, code, "%s", body)
				assert.Equal(t, string(raw), string(body), "the detail of %s is its list item", l.id(rec))
			}
		}
		checkSmallerPages(t, h, key, path, q, c, e)
	}
	// One pass: per page, the matches that sort before it, those on it, and those inside its
	// span but not on it.
	matches := 0
	before := make([]int, len(cursors))
	found := make([]int, len(cursors))
	missing := make([]int, len(cursors))
	l.pass(func(m largeKey) {
		matches++
		for k, page := range pages {
			switch {
			case len(page) == 0:
			case l.compare(m, page[0]) < 0:
				before[k]++
			case l.compare(m, page[len(page)-1]) > 0:
			case onPage[k][m.id]:
				found[k]++
			default:
				missing[k]++
			}
		}
	})
	assert.Equal(t, matches, total, "total_records counts every match")
	for k, c := range cursors {
		if len(pages[k]) > 0 {
			assert.Equal(t, c, before[k], "page at %d: the matches before it", c)
			assert.Equal(t, len(pages[k]), found[k], "page at %d: every item is a match of the population", c)
			assert.Zero(t, missing[k], "page at %d: no match is left out inside it", c)
		}
	}
	checkOtherOrderPage(t, h, key, path, q, total, cursors[1], pages[1], l)
}

// checkSmallerPages asserts that four pages of 25 from cursor c are the page of 100 from c.
func checkSmallerPages(t *testing.T, h http.Handler, key, path string, q url.Values, c int, page100 envelope) {
	t.Helper()
	var got, want []string
	for k := range 4 {
		for _, raw := range list(t, h, key, path, withPage(q, 25, c+25*k)).Items {
			got = append(got, string(raw))
		}
	}
	for _, raw := range page100.Items {
		want = append(want, string(raw))
	}
	assert.Equal(t, want, got, "pages of 25 from %d are the page of 100", c)
}

// checkOtherOrderPage asserts that the page at cursor c, read in the other sort order from
// total-c-len(page), is the page reversed.
func checkOtherOrderPage[R any](t *testing.T, h http.Handler, key, path string, q url.Values, total, c int, page []largeKey, l largeList[R]) {
	t.Helper()
	if len(page) == 0 {
		return
	}
	other := withPage(q, len(page), total-c-len(page))
	other.Set("sort_order", map[bool]string{true: "asc", false: "desc"}[l.desc])
	var got []string
	for _, raw := range list(t, h, key, path, other).Items {
		rec, err := l.decode(raw)
		require.NoError(t, err)
		got = append(got, l.id(rec))
	}
	slices.Reverse(got)
	want := make([]string, len(page))
	for i, k := range page {
		want[i] = k.id
	}
	assert.Equal(t, want, got, "the other order's matching page, reversed")
}
