package gen

import (
	"math/big"
	"math/bits"
	"math/rand/v2"
	"time"

	"github.com/brianvoe/gofakeit/v7"

	"github.com/cryptofi/partner-mock/mock/internal/domain"
)

// This file holds the figures the generated population aims at, and the integer-only samplers
// that reach them. Probabilities are in basis points (1/10,000) so they are exact integers.

// bp is the denominator of every probability below: 10,000 basis points are 100%.
const bp = 10_000

// recencyMix shapes sign-up times. A user's created_at is the latest of `draws` uniform draws
// over the window, with draws picked by weight. The latest of k uniforms has density k*x^(k-1)
// on [0, 1), so the mix has density 0.2 + 0.8x + 1.2x² over the window's fraction x: sign-ups
// grow about elevenfold from the window's start to its end, as a growing partner's would.
var recencyMix = []struct {
	draws  int
	weight uint64
}{
	{draws: 1, weight: 2000},
	{draws: 2, weight: 4000},
	{draws: 3, weight: 4000},
}

// Recency targets that follow from recencyMix, over the window's newest and oldest fifths (with
// the default 5-year window: the last and the first year).
const (
	// newestFifthShare is the share of users created in the newest fifth of the window:
	// 0.2*0.2 + 0.4*(1-0.8²) + 0.4*(1-0.8³).
	newestFifthShare = 0.3792
	// newestFifthShareBP is newestFifthShare in basis points, for integer arithmetic.
	newestFifthShareBP = 3792
	// oldestFifthShare is the share of users created in the oldest fifth of the window:
	// 0.2*0.2 + 0.4*0.2² + 0.4*0.2³.
	oldestFifthShare = 0.0592
)

// maxAccounts is the most accounts a user has: the API documents 1 to 4.
const maxAccounts = 4

// productMix is how one product enters the population.
type productMix struct {
	// primary is the weight of this product being the one the user signed up with. Weights are
	// relative to the other products present in the spec.
	primary uint64
	// crossSell is the chance, in basis points, that a user who signed up with another product
	// also holds this one.
	crossSell uint64
	// median is the median market value, in cents, of a funded account.
	median int64
}

// knownProducts holds the product model of the spec's products. Every user signs up with one
// product and may add others, so each user has at least one account, and the share of users
// holding product p is primary(p) + (1-primary(p))*crossSell(p):
//
//	crypto      0.50 + 0.50*0.4000 = 0.70
//	securities  0.25 + 0.75*0.2000 = 0.40
//	robo        0.15 + 0.85*0.1176 = 0.25
//	roth_ira    0.10 + 0.90*0.0556 = 0.15
//
// That is 1.5 accounts per user on average. Medians follow what each product holds: small crypto
// balances, larger brokerage and robo ones, retirement savings the largest.
var knownProducts = map[domain.Product]productMix{
	"crypto":     {primary: 5000, crossSell: 4000, median: 1_500 * 100},
	"securities": {primary: 2500, crossSell: 2000, median: 6_000 * 100},
	"robo":       {primary: 1500, crossSell: 1176, median: 4_000 * 100},
	"roth_ira":   {primary: 1000, crossSell: 556, median: 12_000 * 100},
}

// unknownProduct is the model of a product the spec lists but this package has no figures for:
// a modest share, so it shows up without crowding out the known ones.
var unknownProduct = productMix{primary: 500, crossSell: 500, median: 3_000 * 100}

// Target shares of users holding each known product, as derived in knownProducts.
const (
	cryptoShare     = 0.70
	securitiesShare = 0.40
	roboShare       = 0.25
	rothIRAShare    = 0.15
)

// sameSessionShare is the chance, in basis points, that a cross-sold product was opened at
// sign-up with the first one rather than later. Accounts opened in one session share one KYC
// check, so when both are approved they carry the same kyc_approved_at, as in the docs' example.
// A later account opens at a uniform instant between sign-up and AsOf.
const sameSessionShare = 3000

// statusMix is how one KYC status enters the population.
type statusMix struct {
	// weight is the status's weight among the spec's statuses.
	weight uint64
	// zeroValue is the chance, in basis points, that an account in this status holds 0.00.
	zeroValue uint64
}

// knownStatuses holds the status model of the spec's statuses, per account: about 75% approved,
// 10% pending, 8% not_started and 7% rejected. Accounts that have not started KYC hold nothing;
// pending accounts are often funded already (the docs' example holds 43181.03 in one); most
// rejected ones were never funded; a few approved ones were never funded either.
var knownStatuses = map[domain.KycStatus]statusMix{
	"approved":    {weight: 7500, zeroValue: 500},
	"pending":     {weight: 1000, zeroValue: 4000},
	"not_started": {weight: 800, zeroValue: bp},
	"rejected":    {weight: 700, zeroValue: 7000},
}

// unknownStatus is the model of a status the spec lists but this package has no figures for
// ("under_review", say): a modest share, treated like pending.
var unknownStatus = statusMix{weight: 300, zeroValue: 4000}

// pendingStatus is the status an account waits in for its KYC decision; rejectedStatus is a
// decision that, like an approval, lands at an instant. When the spec has no pending status,
// decisions are folded into the time before AsOf instead.
const (
	pendingStatus  domain.KycStatus = "pending"
	rejectedStatus domain.KycStatus = "rejected"
)

// MaxFuture is the longest horizon a population can have past AsOf: ten years.
const MaxFuture = 10 * 8766 * time.Hour

// futureUsers is the number of users who sign up in the future seconds after AsOf: the rate of
// the window's newest fifth (newestFifthShare of the users in a fifth of the window), which is
// where a growing partner stands at AsOf.
func futureUsers(users int, window, future int64) int {
	if users <= 0 || future <= 0 || window <= 0 {
		return 0
	}
	hi, lo := bits.Mul64(uint64(users)*newestFifthShareBP, uint64(future)*5)
	q, _ := bits.Div64(hi, lo, uint64(window)*bp)
	return int(q)
}

// Target shares of accounts per KYC status, from knownStatuses. Approvals that would land after
// AsOf turn pending, which moves about half a point from approved to pending with the default
// window.
const (
	approvedShare   = 0.75
	pendingShare    = 0.10
	notStartedShare = 0.08
	rejectedShare   = 0.07
)

// approvalDelays is how long KYC approval takes after an account opens: a uniform number of
// seconds in [min, max), with the band picked by weight. Automated checks pass in minutes, most
// others within the day or the week, and manual reviews take weeks. The median is about 12 hours.
var approvalDelays = []struct {
	min, max int64
	weight   uint64
}{
	{min: 60, max: 30 * minute, weight: 3500},
	{min: 30 * minute, max: day, weight: 3000},
	{min: day, max: 7 * day, weight: 2500},
	{min: 7 * day, max: 28 * day, weight: 1000},
}

// Time units in seconds.
const (
	minute = 60
	hour   = 60 * minute
	day    = 24 * hour
)

// Market values are log-normal: value = median * 10^(sigma*Z) with Z standard normal. Part of Z
// is the user's (wealthy users hold more in every account) and part the account's.
const (
	// sigmaMilliDecades is sigma in thousandths of a decade (0.6 decades, 1.38 in natural log):
	// with a $6,000 median, 1% of funded accounts hold over about $150,000 and 0.1% over $300,000.
	sigmaMilliDecades = 600
	// userShareFifths and accountShareFifths mix the user's and the account's normal draws as
	// (3*Zuser + 4*Zaccount)/5, which is standard normal again (9+16 = 25); two accounts of one
	// user correlate at 0.36 in log value.
	userShareFifths    = 3
	accountShareFifths = 4
	// maxValue caps an account at $25,000,000 so the tail stays believable.
	maxValue = 25_000_000 * 100
)

// rng draws integers from a gofakeit Faker over a chunk's own PCG. Only Faker.Uint64 is used:
// gofakeit's bounded helpers pick a different algorithm on 32-bit platforms, which would change
// the output there, so bounded integers are made from whole words here.
type rng struct {
	f *gofakeit.Faker
}

// newRng returns the stream of a PCG seeded with (s1, s2), through an unlocked Faker:
// gofakeit.New(seed) would lock a mutex on every draw, and for seed 0 it seeds from crypto/rand,
// which would break determinism.
func newRng(s1, s2 uint64) rng {
	return rng{gofakeit.NewFaker(rand.NewPCG(s1, s2), false)}
}

// below returns a uniform integer in [0, n), n > 0, by Lemire's multiply-and-reject method.
func (r rng) below(n uint64) uint64 {
	hi, lo := bits.Mul64(r.f.Uint64(), n)
	if lo < n {
		thresh := -n % n
		for lo < thresh {
			hi, lo = bits.Mul64(r.f.Uint64(), n)
		}
	}
	return hi
}

// chance reports true with probability p basis points.
func (r rng) chance(p uint64) bool {
	return r.below(bp) < p
}

// pick returns an index into cum, a table of cumulative weights, chosen by weight.
func (r rng) pick(cum []uint64) int {
	x := r.below(cum[len(cum)-1])
	for i, c := range cum {
		if x < c {
			return i
		}
	}
	return len(cum) - 1 // unreachable: x < the last cumulative weight
}

// normalOne is 1.0 in the Q16 fixed point that normal returns.
const normalOne = 1 << 16

// normal returns an approximately standard normal number in Q16 fixed point (65,536 is 1.0):
// the Irwin-Hall sum of twelve 16-bit uniforms, centred. Its variance is 1.0 within 1e-9, it
// is symmetric about 0 and it lies within ±6.
func (r rng) normal() int64 {
	var s int64
	for range 3 {
		x := r.f.Uint64()
		s += int64(x&0xffff) + int64(x>>16&0xffff) + int64(x>>32&0xffff) + int64(x>>48)
	}
	return s - 12*0xffff/2 // 393,210: the mean of the sum
}

// q59 is 1.0 in the Q59 fixed point of tenthRoots.
const q59 = 1 << 59

// tenthRoots holds 10^(2^-(k+1)) in Q59 fixed point: 10^(1/2), 10^(1/4), ..., 10^(1/65536).
// It is computed with exact integer square roots, so it is the same on every machine.
var tenthRoots = func() (c [16]uint64) {
	x := new(big.Int).Lsh(big.NewInt(10), 59)
	for k := range c {
		// sqrt(x * 2^59) is sqrt(x/2^59) in Q59.
		x.Sqrt(x.Lsh(x, 59))
		c[k] = x.Uint64()
	}
	return c
}()

// pow10Hi and pow10Lo hold 10^(j/256) and 10^(j/65536) in Q59 fixed point, for 0 <= j < 256,
// as products of tenthRoots, so pow10Frac needs two lookups and one multiplication rather than
// a loop of unpredictable branches.
var pow10Hi, pow10Lo = func() (hi, lo [256]uint64) {
	for j := range 256 {
		hi[j], lo[j] = q59, q59
		for b := range 8 {
			if j&(1<<(7-b)) != 0 {
				hi[j] = mulQ59(hi[j], tenthRoots[b])
				lo[j] = mulQ59(lo[j], tenthRoots[8+b])
			}
		}
	}
	return hi, lo
}()

// mulQ59 returns a*b/2^59 rounded down: the product of two Q59 numbers in Q59, or of an
// integer and a Q59 number as an integer. The result must fit 64 bits.
func mulQ59(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	return hi<<(64-59) | lo>>59
}

// pow10Frac returns 10^(f/65536) in Q59 fixed point, for 0 <= f < 65536.
func pow10Frac(f int64) uint64 {
	return mulQ59(pow10Hi[f>>8], pow10Lo[f&0xff])
}

// pow10 holds 10^0 .. 10^18.
var pow10 = func() (p [19]int64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// logNormal returns median * 10^(x/65536) in cents, capped at maxValue, where x is in Q16
// decades.
func logNormal(median int64, x int64) int64 {
	d, f := x>>16, x&0xffff // floor and fraction, also for negative x
	v := int64(mulQ59(uint64(median), pow10Frac(f)))
	switch {
	case d > 0:
		if d >= 10 || v > maxValue/pow10[d] {
			return maxValue
		}
		v *= pow10[d]
	case d < 0:
		if -d >= int64(len(pow10)) {
			return 0
		}
		v /= pow10[-d]
	}
	return min(v, maxValue)
}
