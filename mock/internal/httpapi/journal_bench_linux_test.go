package httpapi_test

import (
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/mock/app"
	"github.com/cryptofi/partner-mock/mock/internal/journal"
)

// clockThreadCPUTime is Linux's CLOCK_THREAD_CPUTIME_ID: the calling thread's CPU time, to the
// nanosecond (getrusage counts in scheduler ticks).
const clockThreadCPUTime = 3

// threadCPU returns the CPU time the calling thread has used.
func threadCPU(b *testing.B) time.Duration {
	var ts syscall.Timespec
	if _, _, errno := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTime, uintptr(unsafe.Pointer(&ts)), 0); errno != 0 {
		b.Fatalf("clock_gettime: %v", errno)
	}
	return time.Duration(ts.Nano())
}

// BenchmarkJournalOverhead measures what the journal adds to a request: it serves the list page
// from two otherwise identical handlers, without and with a journal, alternating in blocks, and
// reports each one's cost per request and the difference. Costs are the serving thread's CPU
// time, the median over blocks, which a loaded machine (a busy CI runner) inflates far less
// than wall time; the mean wall times are reported too.
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
	var cpu [2][]time.Duration
	var wall [2]time.Duration
	for b.Loop() {
		for i, h := range []http.Handler{plain.Handler, journaled.Handler} {
			start, startCPU := time.Now(), threadCPU(b)
			for range block {
				clear(w.h)
				h.ServeHTTP(w, req)
			}
			cpu[i] = append(cpu[i], threadCPU(b)-startCPU)
			wall[i] += time.Since(start)
		}
	}
	median := func(ds []time.Duration) float64 {
		slices.Sort(ds)
		return float64(ds[len(ds)/2]) / block
	}
	plainCPU, journalCPU := median(cpu[0]), median(cpu[1])
	n := float64(b.N * block)
	b.ReportMetric(plainCPU, "cpu-ns/req-plain")
	b.ReportMetric(journalCPU, "cpu-ns/req-journal")
	b.ReportMetric(journalCPU-plainCPU, "cpu-ns/req-overhead")
	b.ReportMetric(float64(wall[0])/n, "wall-ns/req-plain")
	b.ReportMetric(float64(wall[1])/n, "wall-ns/req-journal")
	b.ReportMetric(0, "ns/op")
}
