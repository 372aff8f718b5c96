package gen

import (
	"math"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/mock/internal/domain"
)

// distributionUsers is the population size the distribution tests measure.
const distributionUsers = 200_000

// distributionParams are those of the default-like tenant the distribution tests measure: a
// year of future, as tenants have by default.
func distributionParams() Params {
	p := testParams(distributionUsers)
	p.Future = testFuture
	return p
}

// population generates the tenant of distributionParams and returns the users of its window.
// The documented figures are those of the population at as_of: measure an account's state with
// StatusAt(asOfMicros).
func population(t *testing.T) []domain.User {
	t.Helper()
	p := distributionParams()
	users, err := Generate(p)
	require.NoError(t, err)
	require.Greater(t, len(users), p.Users, "the future's users follow the window's")
	return users[:p.Users]
}

// asOfMicros is testAsOf in Unix microseconds: the instant the documented figures describe.
var asOfMicros = testAsOf.UnixMicro()

func TestProductModelGivesTheDocumentedShares(t *testing.T) {
	var primarySum float64
	for _, p := range specProducts {
		primarySum += float64(knownProducts[p].primary)
	}
	want := map[domain.Product]float64{
		"crypto": cryptoShare, "securities": securitiesShare, "robo": roboShare, "roth_ira": rothIRAShare,
	}
	for _, p := range specProducts {
		m := knownProducts[p]
		f := float64(m.primary) / primarySum
		share := f + (1-f)*float64(m.crossSell)/bp
		assert.InDelta(t, want[p], share, 0.001, "product %s", p)
	}
}

func TestStatusModelGivesTheDocumentedShares(t *testing.T) {
	var sum float64
	for _, s := range specStatuses {
		sum += float64(knownStatuses[s].weight)
	}
	want := map[domain.KycStatus]float64{
		"approved": approvedShare, "pending": pendingShare, "not_started": notStartedShare, "rejected": rejectedShare,
	}
	for _, s := range specStatuses {
		assert.InDelta(t, want[s], float64(knownStatuses[s].weight)/sum, 1e-9, "status %s", s)
	}
}

func TestPopulationMatchesTheDocumentedFigures(t *testing.T) {
	users := population(t)
	n := float64(len(users))
	p := distributionParams()
	windowStart := testAsOf.Add(-DefaultWindow).Unix()
	windowLen := float64(DefaultWindow.Seconds())

	holders := map[domain.Product]int{}
	statuses := map[domain.KycStatus]int{}
	var accounts, newest, oldest int
	var signUpDelays []int64
	for _, u := range users {
		created := u.CreatedAt / 1e6
		switch x := float64(created-windowStart) / windowLen; {
		case x >= 0.8:
			newest++
		case x < 0.2:
			oldest++
		}
		for _, a := range u.Accounts {
			holders[a.Product]++
			statuses[a.StatusAt(asOfMicros)]++
			accounts++
		}
		// The first account is the sign-up product, opened at created_at.
		if first := u.Accounts[0]; first.StatusAt(asOfMicros) == domain.StatusApproved {
			signUpDelays = append(signUpDelays, first.ApprovedAt-created)
		}
	}

	// The measured figures, for docs/configuration.md "The generated data" (go test ./mock/internal/gen -run Documented -v).
	slices.Sort(signUpDelays)
	t.Logf("%d users, %.3f accounts per user", len(users), float64(accounts)/n)
	for _, prod := range p.Products {
		t.Logf("users holding %-10s %5.1f%%", prod, 100*float64(holders[prod])/n)
	}
	for _, st := range p.Statuses {
		t.Logf("accounts %-11s %5.1f%%", st, 100*float64(statuses[st])/float64(accounts))
	}
	t.Logf("created in the newest fifth of the window %.1f%%, the oldest fifth %.1f%%", 100*float64(newest)/n, 100*float64(oldest)/n)
	t.Logf("sign-up approval delay: median %s, 90th percentile %s",
		time.Duration(signUpDelays[len(signUpDelays)/2])*time.Second, time.Duration(signUpDelays[len(signUpDelays)*9/10])*time.Second)

	t.Run("products", func(t *testing.T) {
		want := map[domain.Product]float64{
			"crypto": cryptoShare, "securities": securitiesShare, "robo": roboShare, "roth_ira": rothIRAShare,
		}
		for _, prod := range p.Products {
			assert.InDelta(t, want[prod], float64(holders[prod])/n, 0.01, "share of users holding %s", prod)
		}
		assert.InDelta(t, cryptoShare+securitiesShare+roboShare+rothIRAShare, float64(accounts)/n, 0.02,
			"accounts per user")
	})
	t.Run("statuses", func(t *testing.T) {
		want := map[domain.KycStatus]float64{
			"approved": approvedShare, "pending": pendingShare, "not_started": notStartedShare, "rejected": rejectedShare,
		}
		for _, s := range p.Statuses {
			assert.InDelta(t, want[s], float64(statuses[s])/float64(accounts), 0.01, "share of accounts %s", s)
		}
	})
	t.Run("recency", func(t *testing.T) {
		assert.InDelta(t, newestFifthShare, float64(newest)/n, 0.01, "newest fifth of the window")
		assert.InDelta(t, oldestFifthShare, float64(oldest)/n, 0.01, "oldest fifth of the window")
	})
	t.Run("approval delays", func(t *testing.T) {
		slices.Sort(signUpDelays)
		assert.GreaterOrEqual(t, signUpDelays[0], int64(minute))
		assert.Less(t, signUpDelays[len(signUpDelays)-1], int64(28*day))
		median := signUpDelays[len(signUpDelays)/2]
		assert.InDelta(t, 12*hour, median, 2*hour, "median delay")
	})
}

func TestMarketValuesHaveALongTail(t *testing.T) {
	users := population(t)
	funded := map[domain.Product][]int64{}
	var all []int64
	zeros := map[domain.KycStatus]int{}
	counts := map[domain.KycStatus]int{}
	for _, u := range users {
		for _, a := range u.Accounts {
			status := a.StatusAt(asOfMicros)
			counts[status]++
			if a.Value == 0 {
				zeros[status]++
				continue
			}
			funded[a.Product] = append(funded[a.Product], int64(a.Value))
			all = append(all, int64(a.Value))
		}
	}

	slices.Sort(all)
	for _, p := range specProducts {
		v := slices.Clone(funded[p])
		slices.Sort(v)
		t.Logf("funded %-10s median %s", p, domain.Money(v[len(v)/2]))
	}
	over := func(dollars int64) float64 {
		return 100 * float64(len(all)-sortedIndex(all, dollars*100)) / float64(len(all))
	}
	t.Logf("funded accounts: median %s, over $100,000 %.2f%%, over $1,000,000 %.3f%%, largest %s",
		domain.Money(all[len(all)/2]), over(100_000), over(1_000_000), domain.Money(all[len(all)-1]))
	for _, s := range specStatuses {
		t.Logf("%-11s accounts at 0.00: %.1f%%", s, 100*float64(zeros[s])/float64(counts[s]))
	}

	t.Run("medians per product", func(t *testing.T) {
		for _, p := range specProducts {
			v := funded[p]
			slices.Sort(v)
			want := float64(knownProducts[p].median)
			assert.InEpsilon(t, want, float64(v[len(v)/2]), 0.05, "median %s in cents", p)
		}
	})
	t.Run("tail", func(t *testing.T) {
		slices.Sort(all)
		median := all[len(all)/2]
		assert.Greater(t, median, int64(1_000*100), "overall median above $1,000")
		assert.Less(t, median, int64(10_000*100), "overall median below $10,000")
		over100k := len(all) - sortedIndex(all, 100_000*100)
		share := float64(over100k) / float64(len(all))
		assert.Greater(t, share, 0.003, "share of funded accounts over $100,000")
		assert.Less(t, share, 0.03, "share of funded accounts over $100,000")
		assert.Greater(t, all[len(all)-1], int64(300_000*100), "largest account")
		assert.LessOrEqual(t, all[len(all)-1], int64(maxValue))
	})
	t.Run("unfunded accounts per status", func(t *testing.T) {
		for _, s := range specStatuses {
			want := float64(knownStatuses[s].zeroValue) / bp
			assert.InDelta(t, want, float64(zeros[s])/float64(counts[s]), 0.02, "share of %s accounts at 0.00", s)
		}
	})
}

// sortedIndex returns the index of the first element of sorted v that is at least x.
func sortedIndex(v []int64, x int64) int {
	i, _ := slices.BinarySearch(v, x)
	return i
}

func TestSignUpAccountsShareTheirApproval(t *testing.T) {
	users := population(t)
	shared := 0
	for _, u := range users {
		first := u.Accounts[0]
		for _, a := range u.Accounts[1:] {
			if first.StatusAt(asOfMicros) == domain.StatusApproved && a.StatusAt(asOfMicros) == domain.StatusApproved &&
				a.ApprovedAt == first.ApprovedAt {
				shared++
			}
		}
	}
	// About 0.5 cross-sold accounts per user, 30% of them opened at sign-up, 56% of those pairs
	// both approved: some 16,000 of 200,000 users.
	assert.Greater(t, shared, distributionUsers/20)
}

func TestNormalIsStandard(t *testing.T) {
	r := newRng(1, 2)
	const draws = 200_000
	var sum, sumSq float64
	var lowest, highest int64
	for range draws {
		z := r.normal()
		lowest, highest = min(lowest, z), max(highest, z)
		x := float64(z) / normalOne
		sum += x
		sumSq += x * x
	}
	mean := sum / draws
	assert.InDelta(t, 0, mean, 0.01)
	assert.InDelta(t, 1, sumSq/draws-mean*mean, 0.02)
	assert.GreaterOrEqual(t, lowest, int64(-6*normalOne))
	assert.LessOrEqual(t, highest, int64(6*normalOne))
}

func TestPow10FracIsAccurate(t *testing.T) {
	for _, f := range []int64{0, 1, 255, 256, 4096, 32768, 49151, 65535} {
		want := math.Pow(10, float64(f)/65536)
		got := float64(pow10Frac(f)) / q59
		assert.InEpsilon(t, want, got, 1e-12, "10^(%d/65536)", f)
	}
}

func TestLogNormalScalesTheMedian(t *testing.T) {
	tests := []struct {
		name string
		x    int64 // Q16 decades
		want int64
	}{
		{name: "zero is the median", x: 0, want: 600_000},
		{name: "one decade up", x: 1 << 16, want: 6_000_000},
		{name: "two decades down", x: -2 << 16, want: 6_000},
		{name: "half a decade up", x: 1 << 15, want: 1_897_366}, // 600,000 * sqrt(10)
		{name: "far below rounds to zero", x: -20 << 16, want: 0},
		{name: "far above is capped", x: 12 << 16, want: maxValue},
		{name: "just past the cap", x: 4 << 16, want: maxValue},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.InDelta(t, tt.want, logNormal(600_000, tt.x), 1)
		})
	}
}
