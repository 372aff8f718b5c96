package resource

import "sync/atomic"

// Variants is Items whose renderings change only at known instants (a KYC decision, an order
// settling): VariantAt names the rendering a record shows at an instant, so one made earlier
// can be reused while it still shows; false when it cannot tell (the rendering is then made
// afresh).
type Variants interface {
	VariantAt(p int32, at int64) (uint32, bool)
}

// cacheSlots is the number of renderings a large collection keeps: about 10 MB of the items
// pages have shown lately, so repeated and overlapping pages (a load test's, a client walking
// back and forth) copy bytes instead of rendering again.
const cacheSlots = 1 << 15

// renderCache keeps recent renderings of a collection too large to render whole at build time
// (PrerenderMax). It is direct-mapped by position: a slot holds the last rendering stored for
// any position that maps to it, and a lookup checks the position and the variant. Readers never
// lock; a rendering is immutable once stored.
type renderCache struct {
	slots []atomic.Pointer[cachedItem]
}

type cachedItem struct {
	p       int32
	variant uint32
	b       []byte
}

func newRenderCache() *renderCache {
	return &renderCache{slots: make([]atomic.Pointer[cachedItem], cacheSlots)}
}

// appendItem appends the rendering of p in variant v, from the cache or made by render (then
// kept).
func (rc *renderCache) appendItem(b []byte, p int32, v uint32, render func(b []byte) []byte) []byte {
	slot := &rc.slots[uint32(p)%cacheSlots]
	if e := slot.Load(); e != nil && e.p == p && e.variant == v {
		return append(b, e.b...)
	}
	start := len(b)
	b = render(b)
	slot.Store(&cachedItem{p: p, variant: v, b: append([]byte(nil), b[start:]...)})
	return b
}
