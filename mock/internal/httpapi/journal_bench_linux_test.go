package httpapi_test

import (
	"net/http"
	"net/http/httptest"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/mock/app"
	"github.com/cryptofi/partner-mock/mock/internal/journal"
)

// rusageThread is Linux's RUSAGE_THREAD: the calling thread's own CPU time.
const rusageThread = 1

// threadCPU returns the CPU time the calling thread has used.
func threadCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	require.NoError(b, syscall.Getrusage(rusageThread, &ru))
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkJournalOverhead measures what the journal adds to a request: it serves the list page
// from two otherwise identical handlers, without and with a journal, alternating in blocks, and
// reports each one's cost per request and the difference. Costs are the serving thread's CPU
// time, which a loaded machine (a busy CI runner) does not inflate the way it inflates wall
// time; the wall times are reported too.
func BenchmarkJournalOverhead(b *testing.B) {
	plain, err := app.New(app.Config{})
	require.NoError(b, err)
	journaled, err := app.New(app.Config{Journal: journal.New(func() time.Time { return mockNow }, journal.Config{})})
	require.NoError(b, err)
	req := httptest.NewRequest("GET", "/v1/users/?per_page=25&sort_order=asc", nil)
	req.Header.Set("x-api-key", "demo-key")
	w := &discardWriter{h: http.Header{}}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	const block = 256
	var cpu, wall [2]time.Duration
	for b.Loop() {
		for i, h := range []http.Handler{plain.Handler, journaled.Handler} {
			start, startCPU := time.Now(), threadCPU(b)
			for range block {
				clear(w.h)
				h.ServeHTTP(w, req)
			}
			cpu[i] += threadCPU(b) - startCPU
			wall[i] += time.Since(start)
		}
	}
	n := float64(b.N * block)
	b.ReportMetric(float64(cpu[0])/n, "cpu-ns/req-plain")
	b.ReportMetric(float64(cpu[1])/n, "cpu-ns/req-journal")
	b.ReportMetric(float64(cpu[1]-cpu[0])/n, "cpu-ns/req-overhead")
	b.ReportMetric(float64(wall[0])/n, "wall-ns/req-plain")
	b.ReportMetric(float64(wall[1])/n, "wall-ns/req-journal")
	b.ReportMetric(0, "ns/op")
}
