package faults

import (
	"strconv"
	"strings"
	"time"
)

// Fault is a connection- or body-level failure a client can ask for with Prefer: fault=NAME.
type Fault string

// The faults the mock can inject.
const (
	// ConnectionReset closes the connection with a TCP reset before any response byte.
	ConnectionReset Fault = "connection_reset"
	// EmptyResponse closes the connection cleanly before any response byte.
	EmptyResponse Fault = "empty_response"
	// MalformedJSON sends the real status and headers with a body that is not valid JSON (the
	// first half of the real body, with a matching content-length).
	MalformedJSON Fault = "malformed_json"
	// TruncatedBody announces the real body's content-length, sends half of it, then closes the
	// connection.
	TruncatedBody Fault = "truncated_body"
)

// Faults lists every fault in the order the docs present them.
var Faults = []Fault{ConnectionReset, EmptyResponse, MalformedJSON, TruncatedBody}

// Codes lists the statuses Prefer: code=N can ask for.
var Codes = []int{401, 403, 404, 429, 500, 502, 503, 504}

// MaxDelay caps Prefer: delay=MS; a larger value is served as MaxDelay, with a warning.
const MaxDelay = 30 * time.Second

// maxWarnings bounds the warnings of one request, so a hostile header cannot make a huge
// response header.
const maxWarnings = 4

// maxEcho bounds how much of a client's token a warning repeats.
const maxEcho = 32

// Prefs are the controls of one request's Prefer headers. The zero value asks for nothing.
type Prefs struct {
	// Code is the status asked for with code=N; 0 when none.
	Code int
	// Delay is the pause asked for with delay=MS, already capped at MaxDelay. HasDelay tells
	// delay=0 apart from no delay.
	Delay    time.Duration
	HasDelay bool
	// Fault is the fault asked for with fault=NAME; empty when none.
	Fault Fault
	// Warnings say, in order, why preferences were ignored or changed; at most maxWarnings
	// (plus one saying how many more there were).
	Warnings []string
}

// Empty reports whether no control was asked for.
func (p Prefs) Empty() bool {
	return p.Code == 0 && !p.HasDelay && p.Fault == ""
}

// ParsePrefer reads the values of every Prefer header of a request (RFC 7240 §2: a
// comma-separated list of `token [= word] *(; parameter)`). Unknown, malformed or repeated
// preferences are ignored with a warning; only the first instance of a preference counts, as the
// RFC says. Parameters after ";" are ignored, as the RFC allows. It never fails.
func ParsePrefer(values []string) Prefs {
	var p Prefs
	var warn warnings
	seen := map[string]bool{}
	for _, v := range values {
		for _, item := range splitList(v) {
			name, value, hasValue, ok := parsePreference(item)
			if !ok {
				warn.add("ignored malformed preference " + quoteEcho(item))
				continue
			}
			name = strings.ToLower(name)
			if seen[name] {
				warn.add("ignored repeated preference " + quoteEcho(name) + ": only the first counts")
				continue
			}
			seen[name] = true
			switch name {
			case "code":
				p.Code = parseCode(value, hasValue, &warn)
			case "delay":
				p.Delay, p.HasDelay = parseDelay(value, hasValue, &warn)
			case "fault":
				p.Fault = parseFault(value, hasValue, &warn)
			default:
				warn.add("ignored unknown preference " + quoteEcho(name) + "; this mock knows code, delay and fault")
			}
		}
	}
	p.Warnings = warn.list()
	return p
}

// Applied is the Preference-Applied value for the honoured controls, in the order code, delay,
// fault; faultApplied says whether the fault could be applied to this response.
func (p Prefs) Applied(faultApplied bool) string {
	var parts []string
	if p.Code != 0 {
		parts = append(parts, "code="+strconv.Itoa(p.Code))
	}
	if p.HasDelay {
		parts = append(parts, "delay="+strconv.FormatInt(p.Delay.Milliseconds(), 10))
	}
	if p.Fault != "" && faultApplied {
		parts = append(parts, "fault="+string(p.Fault))
	}
	return strings.Join(parts, ", ")
}

func parseCode(value string, hasValue bool, warn *warnings) int {
	n, err := strconv.Atoi(value)
	if hasValue && err == nil {
		for _, c := range Codes {
			if c == n {
				return n
			}
		}
	}
	warn.add("ignored code=" + quoteEcho(value) + ": want one of 401, 403, 404, 429, 500, 502, 503, 504")
	return 0
}

func parseDelay(value string, hasValue bool, warn *warnings) (time.Duration, bool) {
	if !hasValue || value == "" || len(value) > 12 || strings.Trim(value, "0123456789") != "" {
		warn.add("ignored delay=" + quoteEcho(value) + ": want milliseconds, 0 to 30000")
		return 0, false
	}
	ms, err := strconv.ParseInt(value, 10, 64)
	if err != nil || time.Duration(ms)*time.Millisecond > MaxDelay {
		warn.add("delay=" + quoteEcho(value) + " capped at 30000 ms")
		return MaxDelay, true
	}
	return time.Duration(ms) * time.Millisecond, true
}

func parseFault(value string, hasValue bool, warn *warnings) Fault {
	for _, f := range Faults {
		if hasValue && strings.EqualFold(value, string(f)) {
			return f
		}
	}
	warn.add("ignored fault=" + quoteEcho(value) + ": want connection_reset, empty_response, malformed_json or truncated_body")
	return ""
}

// warnings collects warning texts, keeping the first maxWarnings and counting the rest.
type warnings struct {
	texts []string
	extra int
}

func (w *warnings) add(text string) {
	if len(w.texts) < maxWarnings {
		w.texts = append(w.texts, text)
		return
	}
	w.extra++
}

func (w *warnings) list() []string {
	if w.extra > 0 {
		return append(w.texts, strconv.Itoa(w.extra)+" more preference problems not listed")
	}
	return w.texts
}

// splitList splits a header value at the commas outside quoted strings, dropping empty
// elements (RFC 9110 §5.6.1: recipients ignore them).
func splitList(v string) []string {
	var items []string
	start, inQuote := 0, false
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case inQuote && c == '\\':
			i++
		case c == '"':
			inQuote = !inQuote
		case c == ',' && !inQuote:
			items = appendTrimmed(items, v[start:i])
			start = i + 1
		}
	}
	return appendTrimmed(items, v[start:])
}

func appendTrimmed(items []string, s string) []string {
	if s = strings.Trim(s, " \t"); s != "" {
		items = append(items, s)
	}
	return items
}

// parsePreference reads `token [BWS "=" BWS word] *(OWS ";" [OWS parameter])` and returns the
// name and value; parameters are checked for syntax and dropped.
func parsePreference(item string) (name, value string, hasValue, ok bool) {
	name, value, hasValue, rest, ok := parsePair(item)
	if !ok {
		return "", "", false, false
	}
	for rest != "" {
		if rest[0] != ';' {
			return "", "", false, false
		}
		rest = strings.TrimLeft(rest[1:], " \t")
		if rest == "" || rest[0] == ';' {
			continue // an empty parameter
		}
		if _, _, _, rest, ok = parsePair(rest); !ok {
			return "", "", false, false
		}
	}
	return name, value, hasValue, true
}

// parsePair reads `token [BWS "=" BWS word] OWS` at the start of s and returns what follows.
func parsePair(s string) (name, value string, hasValue bool, rest string, ok bool) {
	n := tokenLen(s)
	if n == 0 {
		return "", "", false, "", false
	}
	name, rest = s[:n], strings.TrimLeft(s[n:], " \t")
	if rest != "" && rest[0] == '=' {
		rest = strings.TrimLeft(rest[1:], " \t")
		hasValue = true
		if value, rest, ok = parseWord(rest); !ok {
			return "", "", false, "", false
		}
		rest = strings.TrimLeft(rest, " \t")
	}
	return name, value, hasValue, rest, true
}

// parseWord reads a token or a quoted-string (unescaped).
func parseWord(s string) (word, rest string, ok bool) {
	if s == "" || s[0] != '"' {
		n := tokenLen(s)
		return s[:n], s[n:], n > 0
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			return b.String(), s[i+1:], true
		case c == '\\' && i+1 < len(s):
			i++
			b.WriteByte(s[i])
		case c == '\t' || (c >= 0x20 && c != 0x7f):
			b.WriteByte(c)
		default:
			return "", "", false
		}
	}
	return "", "", false // unterminated
}

// tokenLen is the length of the RFC 9110 token at the start of s.
func tokenLen(s string) int {
	for i := 0; i < len(s); i++ {
		if !isTokenChar(s[i]) {
			return i
		}
	}
	return len(s)
}

func isTokenChar(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

// quoteEcho repeats a client's text in a warning safely: printable ASCII only, at most maxEcho
// characters, quotes and backslashes replaced, inside single quotes.
func quoteEcho(s string) string {
	var b strings.Builder
	b.WriteByte('\'')
	for i := 0; i < len(s); i++ {
		if i == maxEcho {
			b.WriteString("...")
			break
		}
		c := s[i]
		if c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '\'' {
			c = '?'
		}
		b.WriteByte(c)
	}
	b.WriteByte('\'')
	return b.String()
}

// WarningValue formats a warning text as a Warning header value (RFC 7234 §5.5: code 199,
// "miscellaneous warning"). Texts from this package hold no quotes or backslashes.
func WarningValue(text string) string {
	return `199 partner-mock "` + text + `"`
}
