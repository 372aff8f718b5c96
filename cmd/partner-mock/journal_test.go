package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/mock/app"
)

func TestJournalSizeFlag(t *testing.T) {
	var cfg app.Config
	require.NoError(t, journalFlags{JournalSize: 1000}.apply(&cfg))
	require.NotNil(t, cfg.Journal)
	assert.Equal(t, 1000, cfg.Journal.Size())
	require.NoError(t, journalFlags{JournalSize: 0}.apply(&cfg))
	assert.Nil(t, cfg.Journal, "0 keeps no journal")

	for _, tt := range []struct{ args []string }{{[]string{"--journal-size=-1"}}, {[]string{"--journal-size", "100001"}}} {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), append([]string{"serve", "--addr", "127.0.0.1:0"}, tt.args...), &stdout, &stderr, nil)
		assert.Equal(t, 2, code)
		assert.Contains(t, stderr.String(), "want 0 (no journal) to 100000 requests")
	}
	t.Run("from the environment", func(t *testing.T) {
		t.Setenv("PARTNER_MOCK_JOURNAL_SIZE", "-3")
		var stdout, stderr bytes.Buffer
		assert.Equal(t, 2, run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0"}, &stdout, &stderr, nil))
		assert.Contains(t, stderr.String(), "--journal-size -3: want 0 (no journal) to 100000 requests")
	})
}

func TestServeWithAJournalServesAsBefore(t *testing.T) {
	base, _, _ := startServe(t, "--journal-size", "5")
	for range 10 {
		status, _ := fetch(t, base+"/v1/users/?per_page=1", "demo-key")
		assert.Equal(t, 200, status)
	}
}
