package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runHealthcheck runs `healthcheck` with args and returns the exit status and output.
func runHealthcheck(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), append([]string{"healthcheck"}, args...), &stdout, &stderr, nil)
	return code, stdout.String(), stderr.String()
}

// closedPort returns a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}

func TestHealthcheckAgainstServe(t *testing.T) {
	base, _, _ := startServe(t)
	addr := strings.TrimPrefix(base, "http://")
	_, port, err := net.SplitHostPort(addr)
	require.NoError(t, err)

	t.Run("url", func(t *testing.T) {
		code, stdout, stderr := runHealthcheck(t, "--url", base+"/healthz")
		assert.Equal(t, 0, code, stderr)
		assert.Equal(t, "healthy: GET "+base+"/healthz answered 200 OK\n", stdout)
	})
	t.Run("addr flag", func(t *testing.T) {
		code, stdout, stderr := runHealthcheck(t, "--addr", addr)
		assert.Equal(t, 0, code, stderr)
		assert.Contains(t, stdout, base+"/healthz")
	})
	t.Run("wildcard addr probes loopback", func(t *testing.T) {
		code, stdout, stderr := runHealthcheck(t, "--addr", "0.0.0.0:"+port)
		assert.Equal(t, 0, code, stderr)
		assert.Contains(t, stdout, "http://127.0.0.1:"+port+"/healthz")
	})
	t.Run("PARTNER_MOCK_ADDR, as in the image", func(t *testing.T) {
		t.Setenv("PARTNER_MOCK_ADDR", "0.0.0.0:"+port)
		code, stdout, stderr := runHealthcheck(t)
		assert.Equal(t, 0, code, stderr)
		assert.Contains(t, stdout, "http://127.0.0.1:"+port+"/healthz")
	})
	t.Run("PARTNER_MOCK_HEALTHCHECK_URL", func(t *testing.T) {
		t.Setenv("PARTNER_MOCK_HEALTHCHECK_URL", base+"/healthz")
		t.Setenv("PARTNER_MOCK_ADDR", closedPort(t))
		code, _, stderr := runHealthcheck(t)
		assert.Equal(t, 0, code, stderr)
	})
	t.Run("a path that is not healthz", func(t *testing.T) {
		code, stdout, stderr := runHealthcheck(t, "--url", base+"/v1/users/")
		assert.Equal(t, 1, code)
		assert.Empty(t, stdout)
		assert.Contains(t, stderr, "unhealthy: GET "+base+"/v1/users/ answered 401 Unauthorized")
	})
}

func TestHealthcheckUnhealthy(t *testing.T) {
	unavailable := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "draining", http.StatusServiceUnavailable)
	}))
	t.Cleanup(unavailable.Close)
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(slow.Close)
	t.Cleanup(func() { close(release) })

	tests := []struct {
		name string
		args []string
		want string
	}{
		{"nothing listening", []string{"--addr", closedPort(t)}, "unhealthy: Get"},
		{"503", []string{"--url", unavailable.URL + "/healthz"}, "answered 503 Service Unavailable: draining"},
		{"no answer within the timeout", []string{"--url", slow.URL + "/healthz", "--timeout", "100ms"}, "context deadline exceeded"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			code, stdout, stderr := runHealthcheck(t, tt.args...)
			assert.Equal(t, 1, code)
			assert.Empty(t, stdout)
			assert.Contains(t, stderr, tt.want)
			assert.Less(t, time.Since(start), 5*time.Second, "the probe gives up instead of hanging")
		})
	}
}

func TestHealthcheckUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"addr without port", []string{"--addr", "localhost"}, `--addr "localhost": want HOST:PORT`},
		{"url without scheme", []string{"--url", "127.0.0.1:8000/healthz"}, `--url "127.0.0.1:8000/healthz": want an http(s) URL`},
		{"url of another scheme", []string{"--url", "ftp://127.0.0.1/healthz"}, "want an http(s) URL"},
		{"zero timeout", []string{"--timeout", "0s"}, "--timeout 0s: want a positive duration"},
		{"timeout without unit", []string{"--timeout", "5"}, "--timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runHealthcheck(t, tt.args...)
			assert.Equal(t, 2, code)
			assert.Contains(t, stderr, tt.want)
		})
	}
}

func TestHealthcheckTarget(t *testing.T) {
	tests := []struct {
		addr string
		tls  healthcheckCmd
		want string
	}{
		{"127.0.0.1:8000", healthcheckCmd{}, "http://127.0.0.1:8000/healthz"},
		{"0.0.0.0:8443", healthcheckCmd{TLSCert: "/tls/tls.crt"}, "https://127.0.0.1:8443/healthz"},
		{"[::]:8443", healthcheckCmd{TLSSelfSigned: true}, "https://[::1]:8443/healthz"},
		{"0.0.0.0:8000", healthcheckCmd{}, "http://127.0.0.1:8000/healthz"},
		{":9000", healthcheckCmd{}, "http://127.0.0.1:9000/healthz"},
		{"[::]:8000", healthcheckCmd{}, "http://[::1]:8000/healthz"},
		{"[::1]:8000", healthcheckCmd{}, "http://[::1]:8000/healthz"},
		{"mock.internal:8000", healthcheckCmd{}, "http://mock.internal:8000/healthz"},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			c := tt.tls
			c.Addr = tt.addr
			got, err := c.target()
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}
