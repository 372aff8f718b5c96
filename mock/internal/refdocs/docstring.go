package refdocs

import (
	"regexp"
	"strings"
)

// docstring is an operation's description read as the Python docstring FastAPI copies into it:
// the prose, and the Sphinx field lines (":param x: …", ":return: …", ":raises E: …") that the
// page turns into readable text of its own.
type docstring struct {
	// Prose holds the paragraphs that are not field lines, each with its hard line breaks
	// joined (list items keep theirs).
	Prose []string
	// Fields are the field lines in the order written.
	Fields []docField
}

// docField is one Sphinx field: ":raises HTTPException: 404 Not Found when …" has Kind
// "raises", Arg "HTTPException" and the text after the second colon.
type docField struct {
	Kind string
	Arg  string
	Text string
}

// fieldLine matches the start of a Sphinx field: ":kind:" or ":kind arg:", then its text.
var fieldLine = regexp.MustCompile(`^:([A-Za-z]+)(?:\s+([^:]*?))?:(?:\s+(.*))?$`)

// listItem matches a line that starts a Markdown list item, which keeps its line break.
var listItem = regexp.MustCompile(`^([-*+]|\d+[.)])\s`)

// parseDocstring splits s into prose and field lines. A field runs on over the lines that
// follow it until a blank line or the next field; text that is neither is prose. A description
// without field lines comes back as prose alone.
func parseDocstring(s string) docstring {
	var d docstring
	var para []string
	flush := func() {
		if len(para) > 0 {
			d.Prose = append(d.Prose, strings.Join(para, ""))
			para = nil
		}
	}
	inField := false
	for _, line := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		line = strings.TrimSpace(line)
		switch m := fieldLine.FindStringSubmatch(line); {
		case line == "":
			flush()
			inField = false
		case m != nil:
			flush()
			d.Fields = append(d.Fields, docField{Kind: strings.ToLower(m[1]), Arg: strings.TrimSpace(m[2]), Text: m[3]})
			inField = true
		case inField:
			f := &d.Fields[len(d.Fields)-1]
			f.Text = strings.TrimSpace(f.Text + " " + line)
		default:
			switch {
			case len(para) == 0:
				para = append(para, line)
			case listItem.MatchString(line):
				para = append(para, "\n"+line)
			default:
				para = append(para, " "+line)
			}
		}
	}
	flush()
	return d
}

// What a field line is about, by its kind (Sphinx's synonyms included).
const (
	fieldParam  = "param"
	fieldReturn = "return"
	fieldRaises = "raises"
	// fieldPython is about the Python code alone (types of arguments and results): the page
	// leaves it out.
	fieldPython = "(python)"
)

func fieldRole(kind string) string {
	switch kind {
	case "param", "parameter", "arg", "argument", "key", "keyword":
		return fieldParam
	case "return", "returns":
		return fieldReturn
	case "raises", "raise", "except", "exception":
		return fieldRaises
	case "type", "rtype", "vartype", "kwtype", "var", "ivar", "cvar", "meta":
		return fieldPython
	}
	return kind
}

// label turns a field kind the page has no word of its own for into a heading: "note" →
// "Note", "see_also" → "See also".
func label(kind string) string {
	s := strings.ReplaceAll(kind, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// sameName reports whether a Python argument's name and an HTTP name (a header, a security
// scheme) name the same thing once case and separators are ignored: api_key and x-api-key,
// api_key and APIKeyHeader.
func sameName(arg, name string) bool {
	a, n := squash(arg), squash(name)
	if len(a) < 3 || n == "" {
		// Too short to say: "x" would match every name ending in x.
		return false
	}
	return strings.HasSuffix(n, a) || strings.HasPrefix(n, a)
}

func squash(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			return r
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		}
		return -1
	}, s)
}
