package gen

import (
	"errors"
	"fmt"
	"math/bits"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cryptofi/partner-mock/mock/internal/domain"
)

// Version is the generator's version. It is part of the output contract: any change to what a
// given Params produces must bump it.
const Version = "2"

// MaxUsers is the largest Params.Users.
const MaxUsers = 10_000_000

// maxAllUsers bounds the users before and after AsOf together: sign-up order keys hold a
// position in positionBits.
const maxAllUsers = 1<<positionBits - 1

// DefaultWindow is the length of the created_at window when Params.Window is zero: five years of
// 365.25 days.
const DefaultWindow = 5 * 8766 * time.Hour

// chunkSize is the number of users generated from one random source. It is part of the output
// contract: changing it changes every population, so it needs a Version bump.
const chunkSize = 4096

// Params says what to generate.
type Params struct {
	// Seed keys every random choice.
	Seed uint64
	// Users is the number of generated users (pinned users are added elsewhere).
	Users int
	// AsOf ends the created_at window (exclusive); kyc_approved_at is never after it. The
	// generator never reads the clock.
	AsOf time.Time
	// Window is the length of the created_at window; zero means DefaultWindow.
	Window time.Duration
	// Future is how far past AsOf the population goes on: new users sign up at the window's
	// recent rate and pending KYC checks are decided, up to AsOf+Future. Zero generates no
	// future.
	Future time.Duration
	// IDFormat is the id template (see the package doc); empty means DefaultIDFormat.
	IDFormat string
	// Products and Statuses are the spec's enums in spec order. Values this package has no
	// figures for are generated with a modest default weight.
	Products []domain.Product
	Statuses []domain.KycStatus
	// Reserved holds ids that must not be generated: the pinned users'.
	Reserved map[string]bool
}

// Validate reports the problems with p, one per line, or nil when Generate would accept p.
func (p Params) Validate() error {
	_, err := p.compile()
	return err
}

// Generate returns p.Users users created before AsOf, followed by the users that sign up
// after it, up to AsOf+Future. It is a pure function of p and Version, and the users before
// AsOf do not depend on Future.
func Generate(p Params) ([]domain.User, error) {
	pl, err := p.compile()
	if err != nil {
		return nil, err
	}
	users := make([]domain.User, pl.users+pl.future)
	past := (pl.users + chunkSize - 1) / chunkSize
	chunks := past + (pl.future+chunkSize-1)/chunkSize
	runChunks(pl, chunks, func(w *worker, c int) {
		// Future users come in chunks of their own, from a stream of their own, so the users
		// before AsOf are the same whatever the horizon.
		var lo, hi int
		if c < past {
			lo, hi = chunkBounds(c, pl.users)
			w.genChunk(users[lo:hi], c, false)
		} else {
			lo, hi = chunkBounds(c-past, pl.future)
			lo, hi = lo+pl.users, hi+pl.users
			w.genChunk(users[lo:hi], c-past, true)
		}
		if pl.ids.kind != elemSequence {
			w.genIDs(users, lo, hi, nil)
		}
	})
	if pl.ids.kind == elemSequence {
		// Sequence numbers follow sign-up order, so the ids can only be handed out once every
		// created_at is known.
		order := signUpOrder(pl, users)
		runChunks(pl, (len(users)+chunkSize-1)/chunkSize, func(w *worker, c int) {
			lo, hi := chunkBounds(c, len(users))
			w.genIDs(users, lo, hi, order)
		})
	}
	return users, nil
}

// plan is a validated Params, with its tables built.
type plan struct {
	users int
	// future is the number of users who sign up after AsOf.
	future int
	seed   uint64
	// lo and hi bound created_at in Unix seconds: [lo, hi).
	lo, hi int64
	// approveBy is the latest kyc_approved_at of an account pending at AsOf's state, in Unix
	// seconds: AsOf rounded down.
	approveBy int64
	// end ends the future, in Unix seconds: future users sign up in (AsOf, end] and nothing is
	// decided after it. It is approveBy without a future.
	end int64
	ids *idTemplate
	// reserved holds the candidate indices of the template that Reserved ids take, ascending.
	reserved []uint64

	products   []domain.Product
	primaryCum []uint64 // cumulative primary weights, in products order
	crossSell  []uint64
	medians    []int64

	statuses  []domain.KycStatus
	statusCum []uint64
	zeroValue []uint64
	approved  int // index in statuses, or -1
	pending   int // index in statuses, or -1
	rejected  int // index in statuses, or -1

	recencyCum []uint64
	delayCum   []uint64
}

// compile validates p and builds its plan.
func (p Params) compile() (*plan, error) {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	pl := &plan{users: p.Users, seed: p.Seed, approved: -1, pending: -1, rejected: -1}
	if p.Users < 0 || p.Users > MaxUsers {
		bad("users: must be between 0 and %d, got %d", MaxUsers, p.Users)
	}

	window := p.Window
	if window == 0 {
		window = DefaultWindow
	}
	switch {
	case p.AsOf.IsZero():
		bad("as_of: must be set: it ends the created_at window, and the generator never reads the clock")
	case p.AsOf.UTC().Year() > 9999:
		bad("as_of: must be before year 10000, got %s", p.AsOf.UTC().Format(time.RFC3339))
	case window < 0:
		bad("window: must be positive (zero means %s), got %s", DefaultWindow, window)
	case p.Future < 0 || p.Future > MaxFuture:
		bad("future: must be from 0 to %s, got %s", MaxFuture, p.Future)
	default:
		start := p.AsOf.Add(-window)
		pl.approveBy = p.AsOf.Unix()
		pl.hi = pl.approveBy
		if p.AsOf.Nanosecond() != 0 {
			pl.hi++ // the whole second before a fractional AsOf is still inside the window
		}
		pl.end = pl.approveBy + int64(p.Future/time.Second)
		pl.lo = start.Unix()
		if start.Nanosecond() != 0 {
			pl.lo++
		}
		switch {
		case start.Before(time.Unix(0, 0)):
			bad("window: %s before as_of starts at %s, before 1970-01-01T00:00:00Z; shorten it or move as_of",
				window, start.UTC().Format(time.RFC3339))
		case pl.hi <= pl.lo:
			bad("window: %s before as_of holds no whole second", window)
		default:
			pl.future = futureUsers(p.Users, pl.hi-pl.lo, pl.end-pl.approveBy)
			if p.Users >= 0 && p.Users+pl.future > maxAllUsers {
				bad("future: %s past as_of brings %d sign-ups to the %d users, more than the %d users a tenant can hold in all; shorten it",
					p.Future, pl.future, p.Users, maxAllUsers)
			}
		}
	}

	idFormat := p.IDFormat
	if idFormat == "" {
		idFormat = DefaultIDFormat
	}
	if t, err := parseTemplate(idFormat); err != nil {
		errs = append(errs, err)
	} else {
		pl.ids = t.keyed(p.Seed)
		pl.reserved = reservedIndices(pl.ids, p.Reserved)
		if c := pl.ids.capacity(); p.Users >= 0 && c-uint64(len(pl.reserved)) < uint64(p.Users+pl.future) {
			future := ""
			if pl.future > 0 {
				future = fmt.Sprintf(" and the %d who sign up in the future", pl.future)
			}
			bad("id_format: %q holds only %d distinct ids (%d of them reserved), too few for %d users%s",
				idFormat, c, len(pl.reserved), p.Users, future)
		}
	}

	if err := checkEnum("products", p.Products); err != nil {
		errs = append(errs, err)
	}
	if err := checkEnum("statuses", p.Statuses); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}

	pl.products = p.Products
	var sum uint64
	for _, prod := range p.Products {
		m, ok := knownProducts[prod]
		if !ok {
			m = unknownProduct
		}
		sum += m.primary
		pl.primaryCum = append(pl.primaryCum, sum)
		pl.crossSell = append(pl.crossSell, m.crossSell)
		pl.medians = append(pl.medians, m.median)
	}
	pl.statuses = p.Statuses
	sum = 0
	for i, st := range p.Statuses {
		m, ok := knownStatuses[st]
		if !ok {
			m = unknownStatus
		}
		sum += m.weight
		pl.statusCum = append(pl.statusCum, sum)
		pl.zeroValue = append(pl.zeroValue, m.zeroValue)
		switch st {
		case domain.StatusApproved:
			pl.approved = i
		case pendingStatus:
			pl.pending = i
		case rejectedStatus:
			pl.rejected = i
		}
	}
	sum = 0
	for _, m := range recencyMix {
		sum += m.weight
		pl.recencyCum = append(pl.recencyCum, sum)
	}
	sum = 0
	for _, d := range approvalDelays {
		sum += d.weight
		pl.delayCum = append(pl.delayCum, sum)
	}
	return pl, nil
}

// checkEnum checks one of the spec's enums: not empty, no empty or repeated value.
func checkEnum[T ~string](name string, values []T) error {
	if len(values) == 0 {
		return fmt.Errorf("%s: must not be empty (it comes from the spec's enum)", name)
	}
	seen := make(map[T]bool, len(values))
	for _, v := range values {
		switch {
		case v == "":
			return fmt.Errorf("%s: must not hold an empty value", name)
		case seen[v]:
			return fmt.Errorf("%s: holds %q twice", name, v)
		}
		seen[v] = true
	}
	return nil
}

// reservedIndices returns the candidate indices of t that reserved ids take, ascending. Sorting
// keeps the map's iteration order out of the result.
func reservedIndices(t *idTemplate, reserved map[string]bool) []uint64 {
	var out []uint64
	for id, ok := range reserved {
		if !ok {
			continue
		}
		if i, match := t.index(id); match {
			out = append(out, i)
		}
	}
	slices.Sort(out)
	return out
}

// chunkBounds returns the user positions [lo, hi) of chunk c.
func chunkBounds(c, users int) (lo, hi int) {
	lo = c * chunkSize
	return lo, min(lo+chunkSize, users)
}

// runChunks calls do for every chunk, on GOMAXPROCS workers, each with its own scratch space.
func runChunks(pl *plan, chunks int, do func(w *worker, c int)) {
	forEachChunk(chunks, func() func(c int) {
		w := newWorker(pl)
		return func(c int) { do(w, c) }
	})
}

// forEachChunk runs chunks 0..chunks-1 on GOMAXPROCS goroutines, each calling worker once for
// the function it runs its chunks with. Each chunk's output depends only on its index, so the
// order in which goroutines take chunks does not show.
func forEachChunk(chunks int, worker func() func(c int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), chunks) {
		wg.Go(func() {
			do := worker()
			for c := int(next.Add(1) - 1); c < chunks; c = int(next.Add(1) - 1) {
				do(c)
			}
		})
	}
	wg.Wait()
}

// Sign-up order keys pack a user's created_at offset in the window above its position, so one
// integer sort orders users by created_at with ties in generation order. Offsets fit 40 bits
// (a time.Duration window spans under 300 years, 2^34 seconds) and positions 24 bits (MaxUsers
// is below 2^24).
const (
	positionBits = 24
	positionMask = 1<<positionBits - 1
)

// signUpOrder returns the users' positions in created_at order, ties in generation order.
func signUpOrder(pl *plan, users []domain.User) []uint64 {
	keys := make([]uint64, len(users))
	for i := range users {
		keys[i] = uint64(users[i].CreatedAt/1e6-pl.lo)<<positionBits | uint64(i)
	}
	// Keys start in position order, so a stable sort on the offset alone breaks ties by
	// position. An LSD radix sort is stable and, with the default window's 28-bit offsets, takes
	// two passes: several times faster than a comparison sort of a million keys.
	tmp := make([]uint64, len(keys))
	offsetBits := bits.Len64(uint64(max(pl.hi, pl.end+1)-pl.lo) - 1)
	for shift := positionBits; shift < positionBits+offsetBits; shift += radixBits {
		var count [1 << radixBits]int
		for _, k := range keys {
			count[k>>shift&radixMask]++
		}
		sum := 0
		for d, c := range count {
			count[d] = sum
			sum += c
		}
		for _, k := range keys {
			d := k >> shift & radixMask
			tmp[count[d]] = k
			count[d]++
		}
		keys, tmp = tmp, keys
	}
	for r := range keys {
		keys[r] &= positionMask
	}
	return keys
}

// radixBits is the digit size of signUpOrder's radix sort.
const (
	radixBits = 16
	radixMask = 1<<radixBits - 1
)

// worker holds one goroutine's scratch space, reused across chunks.
type worker struct {
	pl    *plan
	r     rng
	accts []domain.Account // a chunk's accounts, before they get their own exact-size slice
	ends  []int            // end of each user's accounts in accts
	opens []opening        // one user's accounts, before sorting by opening time
	ids   []byte
}

// opening is an account about to be generated: which product, when it opened, and whether it
// opened at sign-up (and so shares the sign-up's KYC check).
type opening struct {
	product int
	at      int64
	signUp  bool
}

// newWorker returns a worker for pl. Its account scratch space is allocated on first use, as
// workers that only hand out ids never need it.
func newWorker(pl *plan) *worker {
	return &worker{
		pl:    pl,
		ends:  make([]int, chunkSize),
		opens: make([]opening, 0, len(pl.products)),
		ids:   make([]byte, 0, chunkSize*24),
	}
}

// genChunk fills the users of chunk c, all but their ids: the users who signed up before AsOf,
// or with future set, those who sign up after it.
func (w *worker) genChunk(users []domain.User, c int, future bool) {
	seed := w.pl.seed ^ seedChunks
	if future {
		seed = w.pl.seed ^ seedFuture
	}
	s1 := mix64(mix64(seed) + uint64(c))
	s2 := mix64(s1)
	w.r = newRng(s1, s2)

	if w.accts == nil {
		w.accts = make([]domain.Account, 0, chunkSize*maxAccounts)
	}
	accts := w.accts[:0]
	for i := range users {
		accts = w.genUser(&users[i], accts, future)
		w.ends[i] = len(accts)
	}
	// One exact-size allocation per chunk instead of one per user; full slice expressions keep
	// an append to one user's accounts from overwriting the next user's.
	backing := slices.Clone(accts)
	start := 0
	for i := range users {
		end := w.ends[i]
		users[i].Accounts = backing[start:end:end]
		start = end
	}
}

// genUser fills u (but its id) and appends its accounts to accts. A future user signs up
// uniformly between AsOf and the horizon; the window's users follow the recency mix.
func (w *worker) genUser(u *domain.User, accts []domain.Account, future bool) []domain.Account {
	pl, r := w.pl, w.r

	var created, until int64
	if future {
		// After AsOf, never at it: at AsOf a tenant shows exactly its Users users.
		created = pl.approveBy + 1 + int64(r.below(uint64(pl.end-pl.approveBy)))
		until = pl.end
	} else {
		var offset uint64
		for range recencyMix[r.pick(pl.recencyCum)].draws {
			offset = max(offset, r.below(uint64(pl.hi-pl.lo)))
		}
		created = pl.lo + int64(offset)
		until = pl.hi
	}
	u.CreatedAt = created * 1e6

	// The sign-up product first, then each other product (in spec order) by its cross-sell
	// rate, up to maxAccounts.
	opens := w.opens[:0]
	first := r.pick(pl.primaryCum)
	opens = append(opens, opening{product: first, at: created, signUp: true})
	for p := range pl.products {
		if len(opens) == maxAccounts {
			break
		}
		if p == first || !r.chance(pl.crossSell[p]) {
			continue
		}
		if r.chance(sameSessionShare) {
			opens = append(opens, opening{product: p, at: created, signUp: true})
		} else {
			opens = append(opens, opening{product: p, at: created + int64(r.below(uint64(until-created)))})
		}
	}
	// Accounts are listed in the order they were opened; a stable insertion sort keeps the
	// sign-up product first among those opened at sign-up.
	for i := 1; i < len(opens); i++ {
		for j := i; j > 0 && opens[j].at < opens[j-1].at; j-- {
			opens[j], opens[j-1] = opens[j-1], opens[j]
		}
	}

	userZ := r.normal()
	// The accounts opened at sign-up share one KYC check: one approval time.
	var signUpApproval int64
	signUpDrawn := false
	var total domain.Money
	for _, o := range opens {
		st := r.pick(pl.statusCum)
		// The value follows the drawn outcome, not the state at the horizon: values never change
		// with time, and the users of the window must not depend on how far the future goes.
		outcome := st
		a := domain.Account{Product: pl.products[o.product], DecidedAt: domain.Always}
		switch st {
		case pl.approved:
			if o.signUp {
				if !signUpDrawn {
					signUpApproval, signUpDrawn = w.decision(o.at), true
				}
				a.ApprovedAt = signUpApproval
			} else {
				a.ApprovedAt = w.decision(o.at)
			}
			st, a.DecidedAt = w.decide(st, &a.ApprovedAt, o.at)
		case pl.rejected:
			at := w.decision(o.at)
			st, a.DecidedAt = w.decide(st, &at, o.at)
		}
		a.Status = pl.statuses[st]
		if st != pl.approved {
			a.ApprovedAt = 0 // a decision past the horizon never lands
		}
		if !r.chance(pl.zeroValue[outcome]) {
			z := (userShareFifths*userZ + accountShareFifths*r.normal()) / 5
			a.Value = domain.Money(logNormal(pl.medians[o.product], z*sigmaMilliDecades/1000))
		}
		accts = append(accts, a)
		total += a.Value
	}
	u.Total = total
	return accts
}

// decision returns when a KYC check started at opened is decided, in Unix seconds.
func (w *worker) decision(opened int64) int64 {
	d := approvalDelays[w.r.pick(w.pl.delayCum)]
	return opened + d.min + int64(w.r.below(uint64(d.max-d.min)))
}

// decide settles an account whose check started at opened and is decided at *at in state st.
// It returns the account's state and DecidedAt: the account is pending until *at, when the spec
// has a pending state and *at is within the horizon; a decision past the horizon never lands,
// so the account stays pending. Without a pending state there is nothing to wait in: the
// decision is folded into the time before the horizon (before AsOf for a user of the window)
// and the account holds st from the start.
func (w *worker) decide(st int, at *int64, opened int64) (int, int64) {
	pl := w.pl
	if pl.pending >= 0 {
		if *at > pl.end {
			return pl.pending, domain.Always
		}
		return st, *at * 1e6
	}
	by := pl.end
	if opened < pl.hi {
		// An account of the window's users shows its decision at AsOf, so it lands by then.
		by = pl.approveBy
	}
	if *at > by {
		by = max(by, opened)
		*at = opened + int64(w.r.below(uint64(by-opened+1)))
	}
	return st, domain.Always
}

// genIDs sets the ids of the users at ranks [lo, hi): the users themselves, or, with order,
// users[order[rank]]. Rank r gets the r-th candidate id that is not reserved.
func (w *worker) genIDs(users []domain.User, lo, hi int, order []uint64) {
	t, res := w.pl.ids, w.pl.reserved
	// The first free candidate at or after lo: each reserved index at or before it pushes it on.
	c, j := uint64(lo), 0
	for j < len(res) && res[j] <= c {
		c++
		j++
	}
	buf := w.ids[:0]
	for r := lo; r < hi; r++ {
		if r > lo {
			c++
			for j < len(res) && res[j] == c {
				c++
				j++
			}
		}
		buf = t.appendID(buf, c)
		w.ends[r-lo] = len(buf)
	}
	w.ids = buf
	// One string per chunk: the ids are substrings of it, not an allocation each.
	all := string(buf)
	start := 0
	for r := lo; r < hi; r++ {
		end := w.ends[r-lo]
		pos := r
		if order != nil {
			pos = int(order[r])
		}
		users[pos].ID = all[start:end]
		start = end
	}
}
