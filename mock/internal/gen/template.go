package gen

import (
	"fmt"
	"math"
	"math/big"
	"math/bits"
	"strconv"
	"strings"
)

// DefaultIDFormat is the id template used when Params.IDFormat is empty.
const DefaultIDFormat = "member-{n:06d}"

// maxHashDigits is the longest run of #: 10^18 still fits a uint64 with room for the Feistel
// sums.
const maxHashDigits = 18

// maxPadWidth is the widest {n:0Wd}: a uint64 has at most 20 digits.
const maxPadWidth = 20

// feistelRounds is the number of Feistel rounds over the two halves of a # number: four rounds
// give each half two passes, enough that sorted ids show no pattern.
const feistelRounds = 4

// elemKind is the kind of number element a template holds.
type elemKind int

const (
	elemNone     elemKind = iota // literal text only: one id
	elemSequence                 // {n} or {n:0Wd}
	elemHashed                   // a run of #
)

// idTemplate is a parsed id template. Candidate i (0-based) is the i-th id it can produce.
type idTemplate struct {
	source         string
	prefix, suffix string
	kind           elemKind
	// width is the minimum width of a sequence number, or the exact digit count of a run of #.
	width int

	// The fields below are set by keyed, for elemHashed only.
	mod          uint64 // 10^width
	a, aInv, b   uint64 // affine step: i -> (a*i + b) mod mod
	hiMod, loMod uint64 // Feistel halves: mod = hiMod * loMod
	key          uint64 // Feistel round key
}

// parseTemplate parses an id template (see the package doc).
func parseTemplate(src string) (*idTemplate, error) {
	t := &idTemplate{source: src}
	var lit strings.Builder
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case strings.HasPrefix(src[i:], "{{"), strings.HasPrefix(src[i:], "}}"):
			lit.WriteByte(c)
			i += 2
			continue
		case c == '}':
			return nil, fmt.Errorf("id_format: lone } at byte %d of %q: write }} for a literal }", i, src)
		case c == '{':
			end := strings.IndexByte(src[i:], '}')
			if end < 0 {
				return nil, fmt.Errorf("id_format: unclosed { at byte %d of %q: write {{ for a literal {", i, src)
			}
			width, ok := parsePlaceholder(src[i+1 : i+end])
			if !ok {
				return nil, fmt.Errorf("id_format: bad placeholder %q at byte %d of %q: want {n} or {n:0Wd} with 1 <= W <= %d ({{ is a literal {)",
					src[i:i+end+1], i, src, maxPadWidth)
			}
			if err := t.setElement(elemSequence, width, &lit); err != nil {
				return nil, err
			}
			i += end + 1
			continue
		case c == '#':
			n := len(src[i:]) - len(strings.TrimLeft(src[i:], "#"))
			if n > maxHashDigits {
				return nil, fmt.Errorf("id_format: run of %d # at byte %d of %q is too long: at most %d digits", n, i, src, maxHashDigits)
			}
			if err := t.setElement(elemHashed, n, &lit); err != nil {
				return nil, err
			}
			i += n
			continue
		}
		lit.WriteByte(c)
		i++
	}
	if t.kind == elemNone {
		t.prefix = lit.String()
	} else {
		t.suffix = lit.String()
	}
	return t, nil
}

// setElement records the template's number element; the literal text so far is its prefix.
func (t *idTemplate) setElement(kind elemKind, width int, lit *strings.Builder) error {
	if t.kind != elemNone {
		return fmt.Errorf("id_format: %q has more than one number element ({n}, {n:0Wd} or a run of #); an id carries exactly one", t.source)
	}
	t.kind, t.width, t.prefix = kind, width, lit.String()
	lit.Reset()
	return nil
}

// parsePlaceholder parses the inside of {...}: "n" or "n:0Wd". It returns the minimum width.
func parsePlaceholder(s string) (width int, ok bool) {
	if s == "n" {
		return 0, true
	}
	w, found := strings.CutPrefix(s, "n:0")
	if !found {
		return 0, false
	}
	w, found = strings.CutSuffix(w, "d")
	if !found || w == "" || w[0] < '1' || w[0] > '9' || !allDigits(w) {
		return 0, false
	}
	width, err := strconv.Atoi(w)
	if err != nil || width > maxPadWidth {
		return 0, false
	}
	return width, true
}

// allDigits reports whether s holds only ASCII digits.
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// keyed returns a copy of t with the permutation of a run of # keyed by seed.
func (t *idTemplate) keyed(seed uint64) *idTemplate {
	k := *t
	if k.kind != elemHashed {
		return &k
	}
	k.mod = uint64(pow10[k.width])
	k.hiMod = uint64(pow10[(k.width+1)/2])
	k.loMod = uint64(pow10[k.width/2])
	base := mix64(seed ^ seedIDs)
	k.key = mix64(base + 1)
	// a must be a unit mod 10^k: odd and not a multiple of 5. An a ending in 5 is at most
	// mod-5, so a+2 stays below mod.
	k.a = mix64(base+2)%k.mod | 1
	if k.a%5 == 0 {
		k.a += 2
	}
	k.b = mix64(base+3) % k.mod
	m := new(big.Int).SetUint64(k.mod)
	k.aInv = new(big.Int).ModInverse(new(big.Int).SetUint64(k.a), m).Uint64()
	return &k
}

// capacity returns how many distinct ids t can produce.
func (t *idTemplate) capacity() uint64 {
	switch t.kind {
	case elemSequence:
		return math.MaxUint64
	case elemHashed:
		return uint64(pow10[t.width])
	}
	return 1
}

// appendID appends candidate i's id to b.
func (t *idTemplate) appendID(b []byte, i uint64) []byte {
	b = append(b, t.prefix...)
	switch t.kind {
	case elemSequence:
		b = appendPadded(b, i+1, t.width)
	case elemHashed:
		b = appendPadded(b, t.permute(i), t.width)
	}
	return append(b, t.suffix...)
}

// appendPadded appends v in decimal, zero-padded to at least width digits.
func appendPadded(b []byte, v uint64, width int) []byte {
	var buf [maxPadWidth]byte
	d := strconv.AppendUint(buf[:0], v, 10)
	for range width - len(d) {
		b = append(b, '0')
	}
	return append(b, d...)
}

// index returns the candidate index whose id is id, if t can produce id at all.
func (t *idTemplate) index(id string) (uint64, bool) {
	mid, ok := strings.CutPrefix(id, t.prefix)
	if !ok {
		return 0, false
	}
	mid, ok = strings.CutSuffix(mid, t.suffix)
	if !ok {
		return 0, false
	}
	switch t.kind {
	case elemNone:
		return 0, mid == ""
	case elemSequence:
		n, err := strconv.ParseUint(mid, 10, 64)
		if err != nil || n == 0 || !allDigits(mid) {
			return 0, false
		}
		// Padding must match too: with {n:03d}, "007" is candidate 6 but "0007" is no id.
		if string(appendPadded(nil, n, t.width)) != mid {
			return 0, false
		}
		return n - 1, true
	default:
		if len(mid) != t.width || !allDigits(mid) {
			return 0, false
		}
		v, _ := strconv.ParseUint(mid, 10, 64)
		return t.unpermute(v), true
	}
}

// permute maps candidate i in [0, 10^width) to its number, a bijection of [0, 10^width).
func (t *idTemplate) permute(i uint64) uint64 {
	x := mulMod(t.a, i, t.mod) + t.b
	if x >= t.mod {
		x -= t.mod
	}
	hi, lo := x/t.loMod, x%t.loMod
	for r := range feistelRounds {
		// Each round changes one half by a function of the other, so it can be undone.
		if r%2 == 0 {
			hi = (hi + t.round(r, lo)%t.hiMod) % t.hiMod
		} else {
			lo = (lo + t.round(r, hi)%t.loMod) % t.loMod
		}
	}
	return hi*t.loMod + lo
}

// unpermute is the inverse of permute.
func (t *idTemplate) unpermute(v uint64) uint64 {
	hi, lo := v/t.loMod, v%t.loMod
	for r := feistelRounds - 1; r >= 0; r-- {
		if r%2 == 0 {
			hi = (hi + t.hiMod - t.round(r, lo)%t.hiMod) % t.hiMod
		} else {
			lo = (lo + t.loMod - t.round(r, hi)%t.loMod) % t.loMod
		}
	}
	x := hi*t.loMod + lo
	return mulMod(t.aInv, (x+t.mod-t.b)%t.mod, t.mod)
}

// round is the Feistel round function.
func (t *idTemplate) round(r int, v uint64) uint64 {
	return mix64((t.key + uint64(r)*golden) ^ v)
}

// mulMod returns a*b mod m.
func mulMod(a, b, m uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	return bits.Rem64(hi, lo, m)
}

// golden is 2^64 divided by the golden ratio, the usual odd constant for spreading counters.
const golden = 0x9e3779b97f4a7c15

// Domain separators for the values derived from Params.Seed (arbitrary distinct constants), so
// that the id permutation and the chunk sources never hash the same input.
const (
	seedIDs    = 0x6964732d7065726d
	seedChunks = 0x6368756e6b732d31
	seedFuture = 0x6675747572652d31
	seedOrders = 0x6f72646572732d31
)

// mix64 is the SplitMix64 finalizer: a fast bijective hash of 64 bits.
func mix64(x uint64) uint64 {
	x += golden
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}
