package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// betaUsers is goodConfig with Beta Bank's population changed from 200 to 150 users.
var betaUsers = strings.Replace(goodConfig, "    seed: 8\n    users: 200\n", "    seed: 8\n    users: 150\n", 1)

// betaBroken is goodConfig with two problems in Beta Bank, on lines 12 and 14.
var betaBroken = strings.Replace(strings.Replace(goodConfig, "    api_keys: [beta-key]\n", "    api_keys: [beta-key, acme-key]\n", 1),
	"    users: 200\n", "    users: lots\n", 1)

// totalRecords returns the total_records a key's list reports.
func totalRecords(t *testing.T, base, key string) string {
	t.Helper()
	status, body := fetch(t, base+"/v1/users/?per_page=1", key)
	require.Equal(t, 200, status, body)
	_, rest, ok := strings.Cut(body, `"total_records":`)
	require.True(t, ok, body)
	n, _, _ := strings.Cut(rest, ",")
	return strings.TrimSuffix(n, "}")
}

// hup sends SIGHUP to this test process, which a running serve has asked to be told of.
func hup(t *testing.T) {
	t.Helper()
	require.NoError(t, syscall.Kill(os.Getpid(), syscall.SIGHUP))
}

func TestSIGHUPReloadsTheConfigAndRejectsABrokenOne(t *testing.T) {
	path := writeConfig(t, goodConfig, goodPinned)
	base, stdout, stderr := startServe(t, "--config", path)
	assert.Contains(t, stdout.String(), "reload: "+path+" is re-read on SIGHUP (kill -HUP <pid>); a bad file is rejected and the running config kept\n")
	require.Equal(t, "200", totalRecords(t, base, "beta-key"))

	require.NoError(t, os.WriteFile(path, []byte(betaUsers), 0o644))
	hup(t)
	require.Eventually(t, func() bool { return totalRecords(t, base, "beta-key") == "150" }, 10*time.Second, 10*time.Millisecond,
		"the changed file serves after SIGHUP")
	require.Eventually(t, func() bool { return strings.Contains(stderr.String(), `msg="config reloaded" trigger=SIGHUP`) }, 5*time.Second, 10*time.Millisecond)
	assert.Contains(t, stderr.String(), `msg="config reloaded" trigger=SIGHUP tenants="tenants from `+path+`" fis=2 keys=2`)

	require.NoError(t, os.WriteFile(path, []byte(betaBroken), 0o644))
	hup(t)
	require.Eventually(t, func() bool { return strings.Contains(stderr.String(), "config reload rejected") }, 10*time.Second, 10*time.Millisecond)
	logged := stderr.String()
	assert.Contains(t, logged, `level=ERROR msg="config reload rejected; still serving the previous config" trigger=SIGHUP`)
	assert.Contains(t, logged, path+`:12: tenants[1].api_keys[1]: this key is also a key of tenants[0] (acme)`)
	assert.Contains(t, logged, path+`:14: tenants[1].users: want a whole number such as 1000, got the text \"lots\"`)
	assert.NotContains(t, logged, "acme-key", "keys are never logged")
	assert.NotContains(t, logged, "beta-key")
	var rejections int
	for _, line := range strings.Split(logged, "\n") {
		if strings.Contains(line, "config reload rejected") {
			rejections++
		}
	}
	assert.Equal(t, 1, rejections, "one line per reload")
	assert.Equal(t, "150", totalRecords(t, base, "beta-key"), "the last good config keeps serving")
	status, _ := fetch(t, base+"/v1/users/ACME-2/", "acme-key")
	assert.Equal(t, 200, status)
}

func TestWatchConfigReloadsAChangedFile(t *testing.T) {
	path := writeConfig(t, goodConfig, goodPinned)
	base, stdout, stderr := startServe(t, "--config", path, "--watch-config")
	assert.Contains(t, stdout.String(), "reload: "+path+" is re-read on SIGHUP (kill -HUP <pid>) and whenever its content changes (--watch-config, polled every 1s); "+
		"a bad file is rejected and the running config kept\n")
	require.Equal(t, "200", totalRecords(t, base, "beta-key"))

	require.NoError(t, os.WriteFile(path, []byte(betaUsers), 0o644))
	require.Eventually(t, func() bool { return totalRecords(t, base, "beta-key") == "150" }, 15*time.Second, 20*time.Millisecond)
	assert.Contains(t, stderr.String(), `msg="config reloaded" trigger="file changed"`)

	require.NoError(t, os.WriteFile(path, []byte(betaBroken), 0o644))
	require.Eventually(t, func() bool { return strings.Contains(stderr.String(), "config reload rejected") }, 15*time.Second, 20*time.Millisecond)
	// The same broken content is not retried every second.
	time.Sleep(2500 * time.Millisecond)
	assert.Equal(t, 1, strings.Count(stderr.String(), "config reload rejected"))
	assert.Equal(t, "150", totalRecords(t, base, "beta-key"))
}

func TestWatchConfigNeedsAConfigFile(t *testing.T) {
	for _, args := range [][]string{{"--watch-config"}, {"--watch-config", "--api-key", "k"}} {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), &stdout, &stderr, nil)
		assert.Equal(t, 2, code)
		assert.Contains(t, stderr.String(), "--watch-config (or PARTNER_MOCK_WATCH_CONFIG) watches the tenants file: give it --config FILE")
	}
}

func TestWatchFileSignalsChangesOnce(t *testing.T) {
	path := writeConfig(t, goodConfig, goodPinned)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	changed := make(chan struct{}, 1)
	go watchFile(ctx, path, 5*time.Millisecond, contentHash(path), changed)

	select {
	case <-changed:
		t.Fatal("no change yet")
	case <-time.After(50 * time.Millisecond):
	}
	// Written aside and renamed in, as an editor or a ConfigMap update does: a write in place
	// can be seen half-done (empty, then full), which is two changes.
	require.NoError(t, os.WriteFile(path+".new", []byte(betaUsers), 0o644))
	require.NoError(t, os.Rename(path+".new", path))
	select {
	case <-changed:
	case <-time.After(5 * time.Second):
		t.Fatal("the change was not seen")
	}
	select {
	case <-changed:
		t.Fatal("one change, one signal")
	case <-time.After(50 * time.Millisecond):
	}
	require.NoError(t, os.Remove(path))
	select {
	case <-changed:
	case <-time.After(5 * time.Second):
		t.Fatal("a file that went away is a change")
	}
}
