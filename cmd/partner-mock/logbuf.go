package main

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"sync"
	"time"
)

// batchWriter gathers the request log's lines and writes them out together: when its buffer
// fills, and at least every interval. One write per request would cost the server a system call
// per request, as much as reading the request itself; lines still arrive within interval, and
// other records at once (batchingHandler).
type batchWriter struct {
	mu   sync.Mutex
	w    *bufio.Writer
	stop chan struct{}
	done chan struct{}
}

func newBatchWriter(w io.Writer, interval time.Duration) *batchWriter {
	b := &batchWriter{w: bufio.NewWriterSize(w, 64<<10), stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(b.done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				b.Flush()
			case <-b.stop:
				return
			}
		}
	}()
	return b
}

func (b *batchWriter) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.w.Write(p)
}

// Flush writes out what is buffered.
func (b *batchWriter) Flush() {
	b.mu.Lock()
	defer b.mu.Unlock()
	_ = b.w.Flush()
}

// Close stops the periodic flushes and flushes what is left.
func (b *batchWriter) Close() {
	close(b.stop)
	<-b.done
	b.Flush()
}

// batchingHandler writes the per-request lines (message "request") through a batchWriter, and
// flushes it after any other record, so warnings, errors and reload notices appear at once, in
// order after the requests before them.
type batchingHandler struct {
	slog.Handler
	w *batchWriter
}

func (h batchingHandler) Handle(ctx context.Context, r slog.Record) error {
	err := h.Handler.Handle(ctx, r)
	if r.Message != "request" {
		h.w.Flush()
	}
	return err
}

func (h batchingHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return batchingHandler{h.Handler.WithAttrs(attrs), h.w}
}

func (h batchingHandler) WithGroup(name string) slog.Handler {
	return batchingHandler{h.Handler.WithGroup(name), h.w}
}
