package httpapi

import "strings"

// pattern is a route path with ":name" segments, matched the way Starlette matches FastAPI's
// "{name}" segments: one non-empty segment, no slash.
type pattern []string

func compile(path string) pattern {
	return strings.Split(path, "/")
}

func (p pattern) match(path string) bool {
	segs := strings.Split(path, "/")
	if len(segs) != len(p) {
		return false
	}
	for i, s := range p {
		if strings.HasPrefix(s, ":") {
			if segs[i] == "" {
				return false
			}
			continue
		}
		if segs[i] != s {
			return false
		}
	}
	return true
}

// ginPath turns the document's "{name}" segments into Gin's ":name".
func ginPath(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
			segs[i] = ":" + s[1:len(s)-1]
		}
	}
	return strings.Join(segs, "/")
}
