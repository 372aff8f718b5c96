package resource

import "github.com/cryptofi/partner-mock/mock/internal/pyjson"

// Quoted holds the JSON string literals of a list of names (an enum's values, a vocabulary's
// symbols), rendered once: an item names several of them, and a page holds up to 100 items.
type Quoted [][]byte

// QuoteAll renders names as JSON strings (pyjson.AppendString).
func QuoteAll[T ~string](names []T) Quoted {
	q := make(Quoted, len(names))
	for i, n := range names {
		q[i] = pyjson.AppendString(nil, string(n))
	}
	return q
}

// Append appends the literal of name i, or renders name when i is not one of them (a name
// added since, as the admin API may add symbols).
func (q Quoted) Append(b []byte, i int, name string) []byte {
	if i >= 0 && i < len(q) {
		return append(b, q[i]...)
	}
	return pyjson.AppendString(b, name)
}
