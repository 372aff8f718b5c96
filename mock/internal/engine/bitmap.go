package engine

import "math/bits"

// bitmap is a set of ranks in one ordering: bit r of word r/64 is set when the user at rank r
// is in the set. Bitmaps of one ordering all have the same length.
type bitmap []uint64

func newBitmap(n int) bitmap { return make(bitmap, (n+63)/64) }

func (b bitmap) set(r int) { b[r>>6] |= 1 << (uint(r) & 63) }

// blockWords is the number of words a scan counts at a time. The scan keeps each block's count,
// so collecting the page afterwards rereads only blocks that hold its matches: one or two when
// matches are dense, a few hundred words when they are rare.
const blockWords = 32

// scanner walks the ranks [lo, hi) of one ordering that are set in every bitmap of sets,
// counting them all and collecting the ranks of the requested page. It reads every word of the
// range once whatever the offset, which is why a deep page costs the same as the first.
type scanner struct {
	sets   []bitmap
	lo, hi int
	desc   bool
	offset int64
	limit  int
	// base is the length of the page slice before the scan appended to it.
	base int
}

// run returns the number of matching ranks and appends the page's ranks, in page order, to page.
func (s *scanner) run(page []int32) (int, []int32) {
	s.base = len(page)
	if s.hi <= s.lo {
		return 0, page
	}
	first, last := s.lo>>6, (s.hi-1)>>6
	nblocks := (last-first)/blockWords + 1
	var stack [512]int32
	counts := stack[:0]
	if nblocks > len(stack) {
		counts = make([]int32, 0, nblocks)
	}
	var total int64
	for b := range nblocks {
		from := first + b*blockWords
		to := min(from+blockWords, last+1)
		n := andCount(s.sets, from, to)
		// The range's edge words count only their bits inside [lo, hi).
		if from == first {
			n -= bits.OnesCount64(s.word(first) &^ s.mask(first))
		}
		if to == last+1 && last != first {
			n -= bits.OnesCount64(s.word(last) &^ s.mask(last))
		}
		counts = append(counts, int32(n))
		total += int64(n)
	}
	if s.limit <= 0 || s.offset >= total {
		return int(total), page
	}
	// Collect in scan order, rereading only the blocks that hold the page.
	skip := s.offset
	want := min(int64(s.limit), total-s.offset)
	for i := range nblocks {
		b := i
		if s.desc {
			b = nblocks - 1 - i
		}
		if skip >= int64(counts[b]) {
			skip -= int64(counts[b])
			continue
		}
		from := first + b*blockWords
		to := min(from+blockWords, last+1)
		wi, end, ws := from, to, 1
		if s.desc {
			wi, end, ws = to-1, from-1, -1
		}
		for ; wi != end && int64(len(page)-s.base) < want; wi += ws {
			w := s.word(wi)
			if w == 0 {
				continue
			}
			w &= s.mask(wi)
			n := int64(bits.OnesCount64(w))
			if skip >= n {
				skip -= n
				continue
			}
			page = s.collect(page, wi, w, skip)
			skip = 0
		}
		if int64(len(page)-s.base) >= want {
			break
		}
	}
	return int(total), page
}

// mask keeps the bits of word wi that fall inside [lo, hi).
func (s *scanner) mask(wi int) uint64 {
	m := ^uint64(0)
	if wi == s.lo>>6 {
		m &= ^uint64(0) << (uint(s.lo) & 63)
	}
	if wi == (s.hi-1)>>6 {
		m &= ^uint64(0) >> (63 - (uint(s.hi-1) & 63))
	}
	return m
}

// word is the AND of every set's word wi. Sets come sparsest first, so most zero words are
// known after one read.
func (s *scanner) word(wi int) uint64 {
	w := s.sets[0][wi]
	for _, b := range s.sets[1:] {
		if w == 0 {
			return 0
		}
		w &= b[wi]
	}
	return w
}

// andCount counts the bits set in every one of sets over words [from, to). This is the engine's
// hot loop, so the common arities are spelled out for the compiler.
func andCount(sets []bitmap, from, to int) int {
	n := 0
	a := sets[0][from:to]
	switch len(sets) {
	case 1:
		for _, w := range a {
			n += bits.OnesCount64(w)
		}
	case 2:
		b := sets[1][from:to]
		b = b[:len(a)]
		for i, w := range a {
			n += bits.OnesCount64(w & b[i])
		}
	case 3:
		b, c := sets[1][from:to], sets[2][from:to]
		b, c = b[:len(a)], c[:len(a)]
		for i, w := range a {
			n += bits.OnesCount64(w & b[i] & c[i])
		}
	case 4:
		b, c, d := sets[1][from:to], sets[2][from:to], sets[3][from:to]
		b, c, d = b[:len(a)], c[:len(a)], d[:len(a)]
		for i, w := range a {
			n += bits.OnesCount64(w & b[i] & c[i] & d[i])
		}
	case 5:
		b, c, d, e := sets[1][from:to], sets[2][from:to], sets[3][from:to], sets[4][from:to]
		b, c, d, e = b[:len(a)], c[:len(a)], d[:len(a)], e[:len(a)]
		for i, w := range a {
			n += bits.OnesCount64(w & b[i] & c[i] & d[i] & e[i])
		}
	default:
		for i := from; i < to; i++ {
			w := sets[0][i]
			for _, s := range sets[1:] {
				w &= s[i]
			}
			n += bits.OnesCount64(w)
		}
	}
	return n
}

// collect appends the ranks of word wi's set bits, in scan direction, skipping the first skip
// of them, until the page is full.
func (s *scanner) collect(page []int32, wi int, w uint64, skip int64) []int32 {
	base := int32(wi << 6)
	for w != 0 && len(page)-s.base < s.limit {
		var b int
		if s.desc {
			b = 63 - bits.LeadingZeros64(w)
		} else {
			b = bits.TrailingZeros64(w)
		}
		w &^= 1 << uint(b)
		if skip > 0 {
			skip--
			continue
		}
		page = append(page, base+int32(b))
	}
	return page
}
