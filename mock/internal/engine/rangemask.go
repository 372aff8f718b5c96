package engine

import "sync"

// maxBuckets and minBucket size a rangeMask. Each bucket costs a bitmap (n/8 bytes) and every
// query reads two of them, so more buckets grow memory and spread queries over more of it;
// fewer buckets leave more users to add or remove one by one at a range's edges (half a bucket
// per edge on average). 256 keeps a million users' masks at 32 MB.
const (
	maxBuckets = 256
	minBucket  = 64
)

// rangeMask answers "which ranks of a ranking have a time rank in [a, b)?" quickly, which a
// time range (and the instant of the query: records that exist yet) needs when the page is in
// another ranking than the time key's. The time ranking is cut into buckets of equal size;
// prefix[j] holds the other ranking's ranks of the records in the first j buckets, so whole
// buckets cost two bitmap reads per word, and only the records between the range's ends and the
// nearest bucket boundaries are added or removed one by one.
type rangeMask struct {
	bucket int
	// prefix[j] is the set of records in the first j buckets, for j in [0, buckets].
	prefix []bitmap
	// idRank maps a time rank to the record's rank in the other ranking.
	idRank  []int32
	scratch sync.Pool
}

func newRangeMask(byID, byCreated []int32) *rangeMask {
	n := len(byID)
	buckets := max(1, min(n/minBucket, maxBuckets))
	m := &rangeMask{bucket: max(1, (n+buckets-1)/buckets), idRank: make([]int32, n)}
	rankOfPos := make([]int32, n)
	for r, p := range byID {
		rankOfPos[p] = int32(r)
	}
	for r, p := range byCreated {
		m.idRank[r] = rankOfPos[p]
	}
	cur := newBitmap(n)
	m.prefix = append(m.prefix, append(bitmap(nil), cur...))
	for lo := 0; lo < n; lo += m.bucket {
		m.set(cur, lo, min(lo+m.bucket, n))
		m.prefix = append(m.prefix, append(bitmap(nil), cur...))
	}
	m.scratch.New = func() any { b := newBitmap(n); return &b }
	return m
}

// get returns the other ranking's bitmap of time ranks [a, b). Pass it to put when done with it.
func (m *rangeMask) get(a, b int) *bitmap {
	bp := m.scratch.Get().(*bitmap)
	out := *bp
	if b-a <= m.bucket {
		clear(out)
		m.set(out, a, b)
		return bp
	}
	// The nearest boundaries: b-a > bucket keeps ja < jb.
	ja := (a + m.bucket/2) / m.bucket
	jb := min((b+m.bucket/2)/m.bucket, len(m.prefix)-1)
	hi, lo := m.prefix[jb], m.prefix[ja]
	for i := range out {
		out[i] = hi[i] &^ lo[i]
	}
	if s := ja * m.bucket; s < a {
		m.clear(out, s, a)
	} else {
		m.set(out, a, s)
	}
	if e := min(jb*m.bucket, len(m.idRank)); e < b {
		m.set(out, e, b)
	} else {
		m.clear(out, b, e)
	}
	return bp
}

// put returns a mask from get for reuse.
func (m *rangeMask) put(bp *bitmap) { m.scratch.Put(bp) }

// set adds the records of time ranks [a, b) to out; clear removes them.
func (m *rangeMask) set(out bitmap, a, b int) {
	for _, r := range m.idRank[a:b] {
		out[r>>6] |= 1 << (uint(r) & 63)
	}
}

func (m *rangeMask) clear(out bitmap, a, b int) {
	for _, r := range m.idRank[a:b] {
		out[r>>6] &^= 1 << (uint(r) & 63)
	}
}
