package gen

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/mock/internal/domain"
	userres "github.com/cryptofi/partner-mock/mock/internal/resource/users"
)

func TestGenerateIsDeterministic(t *testing.T) {
	tests := []struct {
		name string
		edit func(p *Params)
	}{
		{name: "sequence ids", edit: func(p *Params) {}},
		{name: "hashed ids", edit: func(p *Params) { p.IDFormat = "CIF-########" }},
		{name: "reserved ids", edit: func(p *Params) {
			p.Reserved = map[string]bool{"member-000001": true, "member-004097": true, "member-001": true}
		}},
		{name: "seed zero", edit: func(p *Params) { p.Seed = 0 }},
		{name: "a year of future", edit: func(p *Params) { p.Future = testFuture }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Several chunks, the last one partial.
			p := testParams(3*chunkSize + 123)
			tt.edit(&p)
			first, err := Generate(p)
			require.NoError(t, err)
			second, err := Generate(p)
			require.NoError(t, err)
			require.Equal(t, first, second)
		})
	}
}

func TestGenerateDoesNotDependOnGOMAXPROCS(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, format := range []string{DefaultIDFormat, "CIF-########"} {
		t.Run(format, func(t *testing.T) {
			p := testParams(5*chunkSize + 7)
			p.IDFormat = format
			p.Future = testFuture // future users come in chunks of their own
			var want []domain.User
			for _, procs := range []int{1, 2, 3, 8} {
				runtime.GOMAXPROCS(procs)
				got, err := Generate(p)
				require.NoError(t, err)
				if want == nil {
					want = got
					continue
				}
				require.Equal(t, want, got, "GOMAXPROCS=%d", procs)
			}
		})
	}
}

func TestDifferentSeedsGiveDifferentPopulations(t *testing.T) {
	a, b := testParams(1000), testParams(1000)
	b.Seed = a.Seed + 1
	ua, err := Generate(a)
	require.NoError(t, err)
	ub, err := Generate(b)
	require.NoError(t, err)

	same := 0
	for i := range ua {
		if ua[i].CreatedAt == ub[i].CreatedAt {
			same++
		}
	}
	assert.Less(t, same, 10, "created_at should differ for almost every user")
	assert.NotEqual(t, ua, ub)
}

func TestGenerateWithZeroUsersReturnsAnEmptyPopulation(t *testing.T) {
	users, err := Generate(testParams(0))
	require.NoError(t, err)
	assert.Empty(t, users)
}

func TestEveryPopulationKeepsTheInvariants(t *testing.T) {
	tests := []struct {
		name string
		edit func(p *Params)
	}{
		{name: "default tenant", edit: func(p *Params) {}},
		{name: "hashed ids and reserved ids", edit: func(p *Params) {
			p.IDFormat = "CIF######"
			p.Reserved = map[string]bool{"CIF000001": true, "member-000002": true}
		}},
		{name: "extra product and status", edit: func(p *Params) {
			p.Products = append(slices.Clone(specProducts), "margin", "savings")
			p.Statuses = append(slices.Clone(specStatuses), "under_review")
		}},
		{name: "one-hour window: approvals often land after as_of", edit: func(p *Params) {
			p.Window = time.Hour
		}},
		{name: "one-hour window without a pending status", edit: func(p *Params) {
			p.Window = time.Hour
			p.Statuses = []domain.KycStatus{"approved", "rejected"}
		}},
		{name: "one-second window", edit: func(p *Params) { p.Window = time.Second }},
		{name: "fractional as_of and window", edit: func(p *Params) {
			p.AsOf = testAsOf.Add(300 * time.Millisecond)
			p.Window = 36*time.Hour + 700*time.Millisecond
		}},
		{name: "only approved", edit: func(p *Params) { p.Statuses = []domain.KycStatus{"approved"} }},
		{name: "one product, unknown to the generator", edit: func(p *Params) {
			p.Products = []domain.Product{"gold"}
		}},
		{name: "window starting at the Unix epoch", edit: func(p *Params) {
			p.AsOf = time.Unix(3600, 0)
			p.Window = time.Hour
		}},
		{name: "a year of future", edit: func(p *Params) { p.Future = testFuture }},
		{name: "a year of future without a pending status", edit: func(p *Params) {
			p.Future = testFuture
			p.Statuses = []domain.KycStatus{"approved", "rejected"}
		}},
		{name: "36-hour future: decisions often land after it", edit: func(p *Params) { p.Future = 36 * time.Hour }},
		{name: "one-hour window and future", edit: func(p *Params) {
			p.Window = time.Hour
			p.Future = time.Hour
		}},
		{name: "fractional as_of with a future", edit: func(p *Params) {
			p.AsOf = testAsOf.Add(300 * time.Millisecond)
			p.Future = 36*time.Hour + 700*time.Millisecond
		}},
		{name: "the longest future", edit: func(p *Params) { p.Future = MaxFuture }},
		{name: "two-second future: its users sign up after as_of, never at it", edit: func(p *Params) {
			p.Window = time.Hour
			p.Future = 2 * time.Second
		}},
		{name: "hashed ids with a future", edit: func(p *Params) {
			p.IDFormat = "CIF######"
			p.Future = testFuture
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := testParams(20_000)
			tt.edit(&p)
			users, err := Generate(p)
			require.NoError(t, err)
			require.Empty(t, invariantProblems(p, users))
		})
	}
}

func TestShortWindowsTurnLateApprovalsPending(t *testing.T) {
	p := testParams(20_000)
	p.Window = time.Hour
	users, err := Generate(p)
	require.NoError(t, err)
	var approved, accounts int
	for _, u := range users {
		for _, a := range u.Accounts {
			accounts++
			if a.Status == domain.StatusApproved {
				approved++
			}
		}
	}
	// Only the minutes-long automated checks can pass within an hour.
	share := float64(approved) / float64(accounts)
	assert.Greater(t, share, 0.05)
	assert.Less(t, share, 0.40)
}

func TestUnknownEnumValuesAreGenerated(t *testing.T) {
	p := testParams(20_000)
	p.Products = append(slices.Clone(specProducts), "margin")
	p.Statuses = append(slices.Clone(specStatuses), "under_review")
	users, err := Generate(p)
	require.NoError(t, err)

	products := map[domain.Product]int{}
	statuses := map[domain.KycStatus]int{}
	accounts := 0
	for _, u := range users {
		for _, a := range u.Accounts {
			products[a.Product]++
			statuses[a.Status]++
			accounts++
		}
	}
	for _, p := range p.Products {
		assert.Positive(t, products[p], "product %s", p)
	}
	for _, s := range p.Statuses {
		assert.Positive(t, statuses[s], "status %s", s)
	}
	// Modest, not dominant: unknown values get default weights below the common known ones.
	assert.InDelta(t, 0.03, float64(statuses["under_review"])/float64(accounts), 0.01)
	assert.Less(t, products["margin"], products["roth_ira"])
}

func TestSequenceIDsAreDenseAndSkipReservedOnes(t *testing.T) {
	p := testParams(2*chunkSize + 10)
	p.Reserved = map[string]bool{
		"member-000001": true, // the very first candidate
		"member-004097": true, // the first candidate of the second chunk, before the skip
		"member-004099": true,
		"member-001":    true, // the docs' example: padded differently, so no candidate
		"member-1":      true,
		"someone-else":  true,
		"member-000050": false, // false entries reserve nothing
	}
	users, err := Generate(p)
	require.NoError(t, err)
	require.Empty(t, invariantProblems(p, users))

	var want []string
	for n := 1; len(want) < p.Users; n++ {
		id := fmt.Sprintf("member-%06d", n)
		if !p.Reserved[id] {
			want = append(want, id)
		}
	}
	got := ids(users)
	slices.Sort(got)
	assert.Equal(t, want, got)
}

func TestSequenceIDsFollowSignUpOrder(t *testing.T) {
	p := testParams(3 * chunkSize)
	users, err := Generate(p)
	require.NoError(t, err)
	slices.SortStableFunc(users, func(a, b domain.User) int {
		if a.CreatedAt != b.CreatedAt {
			return int(a.CreatedAt/1e6 - b.CreatedAt/1e6)
		}
		return strings.Compare(a.ID, b.ID)
	})
	for i, u := range users {
		require.Equal(t, fmt.Sprintf("member-%06d", i+1), u.ID, "the %d-th user to sign up", i+1)
	}
}

func TestSequenceIDsGrowPastTheirPadding(t *testing.T) {
	p := testParams(1200)
	p.IDFormat = "m{n:03d}"
	users, err := Generate(p)
	require.NoError(t, err)
	got := ids(users)
	assert.Contains(t, got, "m001")
	assert.Contains(t, got, "m999")
	assert.Contains(t, got, "m1000")
	assert.Contains(t, got, "m1200")
}

func TestHashedIDsAreUniqueAndSkipReservedOnes(t *testing.T) {
	p := testParams(2*chunkSize + 10)
	p.IDFormat = "CIF-#######-X"
	unreserved, err := Generate(p)
	require.NoError(t, err)

	// Reserve ids that the unreserved population hands out, at chunk boundaries too.
	positions := []int{0, 1, chunkSize - 1, chunkSize, 2 * chunkSize}
	p.Reserved = map[string]bool{}
	for _, i := range positions {
		p.Reserved[unreserved[i].ID] = true
	}
	users, err := Generate(p)
	require.NoError(t, err)
	require.Empty(t, invariantProblems(p, users))

	// Every id not reserved keeps coming in the same order; the ones after a reserved id move up.
	var want []string
	for _, id := range ids(unreserved) {
		if !p.Reserved[id] {
			want = append(want, id)
		}
	}
	assert.Equal(t, want, ids(users)[:len(want)])
	for _, id := range ids(users) {
		assert.Regexp(t, `^CIF-\d{7}-X$`, id)
	}
}

func TestTemplatesUpToTheirCapacity(t *testing.T) {
	tests := []struct {
		name     string
		format   string
		users    int
		reserved []string
		wantErr  string
	}{
		{name: "one digit holds ten ids", format: "a#", users: 10},
		{name: "one digit cannot hold eleven", format: "a#", users: 11,
			wantErr: `id_format: "a#" holds only 10 distinct ids (0 of them reserved), too few for 11 users`},
		{name: "a reserved id takes a slot", format: "a#", users: 10, reserved: []string{"a3"},
			wantErr: `id_format: "a#" holds only 10 distinct ids (1 of them reserved), too few for 10 users`},
		{name: "reserved ids the template cannot produce take none", format: "a#", users: 10,
			reserved: []string{"b3", "a33", "a"}},
		{name: "nine ids besides a reserved one", format: "a#", users: 9, reserved: []string{"a3"}},
		{name: "a literal template holds one id", format: "admin", users: 1},
		{name: "a literal template cannot hold two", format: "admin", users: 2,
			wantErr: `id_format: "admin" holds only 1 distinct ids (0 of them reserved), too few for 2 users`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := testParams(tt.users)
			p.IDFormat = tt.format
			p.Reserved = map[string]bool{}
			for _, id := range tt.reserved {
				p.Reserved[id] = true
			}
			users, err := Generate(p)
			if tt.wantErr != "" {
				require.EqualError(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			require.Empty(t, invariantProblems(p, users))
		})
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(p *Params)
		wantErr string
	}{
		{name: "valid", edit: func(p *Params) {}},
		{name: "zero users", edit: func(p *Params) { p.Users = 0 }},
		{name: "most users", edit: func(p *Params) { p.Users = MaxUsers }},
		{name: "negative users", edit: func(p *Params) { p.Users = -1 },
			wantErr: "users: must be between 0 and 10000000, got -1"},
		{name: "too many users", edit: func(p *Params) { p.Users = MaxUsers + 1 },
			wantErr: "users: must be between 0 and 10000000, got 10000001"},
		{name: "no as_of", edit: func(p *Params) { p.AsOf = time.Time{} },
			wantErr: "as_of: must be set: it ends the created_at window, and the generator never reads the clock"},
		{name: "as_of after year 9999", edit: func(p *Params) { p.AsOf = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) },
			wantErr: "as_of: must be before year 10000, got 10000-01-01T00:00:00Z"},
		{name: "negative window", edit: func(p *Params) { p.Window = -time.Hour },
			wantErr: "window: must be positive (zero means 43830h0m0s), got -1h0m0s"},
		{name: "window before 1970", edit: func(p *Params) { p.AsOf = time.Date(1971, 1, 1, 0, 0, 0, 0, time.UTC) },
			wantErr: "window: 43830h0m0s before as_of starts at 1965-12-31T18:00:00Z, before 1970-01-01T00:00:00Z; shorten it or move as_of"},
		{name: "window without a whole second", edit: func(p *Params) {
			p.AsOf = testAsOf.Add(200 * time.Millisecond)
			p.Window = 100 * time.Millisecond
		}, wantErr: "window: 100ms before as_of holds no whole second"},
		{name: "bad template", edit: func(p *Params) { p.IDFormat = "member-{id}" },
			wantErr: `id_format: bad placeholder "{id}" at byte 7 of "member-{id}": want {n} or {n:0Wd} with 1 <= W <= 20 ({{ is a literal {)`},
		{name: "template too small", edit: func(p *Params) { p.IDFormat = "CIF-###" },
			wantErr: `id_format: "CIF-###" holds only 1000 distinct ids (0 of them reserved), too few for 5000 users`},
		{name: "template too small for the future's users", edit: func(p *Params) {
			p.IDFormat = "CIF-####"
			p.Users = 9000
			p.Future = testFuture
		}, wantErr: `id_format: "CIF-####" holds only 10000 distinct ids (0 of them reserved), too few for 9000 users and the 3410 who sign up in the future`},
		{name: "a year of future", edit: func(p *Params) { p.Future = testFuture }},
		{name: "the longest future", edit: func(p *Params) { p.Future = MaxFuture }},
		{name: "negative future", edit: func(p *Params) { p.Future = -time.Hour },
			wantErr: "future: must be from 0 to 87660h0m0s, got -1h0m0s"},
		{name: "future past ten years", edit: func(p *Params) { p.Future = MaxFuture + time.Second },
			wantErr: "future: must be from 0 to 87660h0m0s, got 87660h0m1s"},
		{name: "future bringing too many users", edit: func(p *Params) {
			p.Users = MaxUsers
			p.Future = MaxFuture
		}, wantErr: "future: 87660h0m0s past as_of brings 37920000 sign-ups to the 10000000 users, more than the 16777215 users a tenant can hold in all; shorten it"},
		{name: "no products", edit: func(p *Params) { p.Products = nil },
			wantErr: "products: must not be empty (it comes from the spec's enum)"},
		{name: "repeated product", edit: func(p *Params) { p.Products = []domain.Product{"crypto", "robo", "crypto"} },
			wantErr: `products: holds "crypto" twice`},
		{name: "empty status", edit: func(p *Params) { p.Statuses = []domain.KycStatus{"approved", ""} },
			wantErr: "statuses: must not hold an empty value"},
		{name: "no statuses", edit: func(p *Params) { p.Statuses = []domain.KycStatus{} },
			wantErr: "statuses: must not be empty (it comes from the spec's enum)"},
		{name: "every problem at once", edit: func(p *Params) {
			p.Users = -5
			p.AsOf = time.Time{}
			p.IDFormat = "}"
			p.Products = nil
			p.Statuses = nil
		}, wantErr: "users: must be between 0 and 10000000, got -5\n" +
			"as_of: must be set: it ends the created_at window, and the generator never reads the clock\n" +
			`id_format: lone } at byte 0 of "}": write }} for a literal }` + "\n" +
			"products: must not be empty (it comes from the spec's enum)\n" +
			"statuses: must not be empty (it comes from the spec's enum)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := testParams(5000)
			tt.edit(&p)
			err := p.Validate()
			if tt.wantErr == "" {
				require.NoError(t, err)
				return
			}
			require.EqualError(t, err, tt.wantErr)
			_, genErr := Generate(p)
			require.EqualError(t, genErr, tt.wantErr, "Generate must refuse what Validate refuses")
		})
	}
}

func TestFutureUsersSignUpAfterAsOfAtTheRecentRate(t *testing.T) {
	p := testParams(100_000)
	p.Future = testFuture
	all, err := Generate(p)
	require.NoError(t, err)
	require.Empty(t, invariantProblems(p, all))
	future := all[p.Users:]

	// The newest fifth of the window holds newestFifthShare of its users; the future goes on at
	// that rate: 100,000 * 0.3792 * 365 / 365.25 users in a year.
	fifth := DefaultWindow / 5
	want := int(float64(p.Users) * newestFifthShare * float64(p.Future) / float64(fifth))
	assert.InDelta(t, want, len(future), 1, "users who sign up in the future")

	// Uniformly over the horizon: each half of it holds about half of them.
	mid := p.AsOf.Add(p.Future / 2).UnixMicro()
	firstHalf := 0
	for _, u := range future {
		if u.CreatedAt < mid {
			firstHalf++
		}
	}
	t.Logf("%d future users, %.1f%% in the first half of the year", len(future), 100*float64(firstHalf)/float64(len(future)))
	assert.InDelta(t, 0.5, float64(firstHalf)/float64(len(future)), 0.02)

	// Sequence numbers go on after the window's: the future's users sign up last.
	maxWindow := slices.Max(ids(all[:p.Users]))
	minFuture := slices.Min(ids(future))
	assert.Equal(t, fmt.Sprintf("member-%06d", p.Users), maxWindow)
	assert.Equal(t, fmt.Sprintf("member-%06d", p.Users+1), minFuture)
}

func TestTheWindowDoesNotDependOnTheFuture(t *testing.T) {
	long := []time.Duration{0, 36 * time.Hour, testFuture, MaxFuture}
	tests := []struct {
		name    string
		edit    func(p *Params)
		futures []time.Duration // increasing
	}{
		{name: "sequence ids", edit: func(p *Params) {}, futures: long},
		{name: "hashed ids", edit: func(p *Params) { p.IDFormat = "CIF-########" }, futures: long},
		{name: "without a pending status", edit: func(p *Params) {
			p.Statuses = []domain.KycStatus{"not_started", "approved", "rejected"}
		}, futures: long},
		// A short window signs up as many users a week as the default one does in a year.
		{name: "30-day window", edit: func(p *Params) { p.Window = 30 * 24 * time.Hour },
			futures: []time.Duration{0, 36 * time.Hour, 7 * 24 * time.Hour}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := testParams(2*chunkSize + 100)
			tt.edit(&p)
			futures := tt.futures
			populations := make([][]domain.User, len(futures))
			for i, f := range futures {
				p.Future = f
				var err error
				populations[i], err = Generate(p)
				require.NoError(t, err)
				require.Empty(t, invariantProblems(p, populations[i]))
			}
			// At any instant the shortest horizon reaches, every window user renders the same,
			// whatever the horizon; so does everything but the KYC decisions at any instant.
			for i := 1; i < len(futures); i++ {
				for _, at := range []time.Time{p.AsOf, p.AsOf.Add(futures[i-1])} {
					for j := range p.Users {
						a, b := &populations[i-1][j], &populations[i][j]
						require.Equal(t, userres.AppendUser(nil, a, at.UnixMicro()), userres.AppendUser(nil, b, at.UnixMicro()),
							"user %d at %s with futures %s and %s", j, at, futures[i-1], futures[i])
						require.Equal(t, a.CreatedAt, b.CreatedAt)
					}
				}
			}
		})
	}
}

func TestKYCDecisionsLandAtTheirInstant(t *testing.T) {
	p := testParams(50_000)
	p.Future = testFuture
	all, err := Generate(p)
	require.NoError(t, err)
	require.Empty(t, invariantProblems(p, all))
	asOf := p.AsOf.UnixMicro()

	// Every window account shows its final state from its decision on, pending before it.
	var decidedLater, approvedLater, rejectedLater, static, pendingForever int
	for _, u := range all[:p.Users] {
		for _, a := range u.Accounts {
			switch {
			case a.DecidedAt == domain.Always:
				static++
				if a.Status == domain.StatusPending {
					pendingForever++
				}
				assert.Equal(t, a.Status, a.StatusAt(u.CreatedAt), "%s: a static state holds from sign-up", u.ID)
			default:
				assert.Equal(t, domain.StatusPending, a.StatusAt(a.DecidedAt-1), "%s: pending just before the decision", u.ID)
				assert.Equal(t, a.Status, a.StatusAt(a.DecidedAt), "%s: decided at the instant", u.ID)
				if a.DecidedAt > asOf {
					decidedLater++
					assert.Equal(t, domain.StatusPending, a.StatusAt(asOf))
					switch a.Status {
					case domain.StatusApproved:
						approvedLater++
					case "rejected":
						rejectedLater++
					}
				}
			}
		}
	}
	t.Logf("window accounts: %d decided after as_of (%d approved, %d rejected), %d static (%d of them pending for good)",
		decidedLater, approvedLater, rejectedLater, static, pendingForever)
	// Checks that take up to four weeks, started in the window's last weeks, land in the future.
	assert.Positive(t, approvedLater)
	assert.Positive(t, rejectedLater)
	assert.Positive(t, pendingForever, "the pending state is also a final state")

	// The future's users are decided too, and some after they signed up by weeks.
	var futureDecided int
	for _, u := range all[p.Users:] {
		for _, a := range u.Accounts {
			if a.DecidedAt != domain.Always {
				futureDecided++
				assert.Greater(t, a.DecidedAt, u.CreatedAt, "%s: decided after sign-up", u.ID)
			}
		}
	}
	assert.Positive(t, futureDecided)
}

func TestDecisionsPastTheHorizonNeverLand(t *testing.T) {
	p := testParams(20_000)
	p.Future = testFuture
	long, err := Generate(p)
	require.NoError(t, err)
	p.Future = 36 * time.Hour
	short, err := Generate(p)
	require.NoError(t, err)
	end := horizon(p) * 1e6

	// The same draws under both horizons: a decision the short horizon reaches is the same, one
	// past it leaves the account pending for good, without an approval time.
	cut := 0
	for i := range p.Users {
		for j, want := range long[i].Accounts {
			got := short[i].Accounts[j]
			if want.DecidedAt <= end {
				require.Equal(t, want, got, "user %d account %d", i, j)
				continue
			}
			cut++
			assert.Equal(t, domain.StatusPending, got.Status, "user %d account %d", i, j)
			assert.Equal(t, domain.Always, got.DecidedAt)
			assert.Zero(t, got.ApprovedAt)
			assert.Equal(t, want.Value, got.Value, "values never depend on the horizon")
		}
	}
	t.Logf("%d window accounts decided after a 36-hour horizon", cut)
	assert.Positive(t, cut)
}
