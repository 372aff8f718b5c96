package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/cryptofi/partner-mock/mock/app"
)

// The server's limits. They bound what a slow or hostile client can hold: a connection that
// trickles its headers, never finishes its request, never reads its answer, or idles.
const (
	// readHeaderTimeout bounds the request line and headers.
	readHeaderTimeout = 10 * time.Second
	// readTimeout bounds the whole request (the API's requests have no body).
	readTimeout = 30 * time.Second
	// writeTimeout bounds an answer, and must outlast the longest one the mock delays on
	// purpose (Prefer delay plus --latency) with room to send it.
	writeTimeout = app.MaxResponseDelay + 30*time.Second
	// idleTimeout closes keep-alive connections nobody uses.
	idleTimeout = 120 * time.Second
	// maxHeaderBytes bounds the request line and headers together (uvicorn's own limit is
	// 16 KiB; this leaves room for long queries).
	maxHeaderBytes = 64 << 10
)

// newHTTPServer returns the server for h, and a function that ends every deliberate wait
// (Prefer delay, --latency) in flight, which shutdown calls so draining is quick.
func newHTTPServer(h http.Handler, logger *slog.Logger) (*http.Server, context.CancelFunc) {
	base, stopDelays := context.WithCancel(context.Background())
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		BaseContext:       func(net.Listener) context.Context { return base },
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}, stopDelays
}

// drain stops srv once a stop was asked for: no new connections, delayed answers sent now,
// every in-flight request answered within grace. Connections still busy after grace are cut
// and logged; the stop itself was asked for, so that is not an error.
func drain(srv *http.Server, serveErr <-chan error, stopDelays context.CancelFunc, grace time.Duration, logger *slog.Logger) error {
	stopDelays()
	ctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		logger.Warn("shutdown: grace period over, closing the connections still busy", "grace", grace.String())
		_ = srv.Close()
	}
	if err := <-serveErr; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}
