package gen

import (
	"fmt"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/mock/internal/domain"
)

// specSides and specOrderStatuses are the reference spec's order enums, in spec order.
var (
	specSides         = []domain.OrderSide{"buy", "sell"}
	specOrderStatuses = []domain.OrderStatus{"pending", "completed", "cancelled", "failed"}
)

// testOrderParams returns the OrderParams of the tenant p whose generated users are all: the
// default orders per user and the reference spec's enums.
func testOrderParams(p Params, all []domain.User) OrderParams {
	return OrderParams{
		Seed: p.Seed, AsOf: p.AsOf, Future: p.Future, PerUser: DefaultOrdersPerUser,
		Products: p.Products, Sides: specSides, Statuses: specOrderStatuses,
		Users: all, WindowUsers: p.Users,
	}
}

// wantFeeBP is each product's fee in basis points of the notional: 1.49% for crypto,
// commission-free brokerage and retirement accounts, 0.25% for robo.
var wantFeeBP = map[domain.Product]int64{"crypto": 149, "securities": 0, "roth_ira": 0, "robo": 25}

// Instruments by kind: each product trades one kind (coins for crypto, listed stocks and ETFs
// for securities, funds for roth_ira and robo).
var (
	coins  = []string{"BTC", "ETH", "SOL", "USDC", "DOGE", "ADA", "LINK", "AVAX"}
	stocks = []string{"AAPL", "MSFT", "NVDA", "AMZN", "GOOGL", "TSLA", "META", "SPY", "QQQ", "JPM", "KO"}
	funds  = []string{"VTI", "VOO", "VXUS", "BND", "SCHD", "VEA", "VWO", "VTIP"}

	instruments = map[domain.Product][]string{"crypto": coins, "securities": stocks, "roth_ira": funds, "robo": funds}
)

// fitsProduct reports whether symbol is an instrument product trades. A product the generator
// has no figures for trades its generic funds.
func fitsProduct(product domain.Product, name string) bool {
	if kind, ok := instruments[product]; ok {
		return slices.Contains(kind, name)
	}
	return slices.ContainsFunc(unknownProductOrders.symbols, func(s symbol) bool { return s.name == name })
}

// referencePrice returns the reference price in cents of symbol as product trades it.
func referencePrice(product domain.Product, name string) int64 {
	m, ok := knownProductOrders[product]
	if !ok {
		m = unknownProductOrders
	}
	for _, s := range m.symbols {
		if s.name == name {
			return s.price
		}
	}
	return 0
}

// orderProblems checks the rules every generated order book obeys (BEHAVIOUR.md, "Orders" and
// "Time"), whatever its params, and returns the first problems it finds. p and all are the
// users' params and population; op the orders' params.
func orderProblems(p Params, op OrderParams, all []domain.User, book domain.OrderBook) []string {
	var out []string
	add := func(format string, args ...any) {
		if len(out) < maxProblems {
			out = append(out, fmt.Sprintf(format, args...))
		}
	}
	v := book.Vocab
	if !slices.Equal(v.Products, op.Products) || !slices.Equal(v.Sides, op.Sides) || !slices.Equal(v.Statuses, op.Statuses) {
		add("vocabulary %v %v %v, want the params' enums", v.Products, v.Sides, v.Statuses)
		return out
	}
	pending := slices.Index(v.Statuses, domain.OrderPending)
	buy := slices.Index(v.Sides, "buy")
	end := horizon(p) * 1e6

	ids := make(map[domain.UUID]bool, len(book.Orders))
	series := map[int32][]int{}
	for i := range book.Orders {
		o := &book.Orders[i]
		at := fmt.Sprintf("order %d (%s)", i, o.ID)
		if ids[o.ID] {
			add("%s: duplicate id", at)
		}
		ids[o.ID] = true
		if op.Reserved[o.ID] {
			add("%s: reserved id generated", at)
		}
		if o.ID[6]>>4 != 4 || o.ID[8]>>6 != 2 {
			add("%s: not a version 4 UUID", at)
		}
		if int(o.User) < 0 || int(o.User) >= len(all) {
			add("%s: user %d is not a generated user", at, o.User)
			continue
		}
		if int(o.Product) >= len(v.Products) || int(o.Side) >= len(v.Sides) || int(o.Status) >= len(v.Statuses) ||
			int(o.Symbol) >= len(v.Symbols) {
			add("%s: codes out of the vocabulary: product %d side %d status %d symbol %d", at, o.Product, o.Side, o.Status, o.Symbol)
			continue
		}
		u := &all[o.User]
		product, symbol := v.Products[o.Product], v.Symbols[o.Symbol]
		if int(o.Status) == pending {
			add("%s: pending is where orders wait, not a final state", at)
		}

		// The order's user holds an approved account for its product, approved by placed_at.
		switch a, ok := u.Account(product); {
		case !ok:
			add("%s: user %s has no %s account", at, u.ID, product)
		case a.Status != domain.StatusApproved:
			add("%s: user %s's %s account is %s", at, u.ID, product, a.Status)
		case o.PlacedAt < a.ApprovedAt*1e6 || a.StatusAt(o.PlacedAt) != domain.StatusApproved:
			add("%s: placed at %s, before %s's %s approval at %s", at, time.UnixMicro(o.PlacedAt).UTC(), u.ID, product,
				time.Unix(a.ApprovedAt, 0).UTC())
		}
		if o.PlacedAt < u.CreatedAt {
			add("%s: placed before its user signed up", at)
		}
		if o.PlacedAt%1e6 != 0 || o.PlacedAt >= end {
			add("%s: placed_at %d µs not whole seconds before the horizon %d", at, o.PlacedAt, end)
		}
		if o.SettledAt <= o.PlacedAt {
			add("%s: settles at %d, not after placed_at %d", at, o.SettledAt, o.PlacedAt)
		}

		// Figures: symbol, decimals, money.
		if !fitsProduct(product, symbol) {
			add("%s: %s is not traded on %s", at, symbol, product)
		}
		wantPlaces := uint8(6)
		if product == "crypto" {
			wantPlaces = 8
		}
		if o.QuantityPlaces != wantPlaces {
			add("%s: %s quantity with %d places, want %d", at, product, o.QuantityPlaces, wantPlaces)
		}
		if o.Quantity <= 0 || o.Notional <= 0 || o.Fee < 0 {
			add("%s: quantity %d, notional %s, fee %s: want quantity and notional > 0, fee >= 0", at, o.Quantity, o.Notional, o.Fee)
		}
		if bp, ok := wantFeeBP[product]; ok && int64(o.Fee) != (int64(o.Notional)*bp+5000)/10000 {
			add("%s: %s fee %s on %s, want %d bp", at, product, o.Fee, o.Notional, bp)
		}
		// The notional buys the quantity at a price within 5% of the symbol's reference, in
		// whole cents (so DOGE at 25 cents trades at 23 to 26). The quantity is rounded down
		// to a unit: with at least 100 units, the price it implies is at most 1% above.
		if ref := referencePrice(product, symbol); ref > 0 && o.Quantity >= 100 {
			price := float64(o.Notional) * float64(pow10[o.QuantityPlaces]) / float64(o.Quantity)
			lo, hi := float64(max(ref*9500/10_000, 1)), float64(ref*10_500/10_000)
			if price < lo || price > hi*1.01 {
				add("%s: %s of %s for %s: a price of %.2f cents, outside [%.0f, %.0f]", at,
					domain.AppendDecimal(nil, o.Quantity, o.QuantityPlaces), symbol, o.Notional, price, lo, hi)
			}
		}
		if o.Series < -1 || int(o.Series) >= len(book.Series) {
			add("%s: series %d out of range", at, o.Series)
		} else if o.Recurring() {
			series[o.Series] = append(series[o.Series], i)
		}
	}

	seriesIDs := map[domain.UUID]bool{}
	for _, id := range book.Series {
		if seriesIDs[id] {
			add("recurring_order_id %s twice", id)
		}
		seriesIDs[id] = true
	}
	for s, idx := range series {
		if problem := seriesProblem(book, idx, buy); problem != "" {
			add("series %d (%s): %s", s, book.Series[s], problem)
		}
	}
	return out
}

// seriesProblem returns what is wrong with the orders at idx, which share a series, or "": a
// series is one user's buys of one symbol on one product, for one amount, weekly (7 days apart)
// or monthly (the same day and time of consecutive months), completed or failed.
func seriesProblem(book domain.OrderBook, idx []int, buy int) string {
	orders := make([]domain.Order, len(idx))
	for k, i := range idx {
		orders[k] = book.Orders[i]
	}
	slices.SortFunc(orders, func(a, b domain.Order) int { return int(a.PlacedAt/1e6 - b.PlacedAt/1e6) })
	first := orders[0]
	for _, o := range orders {
		switch {
		case o.User != first.User || o.Product != first.Product || o.Symbol != first.Symbol:
			return "mixes users, products or symbols"
		case int(o.Side) != buy:
			return fmt.Sprintf("holds a %s", book.Vocab.Sides[o.Side])
		case o.Notional != first.Notional:
			return fmt.Sprintf("buys %s and %s", first.Notional, o.Notional)
		case book.Vocab.Statuses[o.Status] != domain.OrderCompleted && book.Vocab.Statuses[o.Status] != "failed":
			return fmt.Sprintf("ends %s", book.Vocab.Statuses[o.Status])
		}
	}
	if len(orders) < 2 {
		return ""
	}
	start := time.UnixMicro(first.PlacedAt).UTC()
	weekly, monthly := true, true
	for k, o := range orders {
		at := time.UnixMicro(o.PlacedAt).UTC()
		weekly = weekly && at.Equal(start.AddDate(0, 0, 7*k))
		monthly = monthly && at.Equal(start.AddDate(0, k, 0))
	}
	if !weekly && !monthly {
		return fmt.Sprintf("%d buys from %s neither weekly nor monthly", len(orders), start)
	}
	return ""
}

// generateBook generates users by p and their orders by op, edited by editOrders.
func generateBook(t testing.TB, p Params, editOrders func(op *OrderParams)) ([]domain.User, OrderParams, domain.OrderBook) {
	t.Helper()
	all, err := Generate(p)
	require.NoError(t, err)
	op := testOrderParams(p, all)
	if editOrders != nil {
		editOrders(&op)
	}
	book, err := GenerateOrders(op)
	require.NoError(t, err)
	return all, op, book
}

func TestEveryOrderBookKeepsTheInvariants(t *testing.T) {
	tests := []struct {
		name       string
		edit       func(p *Params)
		editOrders func(op *OrderParams)
		noOrders   bool
	}{
		{name: "default tenant with a year of future", edit: func(p *Params) { p.Future = testFuture }},
		{name: "no future", edit: func(p *Params) {}},
		{name: "36-hour future", edit: func(p *Params) { p.Future = 36 * time.Hour }},
		{name: "no pending KYC state", edit: func(p *Params) {
			p.Future = testFuture
			p.Statuses = []domain.KycStatus{"approved", "rejected"}
		}},
		{name: "extra product, side and status", edit: func(p *Params) {
			p.Future = testFuture
			p.Products = append(slices.Clone(specProducts), "margin")
		}, editOrders: func(op *OrderParams) {
			op.Sides = []domain.OrderSide{"buy", "sell", "short"}
			op.Statuses = []domain.OrderStatus{"pending", "completed", "cancelled", "failed", "expired"}
		}},
		{name: "enums in another order", edit: func(p *Params) {
			p.Future = testFuture
			p.Products = []domain.Product{"robo", "roth_ira", "securities", "crypto"}
		}, editOrders: func(op *OrderParams) {
			op.Sides = []domain.OrderSide{"sell", "buy"}
			op.Statuses = []domain.OrderStatus{"failed", "cancelled", "completed", "pending"}
		}},
		{name: "only pending and completed", edit: func(p *Params) { p.Future = testFuture }, editOrders: func(op *OrderParams) {
			op.Statuses = []domain.OrderStatus{"pending", "completed"}
		}},
		{name: "ten orders per user", edit: func(p *Params) { p.Future = testFuture }, editOrders: func(op *OrderParams) {
			op.PerUser = 1000
		}},
		{name: "half an order per user: fewer than the recurring buys alone", edit: func(p *Params) { p.Future = testFuture },
			editOrders: func(op *OrderParams) { op.PerUser = 50 }},
		{name: "no orders", edit: func(p *Params) { p.Future = testFuture }, editOrders: func(op *OrderParams) {
			op.PerUser = 0
		}, noOrders: true},
		{name: "one-week window, fractional as_of", edit: func(p *Params) {
			p.Window = 7 * 24 * time.Hour
			p.AsOf = testAsOf.Add(300 * time.Millisecond)
			p.Future = 36 * time.Hour
		}, editOrders: func(op *OrderParams) { op.AsOf = testAsOf.Add(300 * time.Millisecond) }},
		{name: "a product unknown to the generator", edit: func(p *Params) {
			p.Future = testFuture
			p.Products = []domain.Product{"gold"}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := testParams(20_000)
			tt.edit(&p)
			all, op, book := generateBook(t, p, tt.editOrders)
			if tt.noOrders {
				assert.Empty(t, book.Orders)
				assert.Empty(t, book.Series)
				return
			}
			require.NotEmpty(t, book.Orders)
			require.Empty(t, orderProblems(p, op, all, book))
		})
	}
}

func TestOrdersSpanThePastAndTheFuture(t *testing.T) {
	tests := []struct {
		name   string
		future time.Duration
	}{
		{name: "a year of future", future: testFuture},
		{name: "no future", future: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := testParams(20_000)
			p.Future = tt.future
			all, op, book := generateBook(t, p, nil)
			require.Empty(t, orderProblems(p, op, all, book))
			asOf := p.AsOf.UnixMicro()
			var past, future, ofFutureUsers int
			for _, o := range book.Orders {
				if o.PlacedAt < asOf {
					past++
				} else {
					future++
				}
				if int(o.User) >= p.Users {
					ofFutureUsers++
					assert.GreaterOrEqual(t, o.PlacedAt, asOf, "a future user trades after signing up")
				}
			}
			t.Logf("%d orders before as_of, %d after; %d of the future's users", past, future, ofFutureUsers)
			assert.Positive(t, past)
			if tt.future == 0 {
				assert.Zero(t, future)
				return
			}
			assert.Positive(t, future)
			assert.Positive(t, ofFutureUsers)
		})
	}
}

func TestGenerateOrdersIsDeterministic(t *testing.T) {
	p := testParams(3*chunkSize + 123)
	p.Future = testFuture
	all, op, want := generateBook(t, p, nil)
	pristine, err := Generate(p)
	require.NoError(t, err)
	require.Equal(t, pristine, all, "GenerateOrders leaves the users as they were")

	t.Run("same params", func(t *testing.T) {
		got, err := GenerateOrders(op)
		require.NoError(t, err)
		require.Equal(t, want, got)
	})
	t.Run("equal params built apart", func(t *testing.T) {
		// Nothing but the params' values reaches the book: not the slices' identity, not the
		// reserved map's iteration order, not an earlier call.
		again := testOrderParams(p, pristine)
		again.Reserved = map[domain.UUID]bool{}
		got, err := GenerateOrders(again)
		require.NoError(t, err)
		require.Equal(t, want, got)
	})
	t.Run("GOMAXPROCS", func(t *testing.T) {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
		for _, procs := range []int{1, 2, 3} {
			runtime.GOMAXPROCS(procs)
			got, err := GenerateOrders(op)
			require.NoError(t, err)
			require.Equal(t, want, got, "GOMAXPROCS=%d", procs)
		}
	})
}

func TestDifferentSeedsGiveDifferentOrders(t *testing.T) {
	p := testParams(5000)
	p.Future = testFuture
	all, op, a := generateBook(t, p, nil)
	op.Seed++
	b, err := GenerateOrders(op)
	require.NoError(t, err)
	require.Empty(t, orderProblems(p, op, all, b))
	same := 0
	for i := range min(len(a.Orders), len(b.Orders)) {
		if a.Orders[i].ID == b.Orders[i].ID || a.Orders[i].PlacedAt == b.Orders[i].PlacedAt {
			same++
		}
	}
	assert.Less(t, same, 100, "ids and placed_at differ for almost every order")
}

func TestReservedOrderIDsAreNeverGenerated(t *testing.T) {
	p := testParams(3 * chunkSize)
	p.Future = testFuture
	all, op, unreserved := generateBook(t, p, nil)
	require.Greater(t, len(unreserved.Orders), 1000)

	// Reserve ids the unreserved book hands out: the first, one just past the first chunk of
	// users and the last.
	op.Reserved = map[domain.UUID]bool{}
	chunks := map[int32]bool{}
	firstOfChunk1 := slices.IndexFunc(unreserved.Orders, func(o domain.Order) bool { return o.User >= chunkSize })
	require.Positive(t, firstOfChunk1)
	for _, i := range []int{0, firstOfChunk1, len(unreserved.Orders) - 1} {
		op.Reserved[unreserved.Orders[i].ID] = true
		chunks[unreserved.Orders[i].User/chunkSize] = true
	}
	book, err := GenerateOrders(op)
	require.NoError(t, err)
	require.Empty(t, orderProblems(p, op, all, book), "no reserved id among them")

	// Only the chunks of users whose orders drew a reserved id change.
	var want, got []domain.Order
	for _, o := range unreserved.Orders {
		if !chunks[o.User/chunkSize] {
			want = append(want, o)
		}
	}
	for _, o := range book.Orders {
		if !chunks[o.User/chunkSize] {
			got = append(got, o)
		}
	}
	require.NotEmpty(t, want)
	assert.Equal(t, len(want), len(got))
	for i := range min(len(want), len(got)) {
		require.Equal(t, want[i].Recurring(), got[i].Recurring(), "order %d of the unchanged chunks", i)
		if want[i].Recurring() {
			want[i].Series, got[i].Series = 0, 0 // series numbers count those of earlier chunks
		}
		require.Equal(t, want[i], got[i], "order %d of the unchanged chunks", i)
	}
}

func TestGenerateOrdersWithoutUsers(t *testing.T) {
	p := testParams(0)
	_, op, book := generateBook(t, p, nil)
	assert.Empty(t, book.Orders)
	assert.Empty(t, book.Series)
	assert.Equal(t, op.Products, book.Vocab.Products)
	assert.Equal(t, op.Statuses, book.Vocab.Statuses)
}

func TestGenerateOrdersRefusesBadParams(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(op *OrderParams)
		wantErr string
	}{
		{name: "negative orders per user", edit: func(op *OrderParams) { op.PerUser = -1 },
			wantErr: "orders_per_user: must be from 0 to 1000, got -0.01"},
		{name: "more than a thousand orders per user", edit: func(op *OrderParams) { op.PerUser = 100_001 },
			wantErr: "orders_per_user: must be from 0 to 1000, got 1000.01"},
		{name: "no pending state", edit: func(op *OrderParams) { op.Statuses = []domain.OrderStatus{"completed", "failed"} },
			wantErr: `statuses: must hold "pending" and "completed", got [completed failed]`},
		{name: "no completed state", edit: func(op *OrderParams) { op.Statuses = []domain.OrderStatus{"pending", "failed"} },
			wantErr: `statuses: must hold "pending" and "completed", got [pending failed]`},
		{name: "no sides", edit: func(op *OrderParams) { op.Sides = nil },
			wantErr: "sides and products: must not be empty"},
		{name: "no products", edit: func(op *OrderParams) { op.Products = nil },
			wantErr: "sides and products: must not be empty"},
		{name: "every problem at once", edit: func(op *OrderParams) {
			op.PerUser = -300
			op.Statuses = nil
			op.Sides = nil
		}, wantErr: "orders_per_user: must be from 0 to 1000, got -3.00\n" +
			`statuses: must hold "pending" and "completed", got []` + "\n" +
			"sides and products: must not be empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			op := testOrderParams(testParams(10), nil)
			tt.edit(&op)
			_, err := GenerateOrders(op)
			require.EqualError(t, err, tt.wantErr)
		})
	}
}

// orderPopulationUsers is the size of the population the order figures are measured on.
const orderPopulationUsers = 100_000

// orderPopulation is the default-like tenant the order figures are measured on: users with a
// year of future and their orders at the default rate. It is generated once, for every test
// that reads it.
var orderPopulation = sync.OnceValues(func() (*bookFixture, error) {
	p := testParams(orderPopulationUsers)
	p.Future = testFuture
	all, err := Generate(p)
	if err != nil {
		return nil, err
	}
	op := testOrderParams(p, all)
	book, err := GenerateOrders(op)
	if err != nil {
		return nil, err
	}
	return &bookFixture{p: p, op: op, users: all, book: book}, nil
})

// bookFixture is a generated tenant: its users and orders with their params.
type bookFixture struct {
	p     Params
	op    OrderParams
	users []domain.User
	book  domain.OrderBook
}

// defaultBook returns orderPopulation.
func defaultBook(t *testing.T) *bookFixture {
	t.Helper()
	f, err := orderPopulation()
	require.NoError(t, err)
	return f
}

// placedByAsOf counts the orders the window's users placed before as_of: all of them, and the
// recurring ones.
func placedByAsOf(f *bookFixture, book domain.OrderBook) (all, recurring int) {
	asOf := f.p.AsOf.UnixMicro()
	for _, o := range book.Orders {
		if int(o.User) < f.p.Users && o.PlacedAt < asOf {
			all++
			if o.Recurring() {
				recurring++
			}
		}
	}
	return all, recurring
}

func TestOrdersPerUserIsTheMeanPlacedByAsOf(t *testing.T) {
	f := defaultBook(t)
	tests := []struct {
		name    string
		perUser int64
	}{
		{name: "default, 3.00", perUser: DefaultOrdersPerUser},
		{name: "1.50", perUser: 150},
		{name: "0.50, fewer than the recurring buys alone", perUser: 50},
		{name: "6.00", perUser: 600},
		{name: "none", perUser: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			book := f.book
			if tt.perUser != DefaultOrdersPerUser {
				op := f.op
				op.PerUser = tt.perUser
				var err error
				book, err = GenerateOrders(op)
				require.NoError(t, err)
			}
			n, recurring := placedByAsOf(f, book)
			mean := float64(n) / float64(f.p.Users)
			t.Logf("orders_per_user %d.%02d: %.3f orders per window user by as_of (%.3f recurring), %d orders in all",
				tt.perUser/100, tt.perUser%100, mean, float64(recurring)/float64(f.p.Users), len(book.Orders))
			if tt.perUser == 0 {
				assert.Empty(t, book.Orders, "no orders at all, the future's included")
				return
			}
			assert.InEpsilon(t, float64(tt.perUser)/100, mean, 0.03)
		})
	}
}

func TestOrderFiguresAtScale(t *testing.T) {
	f := defaultBook(t)
	book, v := f.book, f.book.Vocab
	asOf := f.p.AsOf.UnixMicro()
	require.Empty(t, orderProblems(f.p, f.op, f.users, book))

	finalOneOff, finalRecurring := map[domain.OrderStatus]int{}, map[domain.OrderStatus]int{}
	sides := map[domain.OrderSide]int{}
	symbols := map[domain.Product]map[string]int{}
	notionals := map[domain.Product][]int64{}
	fees, volume := map[domain.Product]int64{}, map[domain.Product]int64{}
	var oneOffs, recurring int
	// Pending at as_of among the orders placed in its last hour, its last day and before.
	var lastHour, lastHourPending, lastDay, lastDayPending, older, olderPending int
	for _, o := range book.Orders {
		product := v.Products[o.Product]
		if symbols[product] == nil {
			symbols[product] = map[string]int{}
		}
		symbols[product][v.Symbols[o.Symbol]]++
		fees[product] += int64(o.Fee)
		volume[product] += int64(o.Notional)
		if o.Recurring() {
			recurring++
			finalRecurring[v.Statuses[o.Status]]++
		} else {
			oneOffs++
			finalOneOff[v.Statuses[o.Status]]++
			sides[v.Sides[o.Side]]++
			notionals[product] = append(notionals[product], int64(o.Notional))
		}
		if o.PlacedAt >= asOf {
			continue
		}
		pending := v.Statuses[o.StatusAt(asOf, 0)] == domain.OrderPending
		switch age := asOf - o.PlacedAt; {
		case age <= int64(time.Hour/time.Microsecond):
			lastHour++
			lastDay++
			if pending {
				lastHourPending++
				lastDayPending++
			}
		case age <= int64(24*time.Hour/time.Microsecond):
			lastDay++
			if pending {
				lastDayPending++
			}
		default:
			older++
			if pending {
				olderPending++
			}
		}
	}
	share := func(n, of int) float64 { return float64(n) / float64(of) }

	t.Logf("%d orders (%d one-off, %d recurring in %d series) for %d users (%d of the window)",
		len(book.Orders), oneOffs, recurring, len(book.Series), len(f.users), f.p.Users)
	for _, s := range v.Statuses {
		t.Logf("final %-9s one-off %5.2f%%, recurring %5.2f%%", s, 100*share(finalOneOff[s], oneOffs), 100*share(finalRecurring[s], recurring))
	}
	t.Logf("one-off sides: buy %.1f%%, sell %.1f%%", 100*share(sides["buy"], oneOffs), 100*share(sides["sell"], oneOffs))
	t.Logf("pending at as_of: %.1f%% of the last hour's orders, %.1f%% of the last day's, %.3f%% of older ones",
		100*share(lastHourPending, lastHour), 100*share(lastDayPending, lastDay), 100*share(olderPending, older))

	t.Run("final states", func(t *testing.T) {
		assert.InDelta(t, 0.92, share(finalOneOff["completed"], oneOffs), 0.01, "one-off orders completed")
		assert.InDelta(t, 0.05, share(finalOneOff["cancelled"], oneOffs), 0.01, "one-off orders cancelled")
		assert.InDelta(t, 0.03, share(finalOneOff["failed"], oneOffs), 0.01, "one-off orders failed")
		assert.InDelta(t, 0.97, share(finalRecurring["completed"], recurring), 0.01, "recurring buys completed")
		assert.InDelta(t, 0.03, share(finalRecurring["failed"], recurring), 0.01, "recurring buys failed")
		assert.Zero(t, finalOneOff["pending"]+finalRecurring["pending"], "pending is never final")
	})
	t.Run("the most recent orders are more often pending", func(t *testing.T) {
		require.Positive(t, lastHour)
		assert.Greater(t, share(lastHourPending, lastHour), 0.1)
		assert.Greater(t, share(lastHourPending, lastHour), share(lastDayPending, lastDay))
		assert.Greater(t, share(lastDayPending, lastDay), 20*share(olderPending, older))
		assert.Less(t, share(olderPending, older), 0.01)
	})
	t.Run("sides", func(t *testing.T) {
		assert.InDelta(t, 0.65, share(sides["buy"], oneOffs), 0.02, "one-off buys")
		assert.InDelta(t, 0.35, share(sides["sell"], oneOffs), 0.02, "one-off sells")
	})
	t.Run("fees depend on the product", func(t *testing.T) {
		for _, p := range specProducts {
			require.Positive(t, volume[p], p)
			got := 10_000 * float64(fees[p]) / float64(volume[p])
			t.Logf("%-10s fees %.2f bp of %s", p, got, domain.Money(volume[p]))
			// Each fee is rounded half up to the cent, which adds up to a tenth of a basis
			// point or so on small robo deposits.
			assert.InDelta(t, float64(wantFeeBP[p]), got, 0.3, "fees on %s in basis points", p)
		}
	})
	t.Run("every instrument of a product trades", func(t *testing.T) {
		for _, p := range specProducts {
			for _, s := range instruments[p] {
				if referencePrice(p, s) > 0 {
					assert.Positive(t, symbols[p][s], "%s on %s", s, p)
				}
			}
		}
	})
	t.Run("notionals have a long tail", func(t *testing.T) {
		for _, p := range specProducts {
			n := notionals[p]
			slices.Sort(n)
			median := n[len(n)/2]
			tenfold := len(n) - sortedIndex(n, 10*median)
			t.Logf("%-10s one-off notional median %s, 99th percentile %s, largest %s, over 10x the median %.2f%%",
				p, domain.Money(median), domain.Money(n[len(n)*99/100]), domain.Money(n[len(n)-1]), 100*share(tenfold, len(n)))
			assert.InEpsilon(t, float64(knownProductOrders[p].median), float64(median), 0.05, "median %s notional", p)
			// Log-normal with sigma 0.45 decades: about 1.3% of orders are over ten times the
			// median, and the largest of thousands tens of times it.
			assert.Greater(t, share(tenfold, len(n)), 0.005, "%s orders over ten times the median", p)
			assert.Less(t, share(tenfold, len(n)), 0.03, "%s orders over ten times the median", p)
			assert.Greater(t, n[len(n)-1], 20*median, "largest %s order", p)
			assert.GreaterOrEqual(t, n[0], int64(minNotional))
			assert.LessOrEqual(t, n[len(n)-1], int64(maxNotional))
		}
	})
	t.Run("recurring series", func(t *testing.T) {
		count := map[int32]int{}
		firstTwo := map[int32][]int64{}
		for _, o := range book.Orders {
			if o.Recurring() {
				count[o.Series]++
				if len(firstTwo[o.Series]) < 2 {
					firstTwo[o.Series] = append(firstTwo[o.Series], o.PlacedAt)
				}
			}
		}
		var weekly, monthly int
		for _, times := range firstTwo {
			if len(times) < 2 {
				continue
			}
			if times[1]-times[0] == int64(7*24*time.Hour/time.Microsecond) {
				weekly++
			} else {
				monthly++
			}
		}
		t.Logf("%d series with orders of %d, %d weekly and %d monthly among those with two buys or more",
			len(count), len(book.Series), weekly, monthly)
		assert.InDelta(t, 0.3, share(weekly, weekly+monthly), 0.03, "weekly series")
		assert.Greater(t, len(count), len(book.Series)*9/10, "series have orders")
	})
}

func TestUnknownOrderEnumsAreGenerated(t *testing.T) {
	p := testParams(50_000)
	p.Future = testFuture
	p.Products = append(slices.Clone(specProducts), "margin")
	all, op, book := generateBook(t, p, func(op *OrderParams) {
		op.Sides = []domain.OrderSide{"buy", "sell", "short"}
		op.Statuses = []domain.OrderStatus{"pending", "completed", "cancelled", "failed", "expired"}
	})
	require.Empty(t, orderProblems(p, op, all, book))
	v := book.Vocab
	sides := map[domain.OrderSide]int{}
	statuses := map[domain.OrderStatus]int{}
	products := map[domain.Product]int{}
	var oneOffs, recurringExpired int
	for _, o := range book.Orders {
		products[v.Products[o.Product]]++
		if o.Recurring() {
			if v.Statuses[o.Status] == "expired" {
				recurringExpired++
			}
			continue
		}
		oneOffs++
		sides[v.Sides[o.Side]]++
		statuses[v.Statuses[o.Status]]++
	}
	t.Logf("one-off orders: short %.2f%%, expired %.2f%%; margin orders %d",
		100*float64(sides["short"])/float64(oneOffs), 100*float64(statuses["expired"])/float64(oneOffs), products["margin"])
	// Present, not crowding: a side the generator does not know weighs 500 against 10,000, a
	// state 150.
	assert.InDelta(t, 500.0/10_500, float64(sides["short"])/float64(oneOffs), 0.01)
	assert.InDelta(t, 150.0/10_150, float64(statuses["expired"])/float64(oneOffs), 0.005)
	assert.Zero(t, recurringExpired, "recurring buys complete or fail")
	assert.Positive(t, products["margin"])
	assert.Less(t, products["margin"], products["roth_ira"])
}
