package httpapi

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/cryptofi/partner-mock/mock/internal/faults"
	"github.com/cryptofi/partner-mock/mock/internal/render"
	"github.com/cryptofi/partner-mock/mock/internal/tenant"
)

// keyChaos is the chaos of one key with a fault profile: its own decision source, so its run
// replays whatever other keys do, and its own rate limit.
type keyChaos struct {
	profile faults.Profile
	dice    *faults.Dice
	limiter *faults.Limiter
}

// newKeyChaos returns the chaos of every key with a fault profile, by tenant.Key.Index, or nil
// when no key has one (the fault layer then never looks keys up for profiles).
func newKeyChaos(tenants *tenant.Registry, seed uint64) []*keyChaos {
	if !tenants.HasKeyFaults() {
		return nil
	}
	keys := tenants.Keys()
	out := make([]*keyChaos, len(keys))
	for _, k := range keys {
		if !k.Faults.Active() {
			continue
		}
		kc := &keyChaos{profile: k.Faults, dice: faults.NewKeyDice(k.Faults, seed, k.Label())}
		if k.Faults.RateLimit != (faults.Rate{}) {
			kc.limiter = faults.NewLimiter(k.Faults.RateLimit, nil)
		}
		out[k.Index] = kc
	}
	return out
}

// keyDecision draws the next decision of the request's key when that key has a fault profile;
// otherwise it returns nil and no decision. Having resolved the key, it notes its tenant.
func (f *faultLayer) keyDecision(c *gin.Context, n *requestNote) (*keyChaos, faults.Decision) {
	key := requestKey(c)
	if f.keys == nil || key == "" {
		return nil, faults.Decision{}
	}
	k, ok := f.tenants.LookupKey(key)
	if ok && n != nil {
		n.fi = k.Tenant.Config.Name
	}
	if !ok || f.keys[k.Index] == nil {
		return nil, faults.Decision{}
	}
	kc := f.keys[k.Index]
	return kc, kc.dice.Decide()
}

// writeTooManyRequests answers a request over its rate limit, saying when a token is back.
func writeTooManyRequests(c *gin.Context, wait time.Duration) {
	c.Header("retry-after", strconv.Itoa(faults.RetryAfter(wait)))
	writeJSON(c, http.StatusTooManyRequests, render.AppendDetail(nil, "Too Many Requests"))
}
