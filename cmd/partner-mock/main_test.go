package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/mock/app"
)

// syncBuffer is a bytes.Buffer safe for the server goroutine to write while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startServe runs `serve` in-process on a free port and returns its base URL.
func startServe(t *testing.T, args ...string) (string, *syncBuffer, *syncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	addrc := make(chan string, 1)
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), &stdout, &stderr, func(a string) { addrc <- a })
	}()
	var addr string
	select {
	case addr = <-addrc:
	case code := <-done:
		t.Fatalf("serve exited %d: %s", code, stderr.String())
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not start")
	}
	t.Cleanup(func() {
		cancel()
		assert.Equal(t, 0, <-done, "serve exits 0 on shutdown")
	})
	return "http://" + addr, &stdout, &stderr
}

func TestServeStartsAndPrintsTheBanner(t *testing.T) {
	base, stdout, stderr := startServe(t)
	out := stdout.String()
	assert.Contains(t, out, base+"/v1/users/")
	assert.Contains(t, out, "generator "+app.GeneratorVersion)
	assert.Regexp(t, `Demo Credit Union\s+key demo-key\s+1000 users`, out)
	assert.Regexp(t, `Demo Savings Bank\s+key demo-key-2\s+250 users`, out)
	assert.Contains(t, out, "curl -H 'x-api-key: demo-key' '"+base+"/v1/users/?per_page=2'")
	assert.NotContains(t, out+stderr.String(), "[GIN-debug]", "release mode: no debug banner")

	req, err := http.NewRequest("GET", base+"/v1/users/", nil)
	require.NoError(t, err)
	req.Header.Set("x-api-key", "demo-key")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, 25, strings.Count(string(body), `"user_account_id"`))
	assert.Eventually(t, func() bool { return strings.Contains(stderr.String(), "path=/v1/users/ status=200") }, time.Second, 10*time.Millisecond)
	assert.NotContains(t, stderr.String(), "demo-key", "keys are never logged")
}

func TestServeAddrFromEnv(t *testing.T) {
	t.Setenv("PARTNER_MOCK_ADDR", "not-an-address")
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"serve"}, &stdout, &stderr, nil)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr.String(), `--addr "not-an-address": want HOST:PORT`)
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown command", []string{"serv"}, "unexpected argument serv"},
		{"unknown flag", []string{"serve", "--adr", "x"}, "unknown flag --adr"},
		{"no command", nil, "expected one of"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), tt.args, &stdout, &stderr, nil)
			assert.Equal(t, 2, code)
			assert.Contains(t, stderr.String(), tt.want)
		})
	}
}

func TestVersion(t *testing.T) {
	var stdout, stderr bytes.Buffer
	require.Equal(t, 0, run(context.Background(), []string{"version"}, &stdout, &stderr, nil))
	assert.Contains(t, stdout.String(), "generator "+app.GeneratorVersion)
	assert.Contains(t, stdout.String(), "spec Partner api 0.1.0")
}
