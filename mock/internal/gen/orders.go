package gen

import (
	"bytes"
	"errors"
	"fmt"
	"math/bits"
	"slices"
	"sort"
	"sync/atomic"
	"time"

	"github.com/cryptofi/partner-mock/mock/internal/domain"
	"github.com/cryptofi/partner-mock/mock/internal/radix"
)

// OrderParams says what orders to generate for a tenant's users.
type OrderParams struct {
	Seed uint64
	// AsOf and Future are the users' (Params): orders are placed up to AsOf+Future.
	AsOf   time.Time
	Future time.Duration
	// PerUser is the mean number of orders a user of the window has placed by AsOf, in
	// hundredths (300 is 3.00).
	PerUser int64
	// Products, Sides and Statuses are the spec's enums in spec order; Statuses must hold
	// "pending" and "completed".
	Products []domain.Product
	Sides    []domain.OrderSide
	Statuses []domain.OrderStatus
	// Users are the generated users, the window's (the first WindowUsers) and the future's:
	// orders are placed on their approved accounts. Pinned users get no generated orders.
	Users       []domain.User
	WindowUsers int
	// Reserved holds ids that must not be generated: the pinned orders'.
	Reserved map[domain.UUID]bool
}

// GenerateOrders returns the orders of p's users. It is a pure function of p and Version.
//
// Each approved account trades from its approval to the horizon: one-off orders at a rate
// that is the account's activity (long-tailed, scaled by product) times one tenant-wide scale,
// chosen so that the window's users have placed PerUser orders each by AsOf on average, and,
// for some accounts, a recurring weekly or monthly buy. Every order settles after a delay that
// depends on its product: most complete, some are cancelled or fail.
func GenerateOrders(p OrderParams) (domain.OrderBook, error) {
	s, err := GenerateOrderStore(p, false)
	if err != nil {
		return domain.OrderBook{}, err
	}
	return s.Book(), nil
}

// GenerateOrderStore returns the orders GenerateOrders returns, in a compact store. With byTime
// the store holds them ordered by placed_at, ties by order_id (the order every list reads them
// in); otherwise in GenerateOrders' order.
func GenerateOrderStore(p OrderParams, byTime bool) (*domain.OrderStore, error) {
	pl, err := p.compile()
	if err != nil {
		return nil, err
	}
	chunks := (len(p.Users) + chunkSize - 1) / chunkSize
	// Pass one: the activity of every account and the recurring buys before AsOf, which fix the
	// scale. Pass two replays the same draws and places the orders.
	var weight, recurring atomic.Uint64
	forEachChunk(chunks, func() func(int) {
		return func(c int) {
			lo, hi := chunkBounds(c, len(p.Users))
			w, r := pl.planChunk(p.Users[lo:hi], c)
			weight.Add(w)
			recurring.Add(r)
		}
	})
	pl.scale(p, weight.Load(), recurring.Load())
	runs := make([]*domain.OrderRun, chunks)
	pricing := pl.pricing()
	forEachChunk(chunks, func() func(int) {
		sc := &orderScratch{}
		return func(c int) {
			lo, hi := chunkBounds(c, len(p.Users))
			out := pl.placeChunk(p.Users[lo:hi], int32(lo), c, sc)
			runs[c] = domain.NewOrderRun(out.orders, slices.Clone(out.series), pl.asOf, &pricing, pl.places)
		}
	})
	vocab := domain.OrderVocab{Products: p.Products, Sides: p.Sides, Statuses: p.Statuses, Symbols: pl.symbols}
	var order []int32
	if byTime {
		order = timeOrder(runs, pl.asOf)
	}
	return domain.AssembleOrders(vocab, pricing, pl.asOf, runs, order), nil
}

// timeOrder returns the indexes of the runs' concatenated orders ordered by placed_at, ties by
// order_id.
func timeOrder(runs []*domain.OrderRun, base int64) []int32 {
	starts := make([]int, len(runs)+1)
	compact := true
	for i, r := range runs {
		starts[i+1] = starts[i] + r.Len()
		compact = compact && r.Compact()
	}
	// Seconds from base order compact orders as placed_at does, on fewer bits.
	keys := make([]int64, starts[len(runs)])
	forEachChunk(len(runs), func() func(int) {
		return func(i int) {
			r, k := runs[i], keys[starts[i]:starts[i+1]]
			for j := range k {
				if compact {
					k[j] = int64(r.PlacedSeconds(j))
				} else {
					k[j] = r.PlacedAt(j, base)
				}
			}
		}
	})
	id := func(g int32) *domain.UUID {
		ri := sort.SearchInts(starts[1:], int(g)+1)
		return runs[ri].ID(int(g) - starts[ri])
	}
	return radix.ByInt64(keys, func(a, b int32) int { return bytes.Compare(id(a)[:], id(b)[:]) })
}

// pricing returns what the store derives generated orders' quantities and fees from.
func (pl *orderPlan) pricing() domain.OrderPricing {
	fees := make([]int64, len(pl.products))
	for i, m := range pl.products {
		fees[i] = m.feeBP
	}
	return domain.OrderPricing{Prices: pl.prices, FeeBP: fees}
}

// orderScratch is one chunk's orders as they are drawn, reused from chunk to chunk.
type orderScratch struct {
	orders []domain.GeneratedOrder
	series []domain.UUID
	times  []int64
}

// orderPlan is a validated OrderParams with its tables built.
type orderPlan struct {
	seed       uint64
	asOf, end  int64 // seconds
	names      []domain.Product
	products   []productOrders
	symbolBase []uint16 // index of each product's first symbol in symbols
	symbols    []string
	prices     []int64 // each symbol's reference price, in cents
	symbolCum  [][]uint64
	settleCum  [][]uint64
	sideCum    []uint64
	oneOffCum  []uint64
	seriesCum  []uint64
	buy        uint8
	places     []uint8
	activityC  []uint64
	amountCum  []uint64
	reserved   map[domain.UUID]bool
	// oneOffMilli scales activity-minutes into thousandths of expected orders:
	// expected = activity * minutes * oneOffMilli / weight.
	oneOffMilli uint64
	weight      uint64
	// keepSeries out of ofSeries is the share of recurring series kept when their buys before
	// AsOf alone would exceed PerUser; zero ofSeries keeps every series.
	keepSeries, ofSeries uint64
}

func (p OrderParams) compile() (*orderPlan, error) {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if p.PerUser < 0 || p.PerUser > 100_000 {
		sign, v := "", p.PerUser
		if v < 0 {
			sign, v = "-", -v // -1 is -0.01, not 0.-1
		}
		bad("orders_per_user: must be from 0 to 1000, got %s%d.%02d", sign, v/100, v%100)
	}
	pending := slices.Index(p.Statuses, domain.OrderPending)
	completed := slices.Index(p.Statuses, domain.OrderCompleted)
	if pending < 0 || completed < 0 {
		bad("statuses: must hold %q and %q, got %v", domain.OrderPending, domain.OrderCompleted, p.Statuses)
	}
	if len(p.Sides) == 0 || len(p.Products) == 0 {
		bad("sides and products: must not be empty")
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	pl := &orderPlan{seed: p.Seed, asOf: p.AsOf.Unix(), reserved: p.Reserved, names: p.Products}
	pl.end = pl.asOf + int64(p.Future/time.Second)
	for _, prod := range p.Products {
		m, ok := knownProductOrders[prod]
		if !ok {
			m = unknownProductOrders
		}
		pl.products = append(pl.products, m)
		pl.symbolBase = append(pl.symbolBase, uint16(len(pl.symbols)))
		var cum []uint64
		var sum uint64
		for _, s := range m.symbols {
			pl.symbols = append(pl.symbols, s.name)
			pl.prices = append(pl.prices, s.price)
			sum += s.weight
			cum = append(cum, sum)
		}
		pl.symbolCum = append(pl.symbolCum, cum)
		cum, sum = nil, 0
		for _, b := range m.settle {
			sum += b.weight
			cum = append(cum, sum)
		}
		pl.settleCum = append(pl.settleCum, cum)
		pl.places = append(pl.places, domain.QuantityPlaces(prod))
	}
	pl.sideCum = weights(p.Sides, knownSides, unknownSideWeight)
	pl.oneOffCum = weights(p.Statuses, knownOneOffStatuses, unknownStatusWeight)
	pl.seriesCum = weights(p.Statuses, knownRecurringStatuses, 0)
	if b := slices.Index(p.Sides, "buy"); b >= 0 {
		pl.buy = uint8(b)
	}
	var sum uint64
	for _, a := range activityMix {
		sum += a.weight
		pl.activityC = append(pl.activityC, sum)
	}
	sum = 0
	for _, a := range seriesAmounts {
		sum += a.weight
		pl.amountCum = append(pl.amountCum, sum)
	}
	return pl, nil
}

// weights returns the cumulative weights of values: known ones by the table, others by
// unknown. The pending state is never drawn: it is where orders wait, not where they end.
func weights[T comparable](values []T, known map[T]uint64, unknown uint64) []uint64 {
	var cum []uint64
	var sum uint64
	for _, v := range values {
		w, ok := known[v]
		if !ok {
			w = unknown
		}
		if any(v) == any(domain.OrderPending) {
			w = 0
		}
		sum += w
		cum = append(cum, sum)
	}
	return cum
}

// scale sets the one-off rate: the window's users place PerUser orders each by AsOf, recurring
// buys included. When the recurring buys alone would exceed that, there are no one-off orders
// and only the share of the series that meets it is kept (none for a PerUser of zero).
func (pl *orderPlan) scale(p OrderParams, weight, recurring uint64) {
	target := uint64(p.PerUser) * uint64(p.WindowUsers) * 10 // thousandths of orders
	switch {
	case target > recurring*1000:
		pl.oneOffMilli = target - recurring*1000
	case target < recurring*1000:
		pl.keepSeries, pl.ofSeries = target, recurring*1000
	case target == 0:
		pl.keepSeries, pl.ofSeries = 0, 1 // the future's series too
	}
	pl.weight = weight
}

// account is what the first pass draws for one approved account, and the second replays.
type account struct {
	product  int
	from     int64 // its approval, in seconds: it trades from then on
	activity uint64
	series   bool
	weekly   bool
	runs     int // 0: until the horizon
	amount   int64
	start    int64
	symbol   uint16
}

// drawAccount draws the trading of account a of a user, or reports false when it never trades.
func (pl *orderPlan) drawAccount(r rng, a *domain.Account, product int) (account, bool) {
	if a.Status != domain.StatusApproved || a.ApprovedAt >= pl.end {
		return account{}, false
	}
	m := pl.products[product]
	acc := account{product: product, from: a.ApprovedAt}
	acc.activity = activityMix[r.pick(pl.activityC)].multiplier * m.activity / bp
	if r.chance(m.series) {
		acc.series = true
		acc.weekly = r.chance(weeklyShare)
		if r.chance(stopShare) {
			acc.runs = minRuns + int(r.below(maxRuns-minRuns+1))
		}
		acc.amount = seriesAmounts[r.pick(pl.amountCum)].cents
		acc.start = acc.from + int64(r.below(seriesMaxDelay))
		acc.symbol = pl.symbolBase[product] + uint16(r.pick(pl.symbolCum[product]))
	}
	return acc, true
}

// seriesTimes returns the instants of a series' buys before the horizon, in seconds. Monthly
// buys fall on the same day of each month, which is why a start after the 28th moves back to
// it, or on to the next month's 28th when moving back would precede the approval.
func (pl *orderPlan) seriesTimes(acc *account, into []int64) []int64 {
	start := time.Unix(acc.start, 0).UTC()
	if d := start.Day(); d > 28 {
		start = start.AddDate(0, 0, 28-d)
		if start.Unix() < acc.from {
			// Moving back must not go before the account's approval: start on the next 28th.
			start = start.AddDate(0, 1, 0)
		}
	}
	for k := 0; acc.runs == 0 || k < acc.runs; k++ {
		var t time.Time
		if acc.weekly {
			t = start.AddDate(0, 0, 7*k)
		} else {
			t = start.AddDate(0, k, 0)
		}
		if t.Unix() >= pl.end {
			break
		}
		into = append(into, t.Unix())
	}
	return into
}

// planChunk runs the first pass over a chunk of users: it returns the sum of activity times
// minutes traded before AsOf, and the number of recurring buys before AsOf.
func (pl *orderPlan) planChunk(users []domain.User, c int) (weight, recurring uint64) {
	r := pl.chunkRng(c, 0)
	var times []int64
	pl.eachAccount(users, r, func(_ int, acc *account) {
		if past := min(pl.asOf, pl.end) - acc.from; past > 0 {
			weight += acc.activity * uint64(past/minute)
		}
		if acc.series {
			times = pl.seriesTimes(acc, times[:0])
			for _, t := range times {
				if t < pl.asOf {
					recurring++
				}
			}
		}
	})
	return weight, recurring
}

// eachAccount draws every trading account of users, in order, with r.
func (pl *orderPlan) eachAccount(users []domain.User, r rng, do func(user int, acc *account)) {
	// One account variable for the whole run: do takes its address, which would otherwise move
	// a fresh one to the heap for every account.
	var acc account
	var ok bool
	for i := range users {
		for j := range users[i].Accounts {
			a := &users[i].Accounts[j]
			product := slices.Index(pl.names, a.Product)
			if product < 0 {
				continue
			}
			if acc, ok = pl.drawAccount(r, a, product); ok {
				do(i, &acc)
			}
		}
	}
}

// placeChunk runs the second pass over a chunk of users whose first position is base.
func (pl *orderPlan) placeChunk(users []domain.User, base int32, c int, out *orderScratch) *orderScratch {
	plans, r := pl.chunkRng(c, 0), pl.chunkRng(c, 1)
	out.orders, out.series = out.orders[:0], out.series[:0]
	times := out.times
	pl.eachAccount(users, plans, func(user int, acc *account) {
		o := domain.Order{User: base + int32(user), Product: uint8(acc.product), QuantityPlaces: pl.places[acc.product], Series: -1}
		if acc.series && pl.ofSeries > 0 && r.below(pl.ofSeries) >= pl.keepSeries {
			acc.series = false
		}
		if acc.series {
			series := pl.uuid(r)
			o.Series = int32(len(out.series))
			out.series = append(out.series, series)
			times = pl.seriesTimes(acc, times[:0])
			for _, t := range times {
				s := o
				s.Side, s.Symbol, s.Notional = pl.buy, acc.symbol, domain.Money(acc.amount)
				out.orders = append(out.orders, pl.fill(r, s, t, pl.seriesCum))
			}
		}
		o.Series = -1
		n := pl.oneOffs(r, acc)
		for range n {
			one := o
			placed := acc.from + int64(r.below(uint64(pl.end-acc.from)))
			one.Side = uint8(r.pick(pl.sideCum))
			one.Symbol = pl.symbolBase[acc.product] + uint16(r.pick(pl.symbolCum[acc.product]))
			m := pl.products[acc.product]
			one.Notional = domain.Money(min(max(logNormal(m.median, r.normal()*notionalSigmaMD/1000), minNotional), maxNotional))
			out.orders = append(out.orders, pl.fill(r, one, placed, pl.oneOffCum))
		}
	})
	out.times = times
	return out
}

// oneOffs draws the number of one-off orders of an account over its whole trading span.
func (pl *orderPlan) oneOffs(r rng, acc *account) int {
	if pl.weight == 0 || pl.oneOffMilli == 0 {
		return 0
	}
	span := uint64((pl.end - acc.from) / minute)
	hi, lo := bits.Mul64(acc.activity*span, pl.oneOffMilli)
	if hi >= pl.weight {
		return 1 << 20 // an absurd rate; unreachable with the figures above
	}
	milli, _ := bits.Div64(hi, lo, pl.weight)
	n := int(milli / 1000)
	if r.below(1000) < milli%1000 {
		n++
	}
	return n
}

// fill completes an order placed at placed (seconds) with its id, price, quantity, fee and
// settlement, drawing its final state from statusCum.
func (pl *orderPlan) fill(r rng, o domain.Order, placed int64, statusCum []uint64) domain.GeneratedOrder {
	o.ID = pl.uuid(r)
	o.PlacedAt = placed * 1e6
	// The price moves up to 5% either way from the reference (domain.GeneratedPrice); the
	// quantity and fee follow from it, and the store derives them when they are read.
	step := uint16(r.below(domain.MaxPriceStep + 1))
	o.Status = uint8(r.pick(statusCum))
	band := pl.products[o.Product].settle[r.pick(pl.settleCum[o.Product])]
	o.SettledAt = (placed + band.min + int64(r.below(uint64(band.max-band.min)))) * 1e6
	return domain.GeneratedOrder{Order: o, Step: step}
}

// uuid draws a version 4 UUID that no pinned order has.
func (pl *orderPlan) uuid(r rng) domain.UUID {
	for {
		var u domain.UUID
		a, b := r.f.Uint64(), r.f.Uint64()
		for i := range 8 {
			u[i], u[8+i] = byte(a>>(56-8*i)), byte(b>>(56-8*i))
		}
		u[6] = u[6]&0x0f | 0x40
		u[8] = u[8]&0x3f | 0x80
		if len(pl.reserved) == 0 || !pl.reserved[u] {
			return u
		}
	}
}

// chunkRng returns the random stream of chunk c: stream 0 draws the accounts' trading (the same
// in both passes), stream 1 the orders.
func (pl *orderPlan) chunkRng(c int, stream uint64) rng {
	s1 := mix64(mix64(pl.seed^seedOrders^stream) + uint64(c))
	return newRng(s1, mix64(s1))
}
