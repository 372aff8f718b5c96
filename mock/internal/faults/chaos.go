package faults

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"time"
)

// MaxLatency caps --latency: a pause longer than this is a hang, not latency.
const MaxLatency = 30 * time.Second

// Latency is the pause added to every API request: exactly Min when Min == Max, otherwise drawn
// uniformly from [Min, Max]. The zero value adds none.
type Latency struct {
	Min, Max time.Duration
}

// ParseLatency reads --latency: a duration ("50ms") or a range ("20ms-200ms"). The empty
// string means none.
func ParseLatency(s string) (Latency, error) {
	l, err := ParseLatencyValue(s)
	if err != nil {
		return Latency{}, fmt.Errorf("--latency %q: %w", s, err)
	}
	return l, nil
}

// ParseLatencyValue is ParseLatency for settings other than the flag (a key's profile in the
// tenants config): its errors say what to fix without naming a flag or repeating the value.
func ParseLatencyValue(s string) (Latency, error) {
	if s == "" {
		return Latency{}, nil
	}
	bad := fmt.Errorf("want a duration such as 50ms, or a range such as 20ms-200ms (at most %s)", MaxLatency)
	lo, hi, isRange := strings.Cut(s, "-")
	min, err := time.ParseDuration(strings.TrimSpace(lo))
	if err != nil {
		return Latency{}, bad
	}
	max := min
	if isRange {
		if max, err = time.ParseDuration(strings.TrimSpace(hi)); err != nil {
			return Latency{}, bad
		}
	}
	l := Latency{Min: min, Max: max}
	if err := l.check(); err != nil {
		return Latency{}, err
	}
	return l, nil
}

// check reports what is wrong with l, whether parsed or built in code.
func (l Latency) check() error {
	switch {
	case l.Min < 0 || l.Max < 0:
		return fmt.Errorf("want a duration such as 50ms, or a range such as 20ms-200ms (at most %s)", MaxLatency)
	case l.Max > MaxLatency || l.Min > MaxLatency:
		return fmt.Errorf("at most %s; use Prefer: delay=MS on single requests to rehearse longer waits", MaxLatency)
	case l.Min > l.Max:
		return fmt.Errorf("the range's low end is above its high end; write it as %s-%s", l.Max, l.Min)
	}
	return nil
}

// String formats l as --latency takes it.
func (l Latency) String() string {
	if l.Min == l.Max {
		return l.Min.String()
	}
	return l.Min.String() + "-" + l.Max.String()
}

// ParseErrorRate reads --error-rate: the fraction of API requests answered 503, 0 to 1. The
// empty string means 0.
func ParseErrorRate(s string) (float64, error) {
	f, err := ParseErrorRateValue(s)
	if err != nil {
		return 0, fmt.Errorf("--error-rate %q: %w", s, err)
	}
	return f, nil
}

// ParseErrorRateValue is ParseErrorRate for settings other than the flag: its errors name
// neither the flag nor the value.
func ParseErrorRateValue(s string) (float64, error) {
	if s == "" {
		return 0, nil
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || checkErrorRate(f) != nil {
		return 0, errBadErrorRate
	}
	return f, nil
}

var errBadErrorRate = fmt.Errorf("want a fraction from 0 to 1, such as 0.02 for 2%% of requests")

// checkErrorRate reports whether f is a fraction from 0 to 1.
func checkErrorRate(f float64) error {
	if f < 0 || f > 1 || f != f {
		return errBadErrorRate
	}
	return nil
}

// Rate is a per-key request budget: at most N requests at once, refilled at N per Per. The
// zero value is no limit.
type Rate struct {
	N   int
	Per time.Duration
}

// maxRate bounds N, so the token arithmetic stays far from overflow.
const maxRate = 1_000_000

// ParseRate reads --rate-limit: N/s, N/m or N/h. The empty string means no limit.
func ParseRate(s string) (Rate, error) {
	r, err := ParseRateValue(s)
	if err != nil {
		return Rate{}, fmt.Errorf("--rate-limit %q: %w", s, err)
	}
	return r, nil
}

// ParseRateValue is ParseRate for settings other than the flag: its errors name neither the
// flag nor the value.
func ParseRateValue(s string) (Rate, error) {
	if s == "" {
		return Rate{}, nil
	}
	num, unit, ok := strings.Cut(strings.TrimSpace(s), "/")
	if !ok {
		return Rate{}, errBadRate
	}
	n, err := strconv.Atoi(num)
	if err != nil {
		return Rate{}, errBadRate
	}
	r := Rate{N: n, Per: map[string]time.Duration{"s": time.Second, "m": time.Minute, "h": time.Hour}[unit]}
	if err := r.check(); err != nil {
		return Rate{}, err
	}
	return r, nil
}

var errBadRate = fmt.Errorf("want requests per key per unit, such as 10/s, 300/m or 1000/h")

// check reports whether r is a limit ParseRate could have returned (or none).
func (r Rate) check() error {
	if r == (Rate{}) {
		return nil
	}
	if r.N < 1 || r.N > maxRate || (r.Per != time.Second && r.Per != time.Minute && r.Per != time.Hour) {
		return errBadRate
	}
	return nil
}

// String formats r as --rate-limit takes it.
func (r Rate) String() string {
	unit := map[time.Duration]string{time.Second: "s", time.Minute: "m", time.Hour: "h"}[r.Per]
	return strconv.Itoa(r.N) + "/" + unit
}

// Chaos is the global chaos of a server. The zero value injects nothing.
type Chaos struct {
	// Latency is added to every API request.
	Latency Latency
	// ErrorRate is the fraction of API requests answered 503 by the load balancer, 0 to 1.
	ErrorRate float64
	// RateLimit limits each API key; excess requests get 429 with Retry-After.
	RateLimit Rate
	// Seed seeds the latency and error draws: the same seed and the same sequence of requests
	// give the same decisions.
	Seed uint64
}

// Active reports whether c injects anything.
func (c Chaos) Active() bool {
	return c.Latency != (Latency{}) || c.ErrorRate > 0 || c.RateLimit != (Rate{})
}

// Describe lists what c injects, one line per control, for the start-up block.
func (c Chaos) Describe() []string {
	var lines []string
	if c.Latency != (Latency{}) {
		lines = append(lines, "latency "+c.Latency.String()+" on every API request")
	}
	if c.ErrorRate > 0 {
		lines = append(lines, "error rate "+strconv.FormatFloat(c.ErrorRate*100, 'f', -1, 64)+"% (503 from the load balancer)")
	}
	if c.RateLimit != (Rate{}) {
		lines = append(lines, "rate limit "+c.RateLimit.String()+" per API key (429 with Retry-After)")
	}
	if c.Latency.Min != c.Latency.Max || c.ErrorRate > 0 {
		lines = append(lines, "chaos seed "+strconv.FormatUint(c.Seed, 10)+" (--chaos-seed replays the same decisions)")
	}
	return lines
}

// Decision is what the chaos does to one request.
type Decision struct {
	// Delay is the latency to add.
	Delay time.Duration
	// Fail says the request is answered 503 by the load balancer.
	Fail bool
}

// Dice draws chaos decisions from a source seeded by Chaos.Seed. The n-th decision depends only
// on the seed, the settings and n, so a client that sends its requests one at a time sees the
// same run again. It is safe for concurrent use (concurrent requests take their turns in
// arrival order).
type Dice struct {
	chaos Chaos
	mu    sync.Mutex
	rng   *rand.Rand
}

// NewDice returns the decision source for c.
func NewDice(c Chaos) *Dice {
	return &Dice{chaos: c, rng: rand.New(rand.NewPCG(c.Seed, c.Seed^0x9e3779b97f4a7c15))}
}

// Decide draws the next request's decision.
func (d *Dice) Decide() Decision {
	l := d.chaos.Latency
	dec := Decision{Delay: l.Min}
	if l.Max == l.Min && d.chaos.ErrorRate == 0 {
		return dec
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if l.Max > l.Min {
		dec.Delay += time.Duration(d.rng.Int64N(int64(l.Max-l.Min) + 1))
	}
	if d.chaos.ErrorRate > 0 {
		dec.Fail = d.rng.Float64() < d.chaos.ErrorRate
	}
	return dec
}
