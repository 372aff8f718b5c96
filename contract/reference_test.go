package contract_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The reference orders server: the orders endpoints (GET /v1/orders/ and
// GET /v1/orders/{order_id}/) written here, small and plain, from BEHAVIOUR.md and the
// FastAPI captures, in front of the mock, which answers everything else (users, unknown
// paths). The contract suite's orders checks run against it until the mock serves orders
// itself; it is also the in-test server whose clock can run (live), to show the suite gives
// no false alarm while orders appear and settle.

// refOrder is one order of the reference server, with the instants that decide what it shows
// at a given time.
type refOrder struct {
	ID, User, Product, Side, Symbol, Quantity, Notional, Fee string
	// final is the status the order settles to, at settle.
	final   string
	placed  time.Time
	settle  time.Time
	recurID string
}

// refFI is one FI's orders, sorted by placed_at then order_id.
type refFI struct {
	orders []*refOrder
	byID   map[string]*refOrder
}

type refServer struct {
	mock http.Handler
	fis  map[string]*refFI
	// now is the server's clock: orders placed after it are not shown, and an order settles
	// when it passes its settle instant.
	now func() time.Time
}

// refOptions shape the reference data.
type refOptions struct {
	// noOrders lists keys whose FI has no orders.
	noOrders []string
	// now is the clock; nil freezes it at the newest kyc_approved_at of the FI's users.
	now func() time.Time
	// horizon is how far past that instant orders are generated (the future a live clock
	// reveals).
	horizon time.Duration
}

// referenceServer builds the reference orders server for the FIs of keys, in front of mock.
func referenceServer(t testing.TB, mock http.Handler, keys []string, opt refOptions) http.Handler {
	s := &refServer{mock: mock, fis: map[string]*refFI{}}
	var asOf time.Time
	type userAccounts struct {
		id       string
		approved map[string]time.Time
	}
	all := map[string][]userAccounts{}
	for _, key := range keys {
		var users []userAccounts
		for cursor := 0; ; cursor += 100 {
			rec := httptest.NewRecorder()
			req := httptest.NewRequest(http.MethodGet, fmt.Sprintf("/v1/users/?per_page=100&last_record_number=%d", cursor), nil)
			req.Header.Set("x-api-key", key)
			mock.ServeHTTP(rec, req)
			require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
			var page struct {
				Items []struct {
					ID       string `json:"user_account_id"`
					Accounts []struct {
						Product    string `json:"product"`
						Status     string `json:"kyc_status"`
						ApprovedAt string `json:"kyc_approved_at"`
					} `json:"accounts"`
				} `json:"items"`
			}
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &page))
			if len(page.Items) == 0 {
				break
			}
			for _, u := range page.Items {
				ua := userAccounts{id: u.ID, approved: map[string]time.Time{}}
				for _, a := range u.Accounts {
					if a.Status == "approved" {
						at, err := time.Parse(time.RFC3339, a.ApprovedAt)
						require.NoError(t, err)
						ua.approved[a.Product] = at
						if at.After(asOf) {
							asOf = at
						}
					}
				}
				users = append(users, ua)
			}
		}
		all[key] = users
	}
	s.now = opt.now
	if s.now == nil {
		s.now = func() time.Time { return asOf }
	}
	symbols := map[string][]string{"crypto": {"BTC", "ETH", "SOL"}, "securities": {"AAPL", "MSFT"}, "roth_ira": {"VTI", "VXUS"}, "robo": {"VOO", "BND"}}
	for ki, key := range keys {
		fi := &refFI{byID: map[string]*refOrder{}}
		s.fis[key] = fi
		if slices.Contains(opt.noOrders, key) {
			continue
		}
		rng := rand.New(rand.NewPCG(uint64(ki)+7, 99))
		uuid := func() string {
			b := make([]byte, 16)
			for i := range b {
				b[i] = byte(rng.UintN(256))
			}
			b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
			return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
		}
		end := asOf.Add(opt.horizon)
		var lastPlaced time.Time
		for _, u := range all[key] {
			for _, prod := range []string{"crypto", "securities", "roth_ira", "robo"} {
				from, ok := u.approved[prod]
				if !ok || rng.IntN(3) == 0 {
					continue
				}
				n := 1 + rng.IntN(4)
				recur := ""
				if rng.IntN(4) == 0 {
					recur = uuid()
				}
				span := end.Sub(from)
				base := from.Add(time.Duration(rng.Int64N(int64(span)/2 + 1)))
				for i := range n {
					o := &refOrder{ID: uuid(), User: u.id, Product: prod, Symbol: symbols[prod][rng.IntN(len(symbols[prod]))], recurID: recur}
					if recur != "" {
						o.Side = "buy"
						o.placed = base.Add(time.Duration(i) * 7 * 24 * time.Hour).Truncate(time.Second)
					} else {
						o.Side = []string{"buy", "sell"}[rng.IntN(2)]
						o.placed = from.Add(time.Duration(rng.Int64N(int64(span) + 1))).Truncate(time.Second)
						// Now and then at the very instant of the order generated before (of
						// another user, most likely): ties in placed_at, broken by order_id.
						if rng.IntN(20) == 0 && !lastPlaced.Before(from) {
							o.placed = lastPlaced
						}
					}
					lastPlaced = o.placed
					if o.placed.After(end) {
						continue
					}
					places := 6
					if prod == "crypto" {
						places = 8
					}
					o.Quantity = decimalString(rng.Int64N(5_000_000_000)+1, places)
					o.Notional = decimalString(rng.Int64N(1_000_000)+100, 2)
					o.Fee = decimalString(rng.Int64N(500), 2)
					o.final = []string{"completed", "completed", "completed", "completed", "cancelled", "failed"}[rng.IntN(6)]
					o.settle = o.placed.Add(time.Duration(rng.Int64N(int64(72*time.Hour))) + time.Second).Truncate(time.Second)
					fi.orders = append(fi.orders, o)
					fi.byID[o.ID] = o
				}
			}
		}
		slices.SortFunc(fi.orders, func(a, b *refOrder) int {
			if c := a.placed.Compare(b.placed); c != 0 {
				return c
			}
			return strings.Compare(a.ID, b.ID)
		})
	}
	return s
}

// Now is the server's time.
func (s *refServer) Now() time.Time { return s.now() }

// readTestdata reads a file of testdata/.
func readTestdata(t testing.TB, name string) []byte {
	data, err := os.ReadFile("testdata/" + name)
	require.NoError(t, err)
	return data
}

func decimalString(units int64, places int) string {
	s := strconv.FormatInt(units, 10)
	for len(s) <= places {
		s = "0" + s
	}
	return s[:len(s)-places] + "." + s[len(s)-places:]
}

// render writes the order as BEHAVIOUR.md orders its keys, as it stands at now.
func (o *refOrder) render(now time.Time) []byte {
	status := "pending"
	if !now.Before(o.settle) {
		status = o.final
	}
	var b bytes.Buffer
	field := func(k string, v any) {
		if b.Len() > 1 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		vb, _ := json.Marshal(v)
		b.Write(kb)
		b.WriteByte(':')
		b.Write(vb)
	}
	b.WriteByte('{')
	field("order_id", o.ID)
	field("user_account_id", o.User)
	field("product", o.Product)
	field("side", o.Side)
	field("symbol", o.Symbol)
	field("quantity", o.Quantity)
	field("notional", o.Notional)
	field("fee", o.Fee)
	field("status", status)
	field("placed_at", o.placed.UTC().Format(time.RFC3339))
	if status == "completed" {
		field("completed_at", o.settle.UTC().Format(time.RFC3339))
	}
	field("is_recurring_order", o.recurID != "")
	if o.recurID != "" {
		field("recurring_order_id", o.recurID)
	}
	b.WriteByte('}')
	return b.Bytes()
}

var refDetailPath = regexp.MustCompile(`^/v1/orders/([^/]+)/$`)

func (s *refServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	if !strings.HasPrefix(p, "/v1/orders") || (p != "/v1/orders" && !strings.HasPrefix(p, "/v1/orders/")) {
		s.mock.ServeHTTP(w, r)
		return
	}
	rest := strings.TrimPrefix(p, "/v1/orders")
	switch {
	case rest == "" || (strings.Count(rest, "/") == 1 && !strings.HasSuffix(rest, "/")):
		// No trailing slash: 307 to the slashed path, query kept, before auth.
		loc := "http://" + r.Host + p + "/"
		if r.URL.RawQuery != "" {
			loc += "?" + r.URL.RawQuery
		}
		w.Header().Set("location", loc)
		w.WriteHeader(http.StatusTemporaryRedirect)
		return
	case rest != "/" && !refDetailPath.MatchString(p):
		writeJSON(w, http.StatusNotFound, `{"detail":"Not Found"}`)
		return
	case r.Method != http.MethodGet:
		w.Header().Set("allow", "GET")
		writeJSON(w, http.StatusMethodNotAllowed, `{"detail":"Method Not Allowed"}`)
		return
	}
	keys, present := r.Header["X-Api-Key"]
	if !present || len(keys) == 0 || keys[0] == "" {
		w.Header().Set("www-authenticate", "APIKey")
		writeJSON(w, http.StatusUnauthorized, `{"detail":"Not authenticated"}`)
		return
	}
	fi, ok := s.fis[keys[0]]
	if !ok {
		writeJSON(w, http.StatusUnauthorized, `{"detail":"Invalid API key"}`)
		return
	}
	now := s.now()
	if m := refDetailPath.FindStringSubmatch(p); m != nil {
		id, _ := url.PathUnescape(m[1])
		o, ok := fi.byID[id]
		if !ok || o.placed.After(now) {
			writeJSON(w, http.StatusNotFound, `{"detail":"Order not found"}`)
			return
		}
		writeJSON(w, http.StatusOK, string(o.render(now)))
		return
	}
	s.list(w, r, fi, now)
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("content-type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

// refQuery is a parsed orders list query.
type refQuery struct {
	user, product, side, status *string
	start, end                  *time.Time
	perPage, cursor             int64
	asc                         bool
}

// list answers GET /v1/orders/: the query validated as pydantic v2 does (every error, in the
// document's parameter order), then filters, placed_at order, paging.
func (s *refServer) list(w http.ResponseWriter, r *http.Request, fi *refFI, now time.Time) {
	raw := r.URL.Query()
	last := func(name string) (string, bool) {
		vs, ok := raw[name]
		if !ok {
			return "", false
		}
		return vs[len(vs)-1], true
	}
	var errs []string
	qv := refQuery{perPage: 25}
	enum := func(name string, allowed []string) *string {
		v, ok := last(name)
		if !ok {
			return nil
		}
		if !slices.Contains(allowed, v) {
			choices := pythonChoices(allowed)
			errs = append(errs, pydanticErr("enum", name, "Input should be "+choices, v, map[string]any{"expected": choices}))
		}
		return &v
	}
	str := func(name string) *string {
		if v, ok := last(name); ok {
			return &v
		}
		return nil
	}
	date := func(name string) *time.Time {
		v, ok := last(name)
		if !ok {
			return nil
		}
		at, msg := parseRefDatetime(v)
		if msg != "" {
			errs = append(errs, pydanticErr("datetime_from_date_parsing", name, "Input should be a valid datetime or date, "+msg, v, map[string]any{"error": msg}))
			return nil
		}
		return &at
	}
	integer := func(name string, lo, hi int64, def int64) int64 {
		v, ok := last(name)
		if !ok {
			return def
		}
		n, ok := parseRefInt(v)
		switch {
		case !ok:
			errs = append(errs, pydanticErr("int_parsing", name, "Input should be a valid integer, unable to parse string as an integer", v, nil))
		case n < lo:
			errs = append(errs, pydanticErr("greater_than_equal", name, fmt.Sprintf("Input should be greater than or equal to %d", lo), v, map[string]any{"ge": lo}))
		case hi > 0 && n > hi:
			errs = append(errs, pydanticErr("less_than_equal", name, fmt.Sprintf("Input should be less than or equal to %d", hi), v, map[string]any{"le": hi}))
		}
		return n
	}
	qv.user = str("user_account_id")
	qv.product = enum("product", []string{"crypto", "securities", "roth_ira", "robo"})
	qv.side = enum("side", []string{"buy", "sell"})
	qv.status = enum("status", []string{"pending", "completed", "cancelled", "failed"})
	qv.start = date("placed_at_start")
	qv.end = date("placed_at_end")
	qv.perPage = integer("per_page", 1, 100, 25)
	qv.cursor = integer("last_record_number", 0, 0, 0)
	order := enum("sort_order", []string{"asc", "desc"})
	if len(errs) > 0 {
		writeJSON(w, http.StatusUnprocessableEntity, `{"detail":[`+strings.Join(errs, ",")+`]}`)
		return
	}
	qv.asc = order != nil && *order == "asc"
	var match []*refOrder
	for _, o := range fi.orders {
		if o.placed.After(now) {
			continue
		}
		status := "pending"
		if !now.Before(o.settle) {
			status = o.final
		}
		if (qv.user != nil && o.User != *qv.user) || (qv.product != nil && o.Product != *qv.product) ||
			(qv.side != nil && o.Side != *qv.side) || (qv.status != nil && status != *qv.status) ||
			(qv.start != nil && o.placed.Before(*qv.start)) || (qv.end != nil && !o.placed.Before(*qv.end)) {
			continue
		}
		match = append(match, o)
	}
	if !qv.asc {
		slices.Reverse(match)
	}
	var items [][]byte
	for i := qv.cursor; i < int64(len(match)) && i < qv.cursor+qv.perPage; i++ {
		items = append(items, match[i].render(now))
	}
	body := fmt.Sprintf(`{"items":[%s],"total_records":%d,"last_record_number":%d,"per_page":%d}`,
		bytes.Join(items, []byte(",")), len(match), qv.cursor+int64(len(items)), qv.perPage)
	writeJSON(w, http.StatusOK, body)
}

func pythonChoices(vals []string) string {
	q := make([]string, len(vals))
	for i, v := range vals {
		q[i] = "'" + v + "'"
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

// pydanticErr renders one entry of FastAPI's 422 detail, keys in pydantic's order.
func pydanticErr(typ, name, msg, input string, ctx map[string]any) string {
	t, _ := json.Marshal(typ)
	n, _ := json.Marshal(name)
	m, _ := json.Marshal(msg)
	in, _ := json.Marshal(input)
	s := fmt.Sprintf(`{"type":%s,"loc":["query",%s],"msg":%s,"input":%s`, t, n, m, in)
	if ctx != nil {
		c, _ := json.Marshal(ctx)
		s += `,"ctx":` + string(c)
	}
	return s + "}"
}

var refIntRE = regexp.MustCompile(`^[+-]?[0-9](_?[0-9])*(\.0*)?$`)

// parseRefInt parses an integer as pydantic's lax mode does.
func parseRefInt(v string) (int64, bool) {
	v = strings.TrimSpace(v)
	if !refIntRE.MatchString(v) {
		return 0, false
	}
	v, _, _ = strings.Cut(strings.ReplaceAll(v, "_", ""), ".")
	n, err := strconv.ParseInt(v, 10, 64)
	return n, err == nil
}

var (
	refDateRE = regexp.MustCompile(`^([0-9]{4})-([0-9]{2})-([0-9]{2})`)
	refTimeRE = regexp.MustCompile(`^[Tt _]([0-9]{2}):([0-9]{2})(:([0-9]{2})(\.([0-9]+))?)?([Zz]|[+-][0-9]{2}:?[0-9]{2})?$`)
)

// parseRefDatetime parses a datetime as pydantic's lax mode does, for the forms the suite
// sends; an error comes back as speedate's date message.
func parseRefDatetime(v string) (time.Time, string) {
	if n, err := strconv.ParseFloat(v, 64); err == nil {
		if n > 2e10 || n < -2e10 {
			n /= 1000
		}
		return time.UnixMicro(int64(n * 1e6)).UTC(), ""
	}
	if len(v) < 10 {
		return time.Time{}, "input is too short"
	}
	m := refDateRE.FindStringSubmatch(v)
	if m == nil {
		if v[4] != '-' || v[7] != '-' {
			return time.Time{}, "invalid date separator, expected `-`"
		}
		return time.Time{}, "invalid character in year"
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	d, _ := strconv.Atoi(m[3])
	if mo < 1 || mo > 12 {
		return time.Time{}, "month value is outside expected range of 1-12"
	}
	day := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
	if d < 1 || day.Month() != time.Month(mo) {
		return time.Time{}, "day value is outside expected range"
	}
	rest := v[10:]
	if rest == "" {
		return day, ""
	}
	tm := refTimeRE.FindStringSubmatch(rest)
	if tm == nil {
		return time.Time{}, "unexpected extra characters at the end of the input"
	}
	h, _ := strconv.Atoi(tm[1])
	mi, _ := strconv.Atoi(tm[2])
	sec, _ := strconv.Atoi(tm[4])
	frac := tm[6]
	if h > 23 || mi > 59 || sec > 59 {
		return time.Time{}, "unexpected extra characters at the end of the input"
	}
	for len(frac) < 6 {
		frac += "0"
	}
	us, _ := strconv.Atoi(frac[:6])
	loc := time.UTC
	if z := tm[7]; z != "" && z != "Z" && z != "z" {
		zz := strings.ReplaceAll(z[1:], ":", "")
		zh, _ := strconv.Atoi(zz[:2])
		zm, _ := strconv.Atoi(zz[2:])
		off := zh*3600 + zm*60
		if z[0] == '-' {
			off = -off
		}
		loc = time.FixedZone("", off)
	}
	return time.Date(y, time.Month(mo), d, h, mi, sec, us*1000, loc).UTC(), ""
}

// liveClock is a clock that runs speed times faster than the wall clock, from start.
func liveClock(start time.Time, speed float64) func() time.Time {
	wall := time.Now()
	return func() time.Time {
		return start.Add(time.Duration(float64(time.Since(wall)) * speed))
	}
}
