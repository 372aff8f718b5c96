package domain

import (
	"math"
	"math/bits"
)

// OrderStore is a tenant's orders as the mock keeps them: the generated ones in compact
// columns, 38 bytes an order where an Order takes 72 (a million users hold about five million
// orders), and the others (pinned orders, and any generated order whose figures the columns
// cannot hold) as whole Orders. A generated order stores no quantity or fee: both follow from
// its notional, its price step and the pricing (OrderPricing), exactly as the generator
// computed them.
//
// Positions 0..Generated()-1 are the generated orders, in the order they were assembled in;
// the appended orders (Append) follow. An OrderStore is not safe for concurrent Append; reads
// are safe once it is built.
type OrderStore struct {
	Vocab OrderVocab
	// Series holds the recurring_order_id of each recurring series.
	Series []UUID

	pricing OrderPricing
	places  []uint8 // quantity places of each product
	// base is the instant placed counts seconds from.
	base int64

	ids    []UUID
	users  []int32
	placed []int32
	// packed holds a generated order's settlement delay in seconds, notional in cents and price
	// step, and whether the order is kept whole instead (packedWhole).
	packed  []uint64
	symbols []uint16
	// product, side and status are the vocabulary's indexes; status is the state the order
	// settles in.
	product, side, status []uint8
	// recurring marks the generated orders of a series; seriesOf holds their series in position
	// order, and recurringBefore[b] counts the marked orders before position 64*b.
	recurring       []uint64
	recurringBefore []int32
	seriesOf        []int32
	// whole holds the generated orders the columns cannot hold, by position.
	whole map[int32]Order
	// appended are the orders after the generated ones.
	appended []Order
}

// OrderPricing is what a generated order's quantity and fee follow from.
type OrderPricing struct {
	// Prices is each symbol's reference price in cents, by symbol code.
	Prices []int64
	// FeeBP is each product's fee in basis points of the notional, by product code.
	FeeBP []int64
}

// MaxPriceStep is the largest price step (GeneratedPrice).
const MaxPriceStep = 1000

// GeneratedPrice returns a generated order's unit price in cents: the symbol's reference price
// moved by step basis points, from -5% (step 0) to +5% (step 1000), and at least 1.
func GeneratedPrice(reference int64, step uint64) int64 {
	return max(reference*int64(9500+step)/10_000, 1)
}

// GeneratedQuantity returns the quantity bought or sold for notional at price, in units of
// 10^-places: rounded down, and at least one unit.
func GeneratedQuantity(notional Money, places uint8, price int64) int64 {
	return max(int64(notional)*pow10[places]/price, 1)
}

// GeneratedFee returns the fee of feeBP basis points on notional, rounded half up to the cent.
func GeneratedFee(notional Money, feeBP int64) Money {
	return Money((int64(notional)*feeBP + 5_000) / 10_000)
}

var pow10 = func() (p [19]int64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// The packed column's fields, from the least significant bit.
const (
	delayBits    = 24 // settlement delay in seconds: up to 194 days
	notionalBits = 28 // notional in cents: up to $2.68M
	stepBits     = 11
	packedWhole  = 1 << 63

	notionalShift = delayBits
	stepShift     = delayBits + notionalBits
)

// GeneratedOrder is a generated order as the generator draws it: an Order without its quantity
// and fee, which follow from its price step.
type GeneratedOrder struct {
	Order
	// Step is the price step (GeneratedPrice), at most MaxPriceStep.
	Step uint16
}

// OrderRun is a run of generated orders in compact form: the orders of one chunk of users, as
// the generator's workers build them. A run keeps each order's fields together (one row), so
// gathering runs into a store in another order reads one place per order.
type OrderRun struct {
	rows []orderRow
	// seriesIDs are the run's series; a row's series indexes them.
	seriesIDs []UUID
	whole     map[int32]Order
}

// orderRow is a generated order in a run: a store's columns, side by side.
type orderRow struct {
	id                    UUID
	packed                uint64
	user, placed, series  int32
	symbol                uint16
	product, side, status uint8
}

// NewOrderRun encodes orders (their Series indexes series) relative to the instant base (Unix
// seconds), computing quantities and fees by pricing and places for the orders kept whole.
func NewOrderRun(orders []GeneratedOrder, series []UUID, base int64, pricing *OrderPricing, places []uint8) *OrderRun {
	r := &OrderRun{rows: make([]orderRow, len(orders)), seriesIDs: series}
	for i := range orders {
		g := &orders[i]
		o := &g.Order
		row := &r.rows[i]
		row.id, row.user, row.series = o.ID, o.User, o.Series
		row.symbol, row.product, row.side, row.status = o.Symbol, o.Product, o.Side, o.Status
		sec, delay := o.PlacedAt/1_000_000, (o.SettledAt-o.PlacedAt)/1_000_000
		fits := o.PlacedAt%1_000_000 == 0 && o.SettledAt != Always && (o.SettledAt-o.PlacedAt)%1_000_000 == 0 &&
			sec-base >= math.MinInt32 && sec-base <= math.MaxInt32 &&
			delay >= 0 && delay < 1<<delayBits && o.Notional > 0 && o.Notional < 1<<notionalBits && g.Step <= MaxPriceStep
		if fits {
			row.placed = int32(sec - base)
			row.packed = uint64(delay) | uint64(o.Notional)<<notionalShift | uint64(g.Step)<<stepShift
			continue
		}
		if r.whole == nil {
			r.whole = map[int32]Order{}
		}
		w := *o
		price := GeneratedPrice(pricing.Prices[o.Symbol], uint64(g.Step))
		w.QuantityPlaces = places[o.Product]
		w.Quantity = GeneratedQuantity(o.Notional, w.QuantityPlaces, price)
		w.Fee = GeneratedFee(o.Notional, pricing.FeeBP[o.Product])
		r.whole[int32(i)] = w
		row.packed = packedWhole
		row.placed = int32(min(max(sec-base, math.MinInt32), math.MaxInt32))
	}
	return r
}

// Len returns the number of orders in the run.
func (r *OrderRun) Len() int { return len(r.rows) }

// Compact reports whether every order of the run is in compact form: PlacedSeconds then orders
// them as placed_at does.
func (r *OrderRun) Compact() bool { return len(r.whole) == 0 }

// PlacedSeconds returns order i's placed_at in seconds from the run's base; for an order kept
// whole it is clamped to int32 (PlacedAt tells exactly).
func (r *OrderRun) PlacedSeconds(i int) int32 { return r.rows[i].placed }

// PlacedAt returns order i's placed_at in Unix microseconds, given the run's base.
func (r *OrderRun) PlacedAt(i int, base int64) int64 {
	if r.rows[i].packed&packedWhole != 0 {
		return r.whole[int32(i)].PlacedAt
	}
	return (base + int64(r.rows[i].placed)) * 1_000_000
}

// ID returns order i's id.
func (r *OrderRun) ID(i int) *UUID { return &r.rows[i].id }

// AssembleOrders builds the store of the generated orders in runs, encoded relative to base
// (Unix seconds). With order nil the orders keep the runs' order; otherwise position k holds
// the order at index order[k] of the runs' concatenation. Series are numbered in run order.
func AssembleOrders(vocab OrderVocab, pricing OrderPricing, base int64, runs []*OrderRun, order []int32) *OrderStore {
	s := &OrderStore{Vocab: vocab, pricing: pricing, base: base}
	for _, p := range vocab.Products {
		s.places = append(s.places, QuantityPlaces(p))
	}
	n := 0
	starts := make([]int, len(runs)+1)
	seriesBase := make([]int32, len(runs))
	for i, r := range runs {
		starts[i] = n
		n += len(r.rows)
		seriesBase[i] = int32(len(s.Series))
		s.Series = append(s.Series, r.seriesIDs...)
	}
	starts[len(runs)] = n
	s.ids, s.users, s.placed, s.packed = make([]UUID, n), make([]int32, n), make([]int32, n), make([]uint64, n)
	s.symbols, s.product, s.side, s.status = make([]uint16, n), make([]uint8, n), make([]uint8, n), make([]uint8, n)
	s.recurring = make([]uint64, (n+63)/64)
	// Runs are chunks of a few thousand orders or more: the run of a concatenated index is
	// found from its 4,096-block's first run, then a step or two forward.
	const blockShift = 12
	firstRun := make([]int32, n>>blockShift+1)
	for b := range firstRun {
		i := int32(0)
		if b > 0 {
			i = firstRun[b-1]
		}
		for int(i) < len(runs) && starts[i+1] <= b<<blockShift {
			i++
		}
		firstRun[b] = i
	}
	type half struct {
		seriesOf []int32
		whole    map[int32]Order
	}
	var halves [2]half
	splitHalves(n, func(h, a, b int) {
		out := &halves[h]
		// Rows are read in a random order (the time order of orders generated user by user), so
		// each is a cache miss. They are located a batch ahead and touched before they are copied:
		// independent loads, whose misses the processor overlaps, instead of one at a time.
		const batch = 32
		var rows [batch]*orderRow
		var runOf [batch]int32
		var idx [batch]int32
		for k0 := a; k0 < b; k0 += batch {
			m := min(batch, b-k0)
			var touch uint8
			for j := range m {
				g := k0 + j
				if order != nil {
					g = int(order[g])
				}
				ri := firstRun[g>>blockShift]
				for starts[ri+1] <= g {
					ri++
				}
				i := g - starts[ri]
				rows[j], runOf[j], idx[j] = &runs[ri].rows[i], ri, int32(i)
				touch ^= rows[j].id[0] ^ rows[j].status
			}
			keepByte(touch)
			for j := range m {
				k, row, ri := k0+j, rows[j], runOf[j]
				s.ids[k], s.users[k], s.placed[k], s.packed[k] = row.id, row.user, row.placed, row.packed
				s.symbols[k], s.product[k], s.side[k], s.status[k] = row.symbol, row.product, row.side, row.status
				if row.series >= 0 {
					s.recurring[k>>6] |= 1 << (uint(k) & 63)
					out.seriesOf = append(out.seriesOf, seriesBase[ri]+row.series)
				}
				if row.packed&packedWhole != 0 {
					w := runs[ri].whole[idx[j]]
					if w.Series >= 0 {
						w.Series += seriesBase[ri]
					}
					if out.whole == nil {
						out.whole = map[int32]Order{}
					}
					out.whole[int32(k)] = w
				}
			}
		}
	})
	s.seriesOf = append(halves[0].seriesOf, halves[1].seriesOf...)
	for _, h := range halves {
		for k, w := range h.whole {
			if s.whole == nil {
				s.whole = map[int32]Order{}
			}
			s.whole[k] = w
		}
	}
	s.recurringBefore = make([]int32, len(s.recurring)+1)
	for b, w := range s.recurring {
		s.recurringBefore[b+1] = s.recurringBefore[b] + int32(bits.OnesCount64(w))
	}
	return s
}

// splitHalves calls do(h, a, b) for two halves [a, b) of [0, n), concurrently when n is large.
// The split falls on a multiple of 64, so the halves never share a word of a bitmap.
func splitHalves(n int, do func(h, a, b int)) {
	mid := n / 2 &^ 63
	if n < 1<<16 {
		mid = n
	}
	done := make(chan struct{})
	go func() { do(1, mid, n); close(done) }()
	do(0, 0, mid)
	<-done
}

// Len returns the number of orders. A world without orders (a document that declares none) has
// a nil store, which holds none.
func (s *OrderStore) Len() int {
	if s == nil {
		return 0
	}
	return len(s.ids) + len(s.appended)
}

// Generated returns the number of generated orders: positions 0..Generated()-1.
func (s *OrderStore) Generated() int { return len(s.ids) }

// Append adds o after the orders already held and returns its position.
func (s *OrderStore) Append(o Order) int32 {
	s.appended = append(s.appended, o)
	return int32(s.Len() - 1)
}

// wholeAt returns the order at p when it is kept whole.
func (s *OrderStore) wholeAt(p int32) (*Order, bool) {
	if int(p) >= len(s.ids) {
		return &s.appended[int(p)-len(s.ids)], true
	}
	if s.packed[p]&packedWhole != 0 {
		o := s.whole[p]
		return &o, true
	}
	return nil, false
}

// Order returns the order at position p.
func (s *OrderStore) Order(p int32) Order {
	if o, ok := s.wholeAt(p); ok {
		return *o
	}
	pk := s.packed[p]
	notional := Money(pk >> notionalShift & (1<<notionalBits - 1))
	product := s.product[p]
	symbol := s.symbols[p]
	places := s.places[product]
	price := GeneratedPrice(s.pricing.Prices[symbol], pk>>stepShift&(1<<stepBits-1))
	placed := (s.base + int64(s.placed[p])) * 1_000_000
	return Order{
		ID: s.ids[p], User: s.users[p], Series: s.series(p),
		PlacedAt: placed, SettledAt: placed + int64(pk&(1<<delayBits-1))*1_000_000,
		Quantity: GeneratedQuantity(notional, places, price), Notional: notional, Fee: GeneratedFee(notional, s.pricing.FeeBP[product]),
		Symbol: symbol, Product: product, Side: s.side[p], Status: s.status[p], QuantityPlaces: places,
	}
}

// series returns the series of generated order p, or -1.
func (s *OrderStore) series(p int32) int32 {
	w := s.recurring[p>>6]
	bit := uint64(1) << (uint(p) & 63)
	if w&bit == 0 {
		return -1
	}
	return s.seriesOf[s.recurringBefore[p>>6]+int32(bits.OnesCount64(w&(bit-1)))]
}

// ID returns the order_id of the order at p.
func (s *OrderStore) ID(p int32) UUID {
	if int(p) < len(s.ids) {
		return s.ids[p]
	}
	return s.appended[int(p)-len(s.ids)].ID
}

// User returns the position of the user of the order at p.
func (s *OrderStore) User(p int32) int32 {
	if int(p) < len(s.ids) {
		return s.users[p]
	}
	return s.appended[int(p)-len(s.ids)].User
}

// PlacedAt returns when the order at p was placed, in Unix microseconds.
func (s *OrderStore) PlacedAt(p int32) int64 {
	if o, ok := s.wholeAt(p); ok {
		return o.PlacedAt
	}
	return (s.base + int64(s.placed[p])) * 1_000_000
}

// SettledAt returns when the order at p leaves pending (Order.SettledAt).
func (s *OrderStore) SettledAt(p int32) int64 {
	if o, ok := s.wholeAt(p); ok {
		return o.SettledAt
	}
	return (s.base + int64(s.placed[p]) + int64(s.packed[p]&(1<<delayBits-1))) * 1_000_000
}

// Codes returns the product, side and final status codes of the order at p.
func (s *OrderStore) Codes(p int32) (product, side, status uint8) {
	if int(p) < len(s.ids) {
		return s.product[p], s.side[p], s.status[p]
	}
	o := &s.appended[int(p)-len(s.ids)]
	return o.Product, o.Side, o.Status
}

// Book returns the orders as an OrderBook of whole Orders.
func (s *OrderStore) Book() OrderBook {
	b := OrderBook{Vocab: s.Vocab, Series: s.Series, Orders: make([]Order, s.Len())}
	for p := range b.Orders {
		b.Orders[p] = s.Order(int32(p))
	}
	return b
}

// keepByte is a call the compiler cannot see through, so the loads that feed it stay.
//
//go:noinline
func keepByte(uint8) {}
