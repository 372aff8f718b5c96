package tenant

import (
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cryptofi/partner-mock/mock/internal/problem"

	"go.yaml.in/yaml/v3"
)

// fileError returns the problems found in one file as a problem list that names it.
func fileError(file string, ps []problem.Problem) *problem.List {
	l := &problem.List{Items: make([]problem.Problem, len(ps))}
	for i, p := range ps {
		p.File = file
		l.Items[i] = p
	}
	return l
}

// decoder decodes YAML (or JSON, which YAML reads) into tagged structs more strictly than
// yaml.v3 does on its own: a key the struct does not have, a key given twice, a fraction where a
// count is due, or a list where a value is due is a problem naming the line and the field path,
// where yaml.v3 would name a Go type or silently truncate 1.5 to 1. It also records the line of
// every field it sets, so later checks can point at the right line.
type decoder struct {
	problems []problem.Problem
	lines    map[string]int
	// json decodes JSON read as YAML nodes (decodeJSON): text fields then take strings only,
	// and messages use JSON's words (object, array, string).
	json bool
}

// decodeFile decodes a single-document file into out, a pointer to a struct.
func decodeFile(data []byte, out any) (map[string]int, []problem.Problem) {
	d := &decoder{lines: map[string]int{}}
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return d.lines, nil // an empty file decodes to the zero value; callers say what is missing
		}
		return d.lines, []problem.Problem{{Line: syntaxLine(err), Msg: "not valid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}}
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return d.lines, []problem.Problem{{Line: extra.Line, Msg: "a second YAML document (after ---); put everything in one document"}}
	} else if !errors.Is(err, io.EOF) {
		return d.lines, []problem.Problem{{Line: syntaxLine(err), Msg: "not valid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}}
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	d.value(root, "", reflect.ValueOf(out).Elem())
	return d.lines, d.problems
}

// syntaxLine pulls the line number out of a yaml.v3 syntax error ("yaml: line 3: ...").
func syntaxLine(err error) int {
	var line int
	if _, scanErr := fmt.Sscanf(strings.TrimPrefix(err.Error(), "yaml: "), "line %d:", &line); scanErr != nil {
		return 0
	}
	return line
}

func (d *decoder) add(n *yaml.Node, path, format string, args ...any) {
	d.problems = append(d.problems, problem.Problem{Line: n.Line, Path: path, Msg: fmt.Sprintf(format, args...)})
}

var (
	timeType     = reflect.TypeFor[time.Time]()
	durationType = reflect.TypeFor[time.Duration]()
)

// value decodes n into v, which is addressable.
func (d *decoder) value(n *yaml.Node, path string, v reflect.Value) {
	for n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if path != "" {
		d.lines[path] = n.Line
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		return // an empty value leaves the zero value; required fields are checked afterwards
	}
	switch {
	case v.Kind() == reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		d.value(n, path, p.Elem())
		v.Set(p)
	case v.Type() == timeType:
		d.instant(n, path, v)
	case v.Type() == durationType:
		d.duration(n, path, v)
	case v.Kind() == reflect.Float64:
		d.fraction(n, path, v)
	case v.Kind() == reflect.Bool:
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" {
			d.add(n, path, "want true or false, got %s", d.describe(n))
			return
		}
		v.SetBool(n.Value == "true" || n.Value == "True" || n.Value == "TRUE")
	case v.Kind() == reflect.Struct:
		d.mapping(n, path, v)
	case v.Kind() == reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			want := "a list (one \"- item\" per line, or [a, b])"
			if d.json {
				want = "an array"
			}
			d.add(n, path, "want %s, got %s", want, d.describeAt(n, path))
			return
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, item := range n.Content {
			d.value(item, fmt.Sprintf("%s[%d]", path, i), s.Index(i))
		}
		v.Set(s)
	case v.Kind() == reflect.String:
		if n.Kind != yaml.ScalarNode {
			d.add(n, path, "want a single value, got %s", d.describeAt(n, path))
			return
		}
		if d.json && n.ShortTag() != "!!str" {
			d.add(n, path, "want a string, got %s", d.describeAt(n, path))
			return
		}
		// Any scalar is text as written: api_keys: [12345] is the key "12345".
		v.SetString(n.Value)
	case v.Kind() == reflect.Int, v.Kind() == reflect.Uint64:
		if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!float" && isDigits(strings.TrimLeft(n.Value, "+-")) {
			// YAML reads a whole number too big for 64 bits as a float.
			d.add(n, path, "%s is out of range: %s", n.Value, numberRange(v.Kind()))
			return
		}
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" {
			d.add(n, path, "want a whole number such as %s, got %s", example(v.Kind()), d.describe(n))
			return
		}
		if err := n.Decode(v.Addr().Interface()); err != nil {
			d.add(n, path, "%s is out of range: %s", n.Value, numberRange(v.Kind()))
		}
	default:
		// Only the field types of this package's files reach here.
		d.add(n, path, "cannot decode into %s", v.Type())
	}
}

// mapping decodes a mapping node into struct v by the fields' yaml tags.
func (d *decoder) mapping(n *yaml.Node, path string, v reflect.Value) {
	if n.Kind != yaml.MappingNode {
		want := "fields (name: value)"
		if d.json {
			want = "an object"
		}
		d.add(n, path, "want %s, got %s", want, d.describe(n))
		return
	}
	fields := map[string]int{}
	var names []string
	for i := range v.NumField() {
		name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("yaml"), ",")
		if name == "" || name == "-" {
			continue
		}
		fields[name] = i
		names = append(names, name)
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		field := join(path, k.Value)
		idx, ok := fields[k.Value]
		if !ok {
			hint := ""
			if near := closest(k.Value, names); near != "" {
				hint = fmt.Sprintf(" (did you mean %s?)", near)
			}
			d.add(k, field, "unknown field%s; the fields here are %s", hint, strings.Join(names, ", "))
			continue
		}
		if first, dup := seen[k.Value]; dup {
			d.add(k, field, "given twice (first on line %d); keep one", first)
			continue
		}
		seen[k.Value] = k.Line
		if custom, ok := v.Addr().Interface().(fieldDecoder); ok && custom.decodeField(d, k.Value, val, field) {
			continue
		}
		d.value(val, field, v.Field(idx))
	}
}

func join(path, field string) string {
	if path == "" {
		return field
	}
	return path + "." + field
}

// describeAt is describe, except that under api_keys it never shows the value: keys are
// secrets and are never echoed.
func (d *decoder) describeAt(n *yaml.Node, path string) string {
	if strings.Contains(path, "api_keys") && n.Kind == yaml.ScalarNode {
		return "a single value"
	}
	return d.describe(n)
}

// describe names what a node holds, for messages, in JSON's words when decoding JSON.
func (d *decoder) describe(n *yaml.Node) string {
	if !d.json {
		return describe(n)
	}
	switch n.Kind {
	case yaml.MappingNode:
		return "an object"
	case yaml.SequenceNode:
		return "an array"
	}
	v := n.Value
	if len(v) > 40 {
		v = v[:40] + "..."
	}
	switch n.ShortTag() {
	case "!!int", "!!float":
		return "the number " + v
	case "!!bool":
		return "the boolean " + v
	case "!!str":
		return fmt.Sprintf("the string %q", v)
	}
	return v
}

// describe names what a node holds, for messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "fields (a mapping)"
	case yaml.SequenceNode:
		return "a list"
	}
	v := n.Value
	if len(v) > 40 {
		v = v[:40] + "..."
	}
	switch n.ShortTag() {
	case "!!float":
		return fmt.Sprintf("the fraction %s", v)
	case "!!bool":
		return fmt.Sprintf("the boolean %s", v)
	case "!!str":
		return fmt.Sprintf("the text %q", v)
	}
	return fmt.Sprintf("%q", v)
}

func example(k reflect.Kind) string {
	if k == reflect.Uint64 {
		return "7"
	}
	return "1000"
}

// isDigits reports whether s is one or more ASCII digits.
func isDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// numberRange describes the numbers a field of kind k can hold, for messages.
func numberRange(k reflect.Kind) string {
	if k == reflect.Uint64 {
		return "want a whole number from 0 to 18446744073709551615"
	}
	return "it does not fit a 64-bit whole number"
}

// instant decodes an RFC 3339 instant: YAML's unquoted timestamps (a date alone is midnight
// UTC; no zone means UTC) or the same as quoted text, as JSON files write them.
func (d *decoder) instant(n *yaml.Node, path string, v reflect.Value) {
	const want = "want an RFC 3339 instant such as 2025-10-01T00:00:00Z"
	if n.Kind != yaml.ScalarNode {
		d.add(n, path, "%s, got %s", want, d.describe(n))
		return
	}
	switch n.ShortTag() {
	case "!!timestamp":
		var t time.Time
		if err := n.Decode(&t); err != nil {
			d.add(n, path, "%s, got %s", want, d.describe(n))
			return
		}
		v.Set(reflect.ValueOf(t))
	case "!!str":
		// A quoted value is not resolved by YAML: accept the same forms it would.
		t, err := parseInstant(n.Value)
		if err != nil {
			d.add(n, path, "%s, got %s", want, d.describe(n))
			return
		}
		v.Set(reflect.ValueOf(t))
	default:
		d.add(n, path, "%s, got %s", want, d.describe(n))
	}
}

// duration decodes a length of time: Go's form (36h, 90m) or a whole number of days (365d).
func (d *decoder) duration(n *yaml.Node, path string, v reflect.Value) {
	const want = "want a length of time such as 365d, 36h or 90m"
	if n.Kind != yaml.ScalarNode {
		d.add(n, path, "%s, got %s", want, d.describe(n))
		return
	}
	dur, err := ParseDuration(n.Value)
	if err != nil {
		d.add(n, path, "%s, got %s", want, d.describe(n))
		return
	}
	v.SetInt(int64(dur))
}

// ParseDuration reads a length of time: Go's form (36h, 90m, 1h30m) or a whole number of days
// (365d), which Go's form lacks and configs need most. Either may be signed (-2d, -90m).
func ParseDuration(s string) (time.Duration, error) {
	days, ok := strings.CutSuffix(s, "d")
	unsigned := days
	if len(days) > 0 && (days[0] == '-' || days[0] == '+') {
		unsigned = days[1:]
	}
	if ok && isDigits(unsigned) {
		n, err := strconv.ParseInt(days, 10, 64)
		if err != nil || n > int64(math.MaxInt64/(24*time.Hour)) || n < -int64(math.MaxInt64/(24*time.Hour)) {
			return 0, fmt.Errorf("%q: too many days", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	return time.ParseDuration(s)
}

// fmtDays renders a duration for messages, in days when it is whole days.
func fmtDays(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	}
	return d.String()
}

// fraction decodes a number that may have a fraction (2.5).
func (d *decoder) fraction(n *yaml.Node, path string, v reflect.Value) {
	tag := n.ShortTag()
	if n.Kind != yaml.ScalarNode || (tag != "!!int" && tag != "!!float") {
		d.add(n, path, "want a number such as 2.5, got %s", d.describe(n))
		return
	}
	f, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		d.add(n, path, "want a number such as 2.5, got %s", d.describe(n))
		return
	}
	v.SetFloat(f)
}

// instantLayouts are the forms parseInstant accepts, tried in order.
var instantLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02"}

func parseInstant(s string) (time.Time, error) {
	for _, layout := range instantLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("not an RFC 3339 instant: %q", s)
}

// closest returns the name within edit distance 2 of s, if one is: a likely typo.
func closest(s string, names []string) string {
	best, bestDist := "", 3
	for _, n := range names {
		if dist := editDistance(s, n); dist < bestDist {
			best, bestDist = n, dist
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// sortProblems orders problems by line so a file's messages read top to bottom.
func sortProblems(ps []problem.Problem) {
	slices.SortStableFunc(ps, func(a, b problem.Problem) int { return a.Line - b.Line })
}
