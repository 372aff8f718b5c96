package faults

import (
	"errors"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
)

// Profile is the faults one API key meets on every request, whatever the client asks for: a
// key given to a service under test makes that service meet a slow or flaky API without any
// change to its code. It comes from the tenants config. The zero value injects nothing.
type Profile struct {
	// Latency is added to each of the key's requests, on top of any global --latency.
	Latency Latency
	// ErrorRate is the fraction of the key's requests answered with the load balancer's 503,
	// 0 to 1: the same answer as --error-rate's.
	ErrorRate float64
	// RateLimit is the key's own budget; excess requests get 429 with Retry-After, as under
	// --rate-limit.
	RateLimit Rate
	// Status, when not 0, answers every request of the key with that status, exactly as
	// Prefer: code=N does; one of Codes.
	Status int
}

// Active reports whether p injects anything.
func (p Profile) Active() bool {
	return p != (Profile{})
}

// ProfileProblem is one thing wrong with a Profile.
type ProfileProblem struct {
	// Field is the setting at fault as the tenants config names it (latency, error_rate,
	// rate_limit, status), or "" when the problem is the settings together.
	Field string
	Msg   string
}

// Problems lists what is wrong with p, in field order: out-of-range values (possible in a
// Profile built in code) and settings that cannot work together. It is empty for a good one.
func (p Profile) Problems() []ProfileProblem {
	var out []ProfileProblem
	if err := p.Latency.check(); err != nil {
		out = append(out, ProfileProblem{"latency", err.Error()})
	}
	if err := checkErrorRate(p.ErrorRate); err != nil {
		out = append(out, ProfileProblem{"error_rate", err.Error()})
	}
	if err := p.RateLimit.check(); err != nil {
		out = append(out, ProfileProblem{"rate_limit", err.Error()})
	}
	if err := CheckStatus(p.Status); p.Status != 0 && err != nil {
		out = append(out, ProfileProblem{"status", err.Error()})
	}
	if p.Status != 0 && (p.ErrorRate > 0 || p.RateLimit != (Rate{})) {
		// A fixed status answers every request, so the other two would never show.
		out = append(out, ProfileProblem{"", "status answers every request, so error_rate and rate_limit would never apply; keep status (with latency, if you like) or drop it"})
	}
	return out
}

// CheckStatus reports whether code is a status a profile (or Prefer: code=N) can answer with.
func CheckStatus(code int) error {
	if slices.Contains(Codes, code) {
		return nil
	}
	var b strings.Builder
	b.WriteString("want one of ")
	for i, c := range Codes {
		switch {
		case i == len(Codes)-1:
			b.WriteString(" or ")
		case i > 0:
			b.WriteString(", ")
		}
		b.WriteString(strconv.Itoa(c))
	}
	b.WriteString(" (the statuses Prefer: code=N can ask for), got " + strconv.Itoa(code))
	return errors.New(b.String())
}

// Describe says what p injects in one line, for the start-up block: its controls in the order
// latency, error rate, rate limit, status. It is empty for the zero Profile.
func (p Profile) Describe() string {
	var parts []string
	if p.Latency != (Latency{}) {
		parts = append(parts, "latency "+p.Latency.String()+" on every request")
	}
	if p.ErrorRate > 0 {
		parts = append(parts, "error rate "+strconv.FormatFloat(p.ErrorRate*100, 'f', -1, 64)+"% (503 from the load balancer)")
	}
	if p.RateLimit != (Rate{}) {
		parts = append(parts, "rate limit "+p.RateLimit.String()+" (429 with Retry-After)")
	}
	if p.Status != 0 {
		parts = append(parts, "status "+strconv.Itoa(p.Status)+" on every request")
	}
	return strings.Join(parts, "; ")
}

// Random reports whether p's decisions are drawn (a latency range or an error rate), so the
// chaos seed matters to it.
func (p Profile) Random() bool {
	return p.Latency.Min != p.Latency.Max || p.ErrorRate > 0
}

// NewKeyDice returns the decision source of a key's profile p under the chaos seed. Each key
// has its own sequence, derived from the seed and label (a name that is stable across runs and
// is not the key, such as "demo-credit-union/2"): a key's decisions depend only on the seed and
// its own requests, however other keys' requests interleave with them.
func NewKeyDice(p Profile, seed uint64, label string) *Dice {
	h := fnv.New64a()
	_, _ = h.Write([]byte(label))
	return NewDice(Chaos{Latency: p.Latency, ErrorRate: p.ErrorRate, Seed: seed ^ h.Sum64()})
}
