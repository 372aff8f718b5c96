package app_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/mock/app"
)

// This file holds what the property, time and isolation tests share: the oracle (an FI's whole
// population at one instant, read from the app's dumps and checked with its own reading of
// BEHAVIOUR.md), and the HTTP helpers that page through the API, the system under test.

// fi is a tenant as the tests address it: by name for dumps, by key for the API.
type fi struct{ name, key string }

// demoFIs are the built-in tenants (fixtures/tenants.yaml).
var demoFIs = []fi{{"demo-credit-union", "demo-key"}, {"demo-savings-bank", "demo-key-2"}}

// asOf is the demo tenants' as_of: the default mock time.
var asOf = time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)

// The enums of the embedded document.
var (
	products      = []string{"crypto", "securities", "roth_ira", "robo"}
	kycStatuses   = []string{"not_started", "pending", "approved", "rejected"}
	orderSides    = []string{"buy", "sell"}
	orderStatuses = []string{"pending", "completed", "cancelled", "failed"}
)

const (
	usersPath  = "/v1/users/"
	ordersPath = "/v1/orders/"
)

// accountRec is one account of a user, as the API renders it.
type accountRec struct {
	Product, Status, Value string
	// ApprovedAt is kyc_approved_at, zero when the key is absent.
	ApprovedAt time.Time
	// approvedKey records whether kyc_approved_at was present (possibly null).
	approvedKey bool
}

// userRec is one user: the API's object, decoded, with created_at from the dump.
type userRec struct {
	// raw is the API's object, byte for byte.
	raw       string
	ID        string
	CreatedAt time.Time
	Total     string
	Accounts  []accountRec
	// keys and accountKeys are the objects' keys in the order they were rendered.
	keys        []string
	accountKeys [][]string
}

// account returns the user's account for product p.
func (u *userRec) account(p string) (accountRec, bool) {
	for _, a := range u.Accounts {
		if a.Product == p {
			return a, true
		}
	}
	return accountRec{}, false
}

// orderRec is one order: the API's object, decoded.
type orderRec struct {
	raw                                                      string
	ID, User, Product, Side, Symbol, Quantity, Notional, Fee string
	Status                                                   string
	PlacedAt                                                 time.Time
	// CompletedAt is zero when the key is absent.
	CompletedAt time.Time
	Recurring   bool
	SeriesID    string
	keys        []string
	// completedNull and seriesNull record a key present with a null value.
	completedNull, seriesNull bool
}

// snapshot is one FI's population at one instant: every user and order that exists then, in
// that state. It is built from the app's dumps and checked against the API's full listings, so
// it is what the API serves.
type snapshot struct {
	fi fi
	at time.Time
	// users and orders are in ascending list order: users by (created_at, user_account_id),
	// orders by (placed_at, order_id), sorted here rather than taken from the dump's order.
	users  []*userRec
	orders []*orderRec
	user   map[string]*userRec
	order  map[string]*orderRec
}

// secondsRE matches how the API renders date-times: whole seconds, UTC, Z.
var secondsRE = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`)

// parseSeconds parses a date-time in the API's format.
func parseSeconds(s string) (time.Time, error) {
	if !secondsRE.MatchString(s) {
		return time.Time{}, fmt.Errorf("%q is not YYYY-MM-DDTHH:MM:SSZ", s)
	}
	return time.Parse(time.RFC3339, s)
}

// objectKeys returns the keys of the JSON object raw, in order.
func objectKeys(raw []byte) ([]string, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, fmt.Errorf("not an object: %s", raw)
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil, err
		}
	}
	return keys, nil
}

// decodeUser decodes the API's user object raw.
func decodeUser(raw []byte) (*userRec, error) {
	var v struct {
		Accounts []json.RawMessage `json:"accounts"`
		Total    string            `json:"total_current_market_value"`
		ID       string            `json:"user_account_id"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, fmt.Errorf("user %s: %w", raw, err)
	}
	u := &userRec{raw: string(raw), ID: v.ID, Total: v.Total}
	var err error
	if u.keys, err = objectKeys(raw); err != nil {
		return nil, err
	}
	for _, ra := range v.Accounts {
		var a struct {
			Value      string  `json:"current_market_value"`
			ApprovedAt *string `json:"kyc_approved_at"`
			Status     string  `json:"kyc_status"`
			Product    string  `json:"product"`
		}
		if err := json.Unmarshal(ra, &a); err != nil {
			return nil, fmt.Errorf("user %s: account %s: %w", v.ID, ra, err)
		}
		keys, err := objectKeys(ra)
		if err != nil {
			return nil, err
		}
		acc := accountRec{Product: a.Product, Status: a.Status, Value: a.Value, approvedKey: slices.Contains(keys, "kyc_approved_at")}
		if a.ApprovedAt != nil {
			if acc.ApprovedAt, err = parseSeconds(*a.ApprovedAt); err != nil {
				return nil, fmt.Errorf("user %s: kyc_approved_at: %w", v.ID, err)
			}
		}
		u.Accounts = append(u.Accounts, acc)
		u.accountKeys = append(u.accountKeys, keys)
	}
	return u, nil
}

// decodeOrder decodes the API's order object raw.
func decodeOrder(raw []byte) (*orderRec, error) {
	var v struct {
		ID          string  `json:"order_id"`
		User        string  `json:"user_account_id"`
		Product     string  `json:"product"`
		Side        string  `json:"side"`
		Symbol      string  `json:"symbol"`
		Quantity    string  `json:"quantity"`
		Notional    string  `json:"notional"`
		Fee         string  `json:"fee"`
		Status      string  `json:"status"`
		PlacedAt    string  `json:"placed_at"`
		CompletedAt *string `json:"completed_at"`
		Recurring   bool    `json:"is_recurring_order"`
		SeriesID    *string `json:"recurring_order_id"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, fmt.Errorf("order %s: %w", raw, err)
	}
	o := &orderRec{raw: string(raw), ID: v.ID, User: v.User, Product: v.Product, Side: v.Side, Symbol: v.Symbol,
		Quantity: v.Quantity, Notional: v.Notional, Fee: v.Fee, Status: v.Status, Recurring: v.Recurring}
	var err error
	if o.keys, err = objectKeys(raw); err != nil {
		return nil, err
	}
	if o.PlacedAt, err = parseSeconds(v.PlacedAt); err != nil {
		return nil, fmt.Errorf("order %s: placed_at: %w", v.ID, err)
	}
	if v.CompletedAt != nil {
		if o.CompletedAt, err = parseSeconds(*v.CompletedAt); err != nil {
			return nil, fmt.Errorf("order %s: completed_at: %w", v.ID, err)
		}
	}
	o.completedNull = v.CompletedAt == nil && slices.Contains(o.keys, "completed_at")
	if v.SeriesID != nil {
		o.SeriesID = *v.SeriesID
	}
	o.seriesNull = v.SeriesID == nil && slices.Contains(o.keys, "recurring_order_id")
	return o, nil
}

// createdAtSuffix starts the key a users dump adds to the API's object.
const createdAtSuffix = `,"created_at":"`

// splitUserDumpLine splits a users dump line into the API's object and created_at.
func splitUserDumpLine(line []byte) ([]byte, time.Time, error) {
	i := bytes.LastIndex(line, []byte(createdAtSuffix))
	if i < 0 || !bytes.HasSuffix(line, []byte(`"}`)) {
		return nil, time.Time{}, fmt.Errorf("no created_at as the last key: %s", line)
	}
	created, err := time.Parse(time.RFC3339Nano, string(line[i+len(createdAtSuffix):len(line)-2]))
	if err != nil {
		return nil, time.Time{}, err
	}
	obj := append(slices.Clip(line[:i]), '}')
	return obj, created, nil
}

// dumpLines returns the lines of one resource's ndjson dump.
func dumpLines(t *testing.T, a *app.App, tenant, resource string) [][]byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, a.Dump(&buf, tenant, resource, "ndjson"))
	lines := bytes.Split(buf.Bytes(), []byte("\n"))
	require.Empty(t, lines[len(lines)-1], "the dump ends with a newline")
	return lines[:len(lines)-1]
}

// loadSnapshot reads f's population at the app's time at from its dumps, sorts it in list
// order, and checks that the API lists exactly it: a full walk of users and of orders, newest
// first, gives the snapshot's objects byte for byte.
func loadSnapshot(t *testing.T, a *app.App, f fi, at time.Time) *snapshot {
	t.Helper()
	s := &snapshot{fi: f, at: at, user: map[string]*userRec{}, order: map[string]*orderRec{}}
	for _, line := range dumpLines(t, a, f.name, "users") {
		obj, created, err := splitUserDumpLine(line)
		require.NoError(t, err)
		u, err := decodeUser(obj)
		require.NoError(t, err)
		u.CreatedAt = created
		_, dup := s.user[u.ID]
		require.False(t, dup, "user_account_id %s is unique", u.ID)
		s.user[u.ID] = u
		s.users = append(s.users, u)
	}
	for _, line := range dumpLines(t, a, f.name, "orders") {
		o, err := decodeOrder(line)
		require.NoError(t, err)
		_, dup := s.order[o.ID]
		require.False(t, dup, "order_id %s is unique", o.ID)
		s.order[o.ID] = o
		s.orders = append(s.orders, o)
	}
	slices.SortFunc(s.users, func(x, y *userRec) int { return userOrder("created_at")(x, y) })
	slices.SortFunc(s.orders, orderOrder)
	walkAll(t, a.Handler, f.key, usersPath, url.Values{"sort_order": {"desc"}}, 100, reversed(userRaws(s.users)))
	walkAll(t, a.Handler, f.key, ordersPath, url.Values{"sort_order": {"desc"}}, 100, reversed(orderRaws(s.orders)))
	return s
}

// userOrder returns the ascending order of users by sort key: the key, ties by id.
func userOrder(sortKey string) func(x, y *userRec) int {
	return func(x, y *userRec) int {
		if sortKey != "user_account_id" {
			if c := x.CreatedAt.Compare(y.CreatedAt); c != 0 {
				return c
			}
		}
		return strings.Compare(x.ID, y.ID)
	}
}

// orderOrder is the ascending order of orders: placed_at, ties by order_id.
func orderOrder(x, y *orderRec) int {
	if c := x.PlacedAt.Compare(y.PlacedAt); c != 0 {
		return c
	}
	return strings.Compare(x.ID, y.ID)
}

// userRaws returns the users' objects, in order.
func userRaws(us []*userRec) []string {
	out := make([]string, len(us))
	for i, u := range us {
		out[i] = u.raw
	}
	return out
}

// orderRaws returns the orders' objects, in order.
func orderRaws(os []*orderRec) []string {
	out := make([]string, len(os))
	for i, o := range os {
		out[i] = o.raw
	}
	return out
}

// reversed returns a reversed copy of s.
func reversed(s []string) []string {
	out := slices.Clone(s)
	slices.Reverse(out)
	return out
}

// Apps are built once per clock setting and shared by the tests that only read them; a test
// that needs an app of its own calls app.New.
var (
	appsMu sync.Mutex
	apps   = map[app.Clock]*appOnce{}
)

// appOnce builds one shared app.
type appOnce struct {
	once sync.Once
	a    *app.App
	err  error
}

// sharedApp returns the built-in tenants' app with clock c, built on first use.
func sharedApp(t *testing.T, c app.Clock) *app.App {
	t.Helper()
	appsMu.Lock()
	o, ok := apps[c]
	if !ok {
		o = &appOnce{}
		apps[c] = o
	}
	appsMu.Unlock()
	o.once.Do(func() { o.a, o.err = app.New(app.Config{Clock: c}) })
	require.NoError(t, o.err)
	return o.a
}

// frozenAt is the clock frozen at at; the zero time is the default clock (each FI's as_of).
func frozenAt(at time.Time) app.Clock {
	if at.Equal(asOf) {
		return app.Clock{}
	}
	return app.Clock{Now: at}
}

var (
	snapsMu sync.Mutex
	snaps   = map[string]*snapOnce{}
)

// snapOnce loads one shared snapshot.
type snapOnce struct {
	once sync.Once
	s    *snapshot
}

// sharedSnapshot returns f's snapshot at at from the shared app frozen there, loaded on first
// use. A failed load fails every test that asks for it.
func sharedSnapshot(t *testing.T, f fi, at time.Time) *snapshot {
	t.Helper()
	a := sharedApp(t, frozenAt(at))
	k := f.name + "@" + at.Format(time.RFC3339Nano)
	snapsMu.Lock()
	o, ok := snaps[k]
	if !ok {
		o = &snapOnce{}
		snaps[k] = o
	}
	snapsMu.Unlock()
	o.once.Do(func() { o.s = loadSnapshot(t, a, f, at) })
	require.NotNil(t, o.s, "the snapshot of %s failed to load", k)
	return o.s
}

// get sends GET target with key (none when empty) and returns the status and body.
func get(h http.Handler, key, target string) (int, []byte) {
	req := httptest.NewRequest(http.MethodGet, target, nil)
	if key != "" {
		req.Header.Set("x-api-key", key)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.Bytes()
}

// envelope is a list response.
type envelope struct {
	Items            []json.RawMessage `json:"items"`
	TotalRecords     int               `json:"total_records"`
	LastRecordNumber int               `json:"last_record_number"`
	PerPage          int               `json:"per_page"`
}

// list requests one page of the list at path.
func list(t *testing.T, h http.Handler, key, path string, q url.Values) envelope {
	t.Helper()
	code, body := get(h, key, path+"?"+q.Encode())
	require.Equal(t, http.StatusOK, code, "%s?%s: %s", path, q.Encode(), body)
	var e envelope
	require.NoError(t, json.Unmarshal(body, &e), "%s", body)
	return e
}

// withPage returns q with per_page and last_record_number set; perPage 0 leaves per_page out
// (the default, 25).
func withPage(q url.Values, perPage, cursor int) url.Values {
	out := url.Values{}
	for k, v := range q {
		out[k] = slices.Clone(v)
	}
	if perPage > 0 {
		out.Set("per_page", strconv.Itoa(perPage))
	}
	out.Set("last_record_number", strconv.Itoa(cursor))
	return out
}

// checkPage requests the page of perPage items at cursor (perPage 0: the default page size)
// and checks it against want, the whole result in the requested order: the items, the echoed
// per_page, total_records and last_record_number, and the bytes of the envelope. It returns
// the page's last_record_number and number of items.
func checkPage(t *testing.T, h http.Handler, key, path string, q url.Values, perPage, cursor int, want []string) (next, n int) {
	t.Helper()
	size := perPage
	if size == 0 {
		size = 25
	}
	lo, hi := min(cursor, len(want)), min(cursor+size, len(want))
	target := path + "?" + withPage(q, perPage, cursor).Encode()
	code, body := get(h, key, target)
	require.Equal(t, http.StatusOK, code, "%s: %s", target, body)
	// The page is exactly FastAPI's compact envelope around the expected items; the bytes
	// are compared first, as most pages are right and decoding is slow under -race.
	exp := pageBytes(want[lo:hi], len(want), cursor+hi-lo, size)
	if bytes.Equal(body, exp) {
		return cursor + hi - lo, hi - lo
	}
	var e envelope
	require.NoError(t, json.Unmarshal(body, &e), "%s: %s", target, body)
	got := make([]string, len(e.Items))
	for i, raw := range e.Items {
		got[i] = string(raw)
	}
	require.Equal(t, size, e.PerPage, "per_page is echoed: %s", target)
	require.Equal(t, len(want), e.TotalRecords, "total_records counts every match: %s", target)
	require.Equal(t, append([]string{}, want[lo:hi]...), got, "the page holds the matches at its cursor, in order: %s", target)
	require.Equal(t, cursor+len(got), e.LastRecordNumber, "last_record_number is the cursor plus the items returned: %s", target)
	require.Equal(t, string(exp), string(body), "the envelope is compact, its keys in FastAPI's order: %s", target)
	return e.LastRecordNumber, len(got)
}

// pageBytes renders the list response FastAPI sends for items.
func pageBytes(items []string, total, last, perPage int) []byte {
	b := append([]byte(nil), `{"items":[`...)
	for i, it := range items {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, it...)
	}
	return fmt.Appendf(b, `],"total_records":%d,"last_record_number":%d,"per_page":%d}`, total, last, perPage)
}

// walkAll pages through the list from 0 at perPage, following last_record_number as a client
// does, checks every page against want and that the walk visits every match exactly once, and
// ends on an empty page at the end.
func walkAll(t *testing.T, h http.Handler, key, path string, q url.Values, perPage int, want []string) {
	t.Helper()
	seen := []string{}
	cursor := 0
	for pages := 0; ; pages++ {
		require.LessOrEqual(t, pages, len(want)/perPage+1, "the walk ends")
		next, n := checkPage(t, h, key, path, q, perPage, cursor, want)
		if n == 0 {
			break
		}
		seen = append(seen, want[cursor:cursor+n]...)
		cursor = next
	}
	require.Equal(t, len(want), cursor, "the walk ends at total_records")
	require.Equal(t, append([]string{}, want...), seen, "the walk at per_page %d visits every match once, in order", perPage)
}

// decimalREs match decimal strings by number of places: money has two, quantities six or
// eight.
var decimalREs = map[int]*regexp.Regexp{
	2: regexp.MustCompile(`^-?\d+\.\d{2}$`),
	6: regexp.MustCompile(`^-?\d+\.\d{6}$`),
	8: regexp.MustCompile(`^-?\d+\.\d{8}$`),
}

// decimalUnits parses a decimal string with exactly places places (2, 6 or 8) into units of
// 10^-places.
func decimalUnits(s string, places int) (int64, bool) {
	if !decimalREs[places].MatchString(s) {
		return 0, false
	}
	v, err := strconv.ParseInt(strings.Replace(s, ".", "", 1), 10, 64)
	return v, err == nil
}

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// checkUserRules asserts every rule of BEHAVIOUR.md a user object obeys at s.at.
func checkUserRules(t *testing.T, s *snapshot, u *userRec) {
	t.Helper()
	assert.Equal(t, []string{"accounts", "total_current_market_value", "user_account_id"}, u.keys, "user keys in order: %s", u.raw)
	assert.NotEmpty(t, u.ID, "user_account_id: %s", u.raw)
	assert.False(t, u.CreatedAt.After(s.at), "a user exists from created_at on: %s created %s, now %s", u.ID, u.CreatedAt, s.at)
	assert.True(t, len(u.Accounts) >= 1 && len(u.Accounts) <= len(products), "1 to 4 accounts: %s", u.raw)
	var sum int64
	seen := map[string]bool{}
	for i, a := range u.Accounts {
		assert.Contains(t, products, a.Product, "product: %s", u.raw)
		assert.False(t, seen[a.Product], "one account per product: %s", u.raw)
		seen[a.Product] = true
		assert.Contains(t, kycStatuses, a.Status, "kyc_status: %s", u.raw)
		v, ok := decimalUnits(a.Value, 2)
		assert.True(t, ok, "current_market_value has two places: %s", u.raw)
		sum += v
		approved := a.Status == "approved"
		want := []string{"current_market_value", "kyc_status", "product"}
		if approved {
			want = []string{"current_market_value", "kyc_approved_at", "kyc_status", "product"}
		}
		assert.Equal(t, want, u.accountKeys[i], "account keys in order, kyc_approved_at exactly when approved: %s", u.raw)
		if approved && a.approvedKey {
			assert.False(t, a.ApprovedAt.IsZero(), "kyc_approved_at is never null: %s", u.raw)
			assert.False(t, a.ApprovedAt.Before(u.CreatedAt.Truncate(time.Second)), "kyc_approved_at is not before created_at (%s): %s", u.CreatedAt, u.raw)
			assert.False(t, a.ApprovedAt.After(s.at), "an approval at T is not after T: %s", u.raw)
		}
	}
	total, ok := decimalUnits(u.Total, 2)
	assert.True(t, ok, "total_current_market_value has two places: %s", u.raw)
	assert.Equal(t, sum, total, "total_current_market_value is the exact sum of the accounts: %s", u.raw)
}

// orderKeys are the order object's keys in order; completed_at and recurring_order_id are
// present only in some.
var orderKeys = []string{"order_id", "user_account_id", "product", "side", "symbol", "quantity", "notional", "fee",
	"status", "placed_at", "completed_at", "is_recurring_order", "recurring_order_id"}

// checkOrderRules asserts every rule of BEHAVIOUR.md an order object obeys on its own at s.at.
func checkOrderRules(t *testing.T, s *snapshot, o *orderRec) {
	t.Helper()
	var want []string
	for _, k := range orderKeys {
		if (k == "completed_at" && o.Status != "completed") || (k == "recurring_order_id" && !o.Recurring) {
			continue
		}
		want = append(want, k)
	}
	assert.Equal(t, want, o.keys, "order keys in order, completed_at exactly when completed, recurring_order_id exactly when recurring: %s", o.raw)
	assert.False(t, o.completedNull || o.seriesNull, "no null values: %s", o.raw)
	assert.Regexp(t, uuidRE, o.ID, "order_id is a lowercase UUID")
	assert.Contains(t, products, o.Product, "product: %s", o.raw)
	assert.Contains(t, orderSides, o.Side, "side: %s", o.raw)
	assert.Contains(t, orderStatuses, o.Status, "status: %s", o.raw)
	assert.NotEmpty(t, o.Symbol, "symbol: %s", o.raw)
	places := 6
	if o.Product == "crypto" {
		places = 8
	}
	q, ok := decimalUnits(o.Quantity, places)
	assert.True(t, ok, "quantity has %d places for %s: %s", places, o.Product, o.raw)
	assert.Positive(t, q, "quantity > 0: %s", o.raw)
	n, ok := decimalUnits(o.Notional, 2)
	assert.True(t, ok, "notional has two places: %s", o.raw)
	assert.Positive(t, n, "notional > 0: %s", o.raw)
	f, ok := decimalUnits(o.Fee, 2)
	assert.True(t, ok, "fee has two places: %s", o.raw)
	assert.GreaterOrEqual(t, f, int64(0), "fee >= 0: %s", o.raw)
	assert.False(t, o.PlacedAt.After(s.at), "an order exists from placed_at on: %s", o.raw)
	if o.Status == "completed" && !o.CompletedAt.IsZero() {
		assert.False(t, o.CompletedAt.Before(o.PlacedAt), "completed_at is not before placed_at: %s", o.raw)
		assert.False(t, o.CompletedAt.After(s.at), "a completion at T is not after T: %s", o.raw)
	}
	if o.Recurring {
		assert.Regexp(t, uuidRE, o.SeriesID, "recurring_order_id is a lowercase UUID: %s", o.raw)
		assert.Equal(t, "buy", o.Side, "recurring orders are buys: %s", o.raw)
	}
}

// checkCrossRules asserts the rules that tie s's orders to its users and to each other: each
// order's user is a user of the FI with an approved account for the order's product, approved
// no later than placed_at; orders sharing a recurring_order_id are one user's buys of one
// symbol on one product at a regular interval (every gap a week, or every gap one calendar
// month to the same day and time).
func checkCrossRules(t *testing.T, s *snapshot) {
	t.Helper()
	series := map[string][]*orderRec{}
	for _, o := range s.orders {
		u, ok := s.user[o.User]
		if !assert.True(t, ok, "the user of order %s, %q, is a user of %s at %s", o.ID, o.User, s.fi.name, s.at) {
			continue
		}
		a, ok := u.account(o.Product)
		if assert.True(t, ok, "user %s has an account for the %s order %s", u.ID, o.Product, o.ID) {
			assert.Equal(t, "approved", a.Status, "the %s account of %s is approved: order %s", o.Product, u.ID, o.ID)
			assert.False(t, a.ApprovedAt.After(o.PlacedAt), "order %s placed %s, not before the account's kyc_approved_at %s", o.ID, o.PlacedAt, a.ApprovedAt)
		}
		if o.Recurring {
			series[o.SeriesID] = append(series[o.SeriesID], o)
		}
	}
	for id, os := range series {
		first := os[0]
		for _, o := range os[1:] {
			assert.Equal(t, []string{first.User, first.Product, first.Symbol, first.Side},
				[]string{o.User, o.Product, o.Symbol, o.Side}, "series %s: one user's buys of one symbol on one product", id)
		}
		assert.True(t, regular(os), "series %s: buys at a regular interval: %s", id, placedTimes(os))
	}
}

// regular reports whether orders, in placed_at order, are a week apart each, or one calendar
// month apart each (same day of month, same time of day).
func regular(os []*orderRec) bool {
	weekly, monthly := true, true
	for i := 1; i < len(os); i++ {
		prev, cur := os[i-1].PlacedAt, os[i].PlacedAt
		weekly = weekly && cur.Sub(prev) == 7*24*time.Hour
		monthly = monthly && cur.Equal(prev.AddDate(0, 1, 0)) && cur.Day() == prev.Day()
	}
	return weekly || monthly
}

// placedTimes returns the orders' placed_at, for messages.
func placedTimes(os []*orderRec) []string {
	var out []string
	for _, o := range os {
		out = append(out, o.PlacedAt.Format(time.RFC3339))
	}
	return out
}
