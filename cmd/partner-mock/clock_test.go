package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// healthz is /healthz's answer: the clock's mode and each FI's mock time.
type healthz struct {
	Status string `json:"status"`
	Clock  struct {
		Mode  string  `json:"mode"`
		Speed float64 `json:"speed"`
		FIs   []struct {
			FI  string    `json:"fi"`
			Now time.Time `json:"now"`
		} `json:"fis"`
	} `json:"clock"`
}

func readHealthz(t *testing.T, base string) healthz {
	t.Helper()
	status, body := fetch(t, base+"/healthz", "")
	require.Equal(t, 200, status)
	var h healthz
	require.NoError(t, json.Unmarshal([]byte(body), &h), body)
	return h
}

func TestClockFlags(t *testing.T) {
	t.Run("frozen at as_of by default", func(t *testing.T) {
		base, stdout, _ := startServe(t)
		assert.Contains(t, stdout.String(), "clock: frozen at each FI's as_of")
		h := readHealthz(t, base)
		assert.Equal(t, "frozen", h.Clock.Mode)
		require.Len(t, h.Clock.FIs, 2)
		assert.Equal(t, "2025-10-01T00:00:00Z", h.Clock.FIs[0].Now.Format(time.RFC3339))
	})
	t.Run("--now freezes at an instant and the data follows", func(t *testing.T) {
		base, stdout, _ := startServe(t, "--now", "2025-10-08T12:00:00Z")
		assert.Contains(t, stdout.String(), "clock: frozen at 2025-10-08T12:00:00Z")
		h := readHealthz(t, base)
		assert.Equal(t, "2025-10-08T12:00:00Z", h.Clock.FIs[1].Now.Format(time.RFC3339))
		_, asOf := fetch(t, base+"/v1/users/?per_page=1&created_at_end=2025-10-01", "demo-key")
		_, now := fetch(t, base+"/v1/users/?per_page=1", "demo-key")
		assert.Contains(t, asOf, `"total_records":1000`, "everyone who signed up before as_of")
		assert.NotContains(t, now, `"total_records":1000,`, "a week later, more have signed up")
	})
	t.Run("the environment sets it too", func(t *testing.T) {
		t.Setenv("PARTNER_MOCK_NOW", "2025-03-01T00:00:00Z")
		base, _, _ := startServe(t)
		_, body := fetch(t, base+"/v1/users/?per_page=1", "demo-key")
		assert.NotContains(t, body, `"total_records":1000,`, "backdated: fewer users")
	})
	t.Run("live runs at its speed", func(t *testing.T) {
		start := time.Now().Add(-10 * time.Second).UTC().Format(time.RFC3339)
		base, stdout, _ := startServe(t, "--clock", "live", "--clock-start", start, "--clock-speed", "86400")
		assert.Contains(t, stdout.String(), "clock: live, 86400x")
		h := readHealthz(t, base)
		assert.Equal(t, "live", h.Clock.Mode)
		assert.Equal(t, 86400.0, h.Clock.Speed)
		elapsed := h.Clock.FIs[0].Now.Sub(time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC))
		assert.Greater(t, elapsed, 9*24*time.Hour, "ten wall seconds since the start are ten days")
		assert.Less(t, elapsed, 60*24*time.Hour)
	})
}

func TestClockFromTheConfigFileAndFlagsOverIt(t *testing.T) {
	config := "clock:\n  now: 2025-10-08T00:00:00Z\n" + goodConfig
	path := writeConfig(t, config, goodPinned)
	base, _, _ := startServe(t, "--config", path)
	assert.Equal(t, "2025-10-08T00:00:00Z", readHealthz(t, base).Clock.FIs[0].Now.Format(time.RFC3339))
	base, _, _ = startServe(t, "--config", path, "--now", "2025-10-02T00:00:00Z")
	assert.Equal(t, "2025-10-02T00:00:00Z", readHealthz(t, base).Clock.FIs[0].Now.Format(time.RFC3339), "the flag wins")
}

func TestBadClockSettingsExit2WithWhatToFix(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"not an instant", []string{"--now", "yesterday"}, `--now "yesterday": want an RFC 3339 instant`},
		{"unknown mode", []string{"--clock", "fast"}, `--clock "fast": want frozen or live`},
		{"zero speed", []string{"--clock", "live", "--clock-speed", "0"}, `--clock-speed "0": want a number of mock seconds per second above 0`},
		{"too fast", []string{"--clock", "live", "--clock-speed", "1e9"}, "at most"},
		{"speed without live", []string{"--clock-speed", "10"}, "--clock-start and --clock-speed set a live clock: add --clock live"},
		{"bad start", []string{"--clock", "live", "--clock-start", "noon"}, `--clock-start "noon"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), append([]string{"serve", "--addr", "127.0.0.1:0"}, tt.args...), &stdout, &stderr, nil)
			assert.Equal(t, 2, code)
			assert.Contains(t, stderr.String(), tt.want)
		})
	}
	t.Run("a config file's clock", func(t *testing.T) {
		path := writeConfig(t, "clock:\n  mode: fast\n  speed: -1\n"+goodConfig, goodPinned)
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--config", path}, &stdout, &stderr, nil)
		assert.Equal(t, 2, code)
		assert.Contains(t, stderr.String(), `tenants.yaml:2: clock.mode: "fast": want frozen or live`)
		assert.Contains(t, stderr.String(), "clock.speed: -1: want mock seconds per wall second")
		assert.True(t, strings.Count(stderr.String(), "tenants.yaml:") >= 2, stderr.String())
	})
}
