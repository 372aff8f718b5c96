package render

import (
	"runtime"
	"slices"
	"sync"

	"github.com/cryptofi/partner-mock/mock/internal/domain"
)

// usersPerChunk is the number of users rendered into one buffer. Chunks let NewUsers render on
// every core without a final copy.
const usersPerChunk = 4096

// Users holds a population's user objects rendered once, so that serving a page is copying
// bytes. The rendering is AppendUser's, byte for byte. Users is immutable and safe for
// concurrent use.
type Users struct {
	chunks []usersChunk
	// slot maps a user's position to where its rendering is stored.
	slot []int32
	// maxLen is the longest rendering.
	maxLen int
}

type usersChunk struct {
	buf []byte
	// end[i] is where user i of the chunk ends in buf; it starts where user i-1 ends.
	end []uint32
}

// NewUsers renders every user, indexed by position in users. The renderings are stored in the
// order of layout (a permutation of the positions; nil means position order): laying them out
// in the order pages are usually read keeps a page's bytes together in memory, which matters
// more than the copying itself once a population outgrows the CPU caches.
func NewUsers(users []domain.User, layout []int32) *Users {
	if layout == nil {
		layout = make([]int32, len(users))
		for i := range layout {
			layout[i] = int32(i)
		}
	}
	r := &Users{chunks: make([]usersChunk, (len(users)+usersPerChunk-1)/usersPerChunk), slot: make([]int32, len(users))}
	for k, p := range layout {
		r.slot[p] = int32(k)
	}
	next := make(chan int, len(r.chunks))
	for c := range r.chunks {
		next <- c
	}
	close(next)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(r.chunks)) {
		wg.Go(func() {
			for c := range next {
				lo := c * usersPerChunk
				r.chunks[c] = renderChunk(users, layout[lo:min(lo+usersPerChunk, len(users))])
			}
		})
	}
	wg.Wait()
	for _, ch := range r.chunks {
		start := uint32(0)
		for _, end := range ch.end {
			r.maxLen = max(r.maxLen, int(end-start))
			start = end
		}
	}
	return r
}

func renderChunk(users []domain.User, positions []int32) usersChunk {
	ch := usersChunk{end: make([]uint32, len(positions))}
	// Sized from the first user so most chunks render without growing.
	ch.buf = make([]byte, 0, len(AppendUser(nil, &users[positions[0]]))*len(positions)*5/4)
	for i, p := range positions {
		ch.buf = AppendUser(ch.buf, &users[p])
		ch.end[i] = uint32(len(ch.buf))
	}
	return ch
}

// Bytes returns the rendering of the user at position i. The slice is shared; callers must not
// modify it.
func (r *Users) Bytes(i int32) []byte {
	s := r.slot[i]
	ch := &r.chunks[s/usersPerChunk]
	k := s % usersPerChunk
	start := uint32(0)
	if k > 0 {
		start = ch.end[k-1]
	}
	return ch.buf[start:ch.end[k]:ch.end[k]]
}

// AppendList is the package-level AppendList for the users at positions, from the renderings.
func (r *Users) AppendList(b []byte, positions []int32, env ListEnvelope) []byte {
	// One allocation at most: room for the longest user on every item, and the envelope.
	b = slices.Grow(b, len(positions)*(r.maxLen+1)+128)
	// Touch every item's bytes before copying any: the reads are independent, so the CPU
	// overlaps their cache misses instead of taking them one copy at a time (about 20% off a
	// page of users scattered over a large tenant).
	var touch byte
	for _, p := range positions {
		u := r.Bytes(p)
		touch ^= u[0] ^ u[len(u)-1]
	}
	keep(touch)
	b = append(b, `{"items":[`...)
	for i, p := range positions {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, r.Bytes(p)...)
	}
	return appendEnvelope(b, env)
}

// keep is a call the compiler cannot see through, so AppendList's touching reads stay.
//
//go:noinline
func keep(byte) {}
