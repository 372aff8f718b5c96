// Package problem is the mock's one way of saying "here is everything wrong": a list of
// problems, each with where it is (a file, a line, a field) and what to fix. Start-up, config
// files, pinned files and the admin API all report through it, so a user fixes everything in
// one edit-and-retry instead of meeting one problem per run.
package problem

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Problem is one thing wrong.
type Problem struct {
	// File names the file the problem is in; empty when it is not in a file (a flag, a request).
	File string
	// Line is the 1-based line in File, or 0.
	Line int
	// Path is the field, such as tenants[1].users; empty when the problem is not about one.
	Path string
	Msg  string
}

// String renders the problem as compilers do, so editors can jump to it:
// FILE:LINE: PATH: MSG, leaving out what is empty.
func (p Problem) String() string {
	var b strings.Builder
	if p.File != "" {
		b.WriteString(p.File)
		if p.Line > 0 {
			fmt.Fprintf(&b, ":%d", p.Line)
		}
		b.WriteString(": ")
	}
	if p.Path != "" {
		b.WriteString(p.Path)
		b.WriteString(": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// List is every problem found, in the order they should be read. It is an error when it holds
// any.
type List struct {
	// Heading, when set, introduces the problems ("the mock cannot serve x.json; fix these and
	// start again:"); they then follow as an indented list.
	Heading string
	Items   []Problem
}

// Addf adds a problem without a file.
func (l *List) Addf(path, format string, args ...any) {
	l.Items = append(l.Items, Problem{Path: path, Msg: fmt.Sprintf(format, args...)})
}

// Add adds problems, skipping any already listed: two checks can find the same fault, and
// saying it twice helps no one.
func (l *List) Add(ps ...Problem) {
	for _, p := range ps {
		if !slices.Contains(l.Items, p) {
			l.Items = append(l.Items, p)
		}
	}
}

// Merge adds the problems of err: all of them when it is (or wraps) a *List, else one problem
// per line of its message.
func (l *List) Merge(err error) {
	if err == nil {
		return
	}
	if other, ok := errors.AsType[*List](err); ok {
		l.Add(other.Items...)
		return
	}
	for _, line := range strings.Split(err.Error(), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			l.Add(Problem{Msg: line})
		}
	}
}

// Len returns the number of problems.
func (l *List) Len() int { return len(l.Items) }

// SortByLine orders problems of one file by line, so its messages read top to bottom.
func (l *List) SortByLine() {
	slices.SortStableFunc(l.Items, func(a, b Problem) int { return cmp.Compare(a.Line, b.Line) })
}

// Err returns l as an error, or nil when it holds no problem.
func (l *List) Err() error {
	if l == nil || len(l.Items) == 0 {
		return nil
	}
	return l
}

// Error renders one problem per line, under the heading when there is one.
func (l *List) Error() string {
	var b strings.Builder
	if l.Heading != "" {
		b.WriteString(l.Heading)
	}
	for i, p := range l.Items {
		switch {
		case l.Heading != "":
			b.WriteString("\n  - ")
		case i > 0:
			b.WriteByte('\n')
		}
		b.WriteString(p.String())
	}
	return b.String()
}
