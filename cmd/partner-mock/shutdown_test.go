package main

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// outcome is what a client saw for one request.
type outcome struct {
	status int
	err    error
}

// TestShutdownUnderLoadAnswersEveryAcceptedRequest runs the built binary, keeps it busy with
// a stream of requests and a batch of deliberately slow ones, sends SIGTERM (or SIGINT), and checks: the
// process exits 0 within the grace period; every slow request in flight is answered; every
// request the server logged was answered in full; requests it never took failed at connect.
func TestShutdownUnderLoadAnswersEveryAcceptedRequest(t *testing.T) {
	bin := buildBinary(t)
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) { shutdownUnderLoad(t, bin, sig) })
	}
}

func shutdownUnderLoad(t *testing.T, bin string, sig syscall.Signal) {
	p := startMockProcess(t, bin, "serve", "--addr", "127.0.0.1:0")
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 10 * time.Second}
	do := func(path string, headers ...string) outcome {
		req, err := http.NewRequest("GET", p.base+path, nil)
		if err != nil {
			return outcome{err: err}
		}
		req.Header.Set("x-api-key", "demo-key")
		for i := 0; i+1 < len(headers); i += 2 {
			req.Header.Set(headers[i], headers[i+1])
		}
		resp, err := client.Do(req)
		if err != nil {
			return outcome{err: err}
		}
		defer resp.Body.Close()
		if _, err := io.ReadAll(resp.Body); err != nil {
			return outcome{status: resp.StatusCode, err: err}
		}
		return outcome{status: resp.StatusCode}
	}

	// Slow requests, in flight when the signal comes: their delay outlasts the grace period, so
	// they are only answered in time because shutdown cuts deliberate delays short.
	const slowN = 20
	slow := make([]outcome, slowN)
	var slowWG sync.WaitGroup
	for i := range slowN {
		slowWG.Add(1)
		go func() {
			defer slowWG.Done()
			slow[i] = do("/v1/users/?per_page=5", "Prefer", "delay=10000")
		}()
	}

	// A stream of requests, each with its own path so the server's log names it.
	var mu sync.Mutex
	stream := map[string]outcome{}
	stopStream := make(chan struct{})
	var streamWG sync.WaitGroup
	for w := range 8 {
		streamWG.Add(1)
		go func() {
			defer streamWG.Done()
			for n := 0; ; n++ {
				select {
				case <-stopStream:
					return
				default:
				}
				id := fmt.Sprintf("w%d-%d", w, n)
				o := do("/v1/users/" + id + "/")
				mu.Lock()
				stream[id] = o
				mu.Unlock()
			}
		}()
	}

	time.Sleep(500 * time.Millisecond)
	signalled := time.Now()
	require.NoError(t, p.cmd.Process.Signal(sig))
	code := p.wait(shutdownGrace + 5*time.Second)
	exitTook := time.Since(signalled)
	time.Sleep(200 * time.Millisecond) // let the stream notice the closed port
	close(stopStream)
	streamWG.Wait()
	slowWG.Wait()

	assert.Equal(t, 0, code, "exit status; stderr:\n%s", p.stderr.String())
	assert.Less(t, exitTook, shutdownGrace, "in-flight requests finish within the grace period")
	for i, o := range slow {
		assert.NoError(t, o.err, "slow request %d", i)
		assert.Equal(t, 200, o.status, "slow request %d is answered, its delay cut short", i)
	}

	logged := map[string]bool{}
	for _, m := range regexp.MustCompile(`path=/v1/users/(w\d+-\d+)/ status=404`).FindAllStringSubmatch(p.stderr.String(), -1) {
		logged[m[1]] = true
	}
	require.NotEmpty(t, logged, "the stream reached the server")
	answered, refused := 0, 0
	for id, o := range stream {
		switch {
		case o.err == nil:
			assert.Equal(t, 404, o.status, id)
			answered++
		case logged[id]:
			t.Errorf("request %s was taken by the server but not answered: %v", id, o.err)
		case o.status != 0:
			t.Errorf("request %s got a status line and then lost its body: %v", id, o.err)
		default:
			// Never taken: refused at connect once the port is closed, or reset by the
			// kernel while still queued on the closing listener (the reset is reported to
			// the client's write; its read then sees EOF).
			assert.True(t, errors.Is(o.err, syscall.ECONNREFUSED) || errors.Is(o.err, syscall.ECONNRESET) || errors.Is(o.err, io.EOF),
				"a request the server never took fails at the connection: %s: %v", id, o.err)
			refused++
		}
	}
	for id := range logged {
		assert.Contains(t, stream, id, "logged requests are the client's")
	}
	t.Logf("%s under load: exit %d after %v; %d stream requests answered (%d logged), %d never taken (refused or reset at the closing port); %d slow requests answered",
		sig, code, exitTook.Round(time.Millisecond), answered, len(logged), refused, slowN)
	assert.Positive(t, refused, "the stream ran past the shutdown")
}
