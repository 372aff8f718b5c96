package app

import (
	"time"

	"github.com/cryptofi/partner-mock/mock/internal/journal"
)

// Journal is a bounded record of the API requests a mock served, newest first (package
// journal): List, Clear, and AppendJSON for the admin API. Give the same Journal to every
// build of a Reloadable, so the record outlives a reload.
type Journal = journal.Journal

// JournalEntry is one recorded request.
type JournalEntry = journal.Entry

// The journal's sizes: the default, and the most a journal keeps.
const (
	DefaultJournalSize = journal.DefaultSize
	MaxJournalSize     = journal.MaxSize
)

// NewJournal returns an empty journal of size entries (0 means DefaultJournalSize) whose
// entries are stamped with now, the mock's clock.
func NewJournal(size int, now func() time.Time) *Journal {
	return journal.New(now, journal.Config{Size: size})
}
