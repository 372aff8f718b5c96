package params

import "strings"

// Error lists every reason the mock cannot serve a document's list parameters. Start-up merges
// its Problems with the document's and the tenants' into one message.
type Error struct {
	Problems []string
}

// Error reports the problems one per line.
func (e *Error) Error() string {
	return strings.Join(e.Problems, "\n")
}
