package main

import (
	"fmt"
	"time"

	"github.com/cryptofi/partner-mock/mock/app"
)

// journalFlags size the request journal: the last API requests served, kept for the admin API.
type journalFlags struct {
	JournalSize int `name:"journal-size" default:"1000" env:"PARTNER_MOCK_JOURNAL_SIZE" placeholder:"N" help:"Keep the last N API requests (time, FI, method, path, query, status, duration, faults applied; never a key) for the admin API; 0 keeps none, at most 100000."`
}

// apply puts the journal into cfg. Its entries are stamped with the wall clock. A size out of
// range is a usage error (exit 2).
func (f journalFlags) apply(cfg *app.Config) error {
	if f.JournalSize < 0 || f.JournalSize > app.MaxJournalSize {
		return usageError{fmt.Errorf("--journal-size %d: want 0 (no journal) to %d requests", f.JournalSize, app.MaxJournalSize)}
	}
	cfg.Journal = nil
	if f.JournalSize > 0 {
		cfg.Journal = app.NewJournal(f.JournalSize, time.Now)
	}
	return nil
}
