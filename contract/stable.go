package contract

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
)

// A live server's data moves while the suite runs (BEHAVIOUR.md, "Time"): new records appear,
// with a time field at or before its now, and a record's state may leave "pending" once, its
// timestamp appearing with it. Nothing else changes. The helpers here let checks that compare
// answers tell those changes from bugs: a window that new records cannot enter (window.go),
// answers equal but for legal state changes, and totals counted until they hold still.

// jnode is a JSON value with its object keys in document order, so two answers can be
// compared key order included, field by field.
type jnode struct {
	// kind is '{', '[' or 0 for a scalar.
	kind byte
	keys []string
	vals []*jnode
	// raw is a scalar's JSON text.
	raw string
}

func parseJSON(b []byte) (*jnode, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	n, err := readNode(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("data after the JSON value")
	}
	return n, nil
}

func readNode(dec *json.Decoder) (*jnode, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch tok {
	case json.Delim('{'):
		n := &jnode{kind: '{'}
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return nil, err
			}
			v, err := readNode(dec)
			if err != nil {
				return nil, err
			}
			n.keys = append(n.keys, fmt.Sprint(k))
			n.vals = append(n.vals, v)
		}
		_, err := dec.Token()
		return n, err
	case json.Delim('['):
		n := &jnode{kind: '['}
		for dec.More() {
			v, err := readNode(dec)
			if err != nil {
				return nil, err
			}
			n.vals = append(n.vals, v)
		}
		_, err := dec.Token()
		return n, err
	}
	raw, err := json.Marshal(tok)
	return &jnode{raw: string(raw)}, err
}

// get returns the value of key in an object, or nil.
func (n *jnode) get(key string) *jnode {
	if i := slices.Index(n.keys, key); i >= 0 {
		return n.vals[i]
	}
	return nil
}

// text is a scalar's value as a string (a JSON string unquoted).
func (n *jnode) text() string {
	if n == nil {
		return ""
	}
	var s string
	if json.Unmarshal([]byte(n.raw), &s) == nil {
		return s
	}
	return n.raw
}

// legalChange compares an earlier answer with a later one. It returns how many records changed
// state the way time may change them (state left "pending", its stamp appearing or not), and a
// description of the first difference time cannot explain ("" when there is none). Key order
// counts: byte-identical answers to the same request are what a client may cache on.
func legalChange(m mutableFields, earlier, later []byte) (int, string) {
	if bytes.Equal(earlier, later) {
		return 0, ""
	}
	a, errA := parseJSON(earlier)
	b, errB := parseJSON(later)
	if errA != nil || errB != nil {
		return 0, firstDiff(earlier, later)
	}
	moved := 0
	var diff string
	var cmp func(path string, a, b *jnode) bool
	cmp = func(path string, a, b *jnode) bool {
		if a.kind != b.kind {
			diff = path + ": " + clip(render(a), 80) + " became " + clip(render(b), 80)
			return false
		}
		switch a.kind {
		case 0:
			if a.raw != b.raw {
				diff = path + ": " + a.raw + " became " + b.raw
				return false
			}
			return true
		case '[':
			if len(a.vals) != len(b.vals) {
				diff = fmt.Sprintf("%s: %d entries became %d", path, len(a.vals), len(b.vals))
				return false
			}
			for i := range a.vals {
				if !cmp(fmt.Sprintf("%s[%d]", path, i), a.vals[i], b.vals[i]) {
					return false
				}
			}
			return true
		}
		// An object: a record whose state left "pending" may gain its stamp; nothing else.
		sa, sb := a.get(m.state), b.get(m.state)
		stateMoved := sa != nil && sb != nil && sa.raw != sb.raw
		if stateMoved {
			if sa.text() != transientState {
				diff = fmt.Sprintf("%s.%s: %s became %s, but only %q ever changes", path, m.state, sa.raw, sb.raw, transientState)
				return false
			}
			moved++
		}
		ka, kb := a.keys, b.keys
		if stateMoved {
			ka, kb = without(ka, m.stamp), without(kb, m.stamp)
		}
		if !slices.Equal(ka, kb) {
			diff = fmt.Sprintf("%s: keys [%s] became [%s]", path, strings.Join(a.keys, ","), strings.Join(b.keys, ","))
			return false
		}
		for _, k := range ka {
			if k == m.state && stateMoved {
				continue
			}
			if !cmp(path+"."+k, a.get(k), b.get(k)) {
				return false
			}
		}
		return true
	}
	if !cmp("$", a, b) {
		return moved, diff
	}
	return moved, ""
}

func without(keys []string, k string) []string {
	return slices.DeleteFunc(slices.Clone(keys), func(s string) bool { return s == k })
}

// render writes n back as compact JSON, for messages.
func render(n *jnode) string {
	switch n.kind {
	case '{':
		parts := make([]string, len(n.keys))
		for i, k := range n.keys {
			kb, _ := json.Marshal(k)
			parts[i] = string(kb) + ":" + render(n.vals[i])
		}
		return "{" + strings.Join(parts, ",") + "}"
	case '[':
		parts := make([]string, len(n.vals))
		for i, v := range n.vals {
			parts[i] = render(v)
		}
		return "[" + strings.Join(parts, ",") + "]"
	}
	return n.raw
}

// sameAnswer checks that later, an answer to the same question as earlier, is the same answer
// but for records whose state time moved on (noted, not failed); what records are listed and
// everything else about them must be identical. It reports the difference with what and
// returns false otherwise.
func (t *T) sameAnswer(res *resource, earlier, later *Exchange, what string) bool {
	if earlier.Status != later.Status {
		t.Errorf(later, "%s: status %d, then %d", what, earlier.Status, later.Status)
		return false
	}
	moved, diff := legalChange(res.mutable, earlier.Body, later.Body)
	if diff != "" {
		t.Errorf(later, "%s: %s", what, diff)
		return false
	}
	if moved > 0 {
		t.Notef("%d %s(s) left %q between two answers compared (the server's clock moves); only that differed", moved, res.noun, transientState)
	}
	return true
}

// maxCountRounds bounds how often stableTotals counts before it gives up.
const maxCountRounds = 4

// stableTotals returns the total_records of each query (scoped to the run's window) as one
// consistent count: it counts them all, then again, until two rounds in a row agree. Records
// only leave "pending", once, and none enter the window, so each count moves one way only: two
// equal rounds mean nothing moved between them, and the second round is a snapshot. When the
// data never hold still for a round it skips the check rather than compare counts taken at
// different instants. exs are the second round's answers, to cite in failures.
func (t *T) stableTotals(res *resource, cred Cred, queries []url.Values) (totals []int64, exs []*Exchange) {
	round := func() ([]int64, []*Exchange) {
		ts := make([]int64, len(queries))
		es := make([]*Exchange, len(queries))
		for i, qv := range queries {
			es[i], _ = t.List(res, cred, t.scope(res, with(qv, "per_page", "1")))
			ts[i] = es[i].page.TotalRecords
		}
		return ts, es
	}
	prev, _ := round()
	for range maxCountRounds - 1 {
		totals, exs = round()
		if slices.Equal(prev, totals) {
			return totals, exs
		}
		prev = totals
	}
	t.Skipf("the counts changed in each of %d rounds (records changing state while they were counted); no consistent count to compare", maxCountRounds)
	return nil, nil
}
