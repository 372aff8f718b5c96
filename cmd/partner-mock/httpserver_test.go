package main

import (
	"bufio"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/mock/app"
)

func TestHeaderSizeLimit(t *testing.T) {
	base, _, _ := startServe(t)
	req, err := http.NewRequest("GET", base+"/v1/users/?per_page=1", nil)
	require.NoError(t, err)
	req.Header.Set("x-api-key", "demo-key")
	req.Header.Set("X-Huge", strings.Repeat("a", 2*maxHeaderBytes))
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	_ = resp.Body.Close()
	assert.Equal(t, http.StatusRequestHeaderFieldsTooLarge, resp.StatusCode)

	req.Header.Set("X-Huge", strings.Repeat("a", maxHeaderBytes/2))
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	_ = resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode, "headers under the limit are fine")
}

// TestServerCutsClientsThatNeverFinishTheirHeaders runs the production server with its read
// header timeout shortened, so the test does not wait the real 10 s.
func TestServerCutsClientsThatNeverFinishTheirHeaders(t *testing.T) {
	a, err := app.New(app.Config{})
	require.NoError(t, err)
	srv, stop := newHTTPServer(a.Handler, slog.New(slog.NewTextHandler(io.Discard, nil)))
	defer stop()
	srv.ReadHeaderTimeout = 300 * time.Millisecond
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()

	c, err := net.Dial("tcp", ln.Addr().String())
	require.NoError(t, err)
	defer c.Close()
	_, err = c.Write([]byte("GET /v1/users/ HTTP/1.1\r\nHost: x\r\nX-Slow: "))
	require.NoError(t, err)
	start := time.Now()
	require.NoError(t, c.SetReadDeadline(time.Now().Add(5*time.Second)))
	_, err = bufio.NewReader(c).ReadByte()
	assert.ErrorIs(t, err, io.EOF, "the server hangs up")
	assert.Less(t, time.Since(start), 4*time.Second, "at the read header timeout, not at the client's deadline")
}

func TestServerLimitsOutlastDeliberateDelays(t *testing.T) {
	srv, stop := newHTTPServer(http.NotFoundHandler(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	defer stop()
	assert.Equal(t, readHeaderTimeout, srv.ReadHeaderTimeout)
	assert.Equal(t, readTimeout, srv.ReadTimeout)
	assert.Equal(t, idleTimeout, srv.IdleTimeout)
	assert.Equal(t, maxHeaderBytes, srv.MaxHeaderBytes)
	// The longest deliberate wait is a capped Prefer delay plus the longest --latency.
	assert.Greater(t, srv.WriteTimeout, 60*time.Second)
}
