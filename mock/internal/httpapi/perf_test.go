//go:build perf

package httpapi_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/mock/internal/perftable"
)

// The HTTP and start-up half of `make bench` (the engine half is
// mock/internal/engine/perf_test.go). It prints rows of the one table the Makefile heads,
// | area | case | value | vs | ratio | target | met |, measured here and now: it reports, it does
// not fail on a slow machine.
//
// The mock is the built binary, run as partners run it (serve --api-key --users, its request
// log to /dev/null); the baseline is a plain net/http handler in this process that answers each
// request with the bytes the mock gave for it (same body, same content-type). wrk loads
// 127.0.0.1 only, alternating baseline and mock rounds; every run is bounded by wrk's -d.

const (
	perfKey        = "perf-key"
	perfUsers      = 1_000_000
	startupRuns    = 3
	wrkThreads     = 1
	wrkConnections = 16
	wrkRun         = 4 * time.Second
	wrkRounds      = 3
)

// buildMock builds cmd/partner-mock into a temporary directory.
func buildMock(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "partner-mock")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/cryptofi/partner-mock/cmd/partner-mock").CombinedOutput()
	require.NoError(t, err, "go build:\n%s", out)
	return bin
}

// mockProcess is a running serve.
type mockProcess struct {
	cmd  *exec.Cmd
	base string
	// ready is how long the process took from exec to its first /healthz answer.
	ready time.Duration
	out   []string // its stdout, up to the first /healthz answer
}

var countsLine = regexp.MustCompile(`\d+ users(, \d+ orders)?`)

// startMock runs the binary's serve for one tenant under perfKey with args (see launch).
func startMock(t *testing.T, bin string, args ...string) *mockProcess {
	t.Helper()
	return launch(t, bin, nil, append([]string{"--api-key", perfKey}, args...)...)
}

// launch runs the binary's serve with args on a free port, with env added to this process's
// environment, and returns once /healthz answers. Its log goes to /dev/null, as a load test's
// would go to a file.
func launch(t *testing.T, bin string, env []string, args ...string) *mockProcess {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close()
	devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	require.NoError(t, err)
	t.Cleanup(func() { devnull.Close() })
	cmd := exec.Command(bin, append([]string{"serve", "--addr", addr}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stderr = devnull
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	p := &mockProcess{cmd: cmd, base: "http://" + addr}
	var mu sync.Mutex
	start := time.Now()
	require.NoError(t, cmd.Start())
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			mu.Lock()
			p.out = append(p.out, sc.Text())
			mu.Unlock()
		}
	}()
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(5 * time.Minute)
	for {
		resp, err := client.Get(p.base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		require.True(t, time.Now().Before(deadline), "serve %v did not answer /healthz", args)
		time.Sleep(time.Millisecond)
	}
	p.ready = time.Since(start)
	time.Sleep(50 * time.Millisecond) // the profile's lines, when asked for
	mu.Lock()
	p.out = slices.Clone(p.out)
	mu.Unlock()
	t.Cleanup(p.stop)
	return p
}

func (p *mockProcess) stop() {
	if p.cmd.ProcessState == nil {
		_ = p.cmd.Process.Signal(syscall.SIGTERM)
		_ = p.cmd.Wait()
	}
}

// rssMB reads a process's resident set size.
func rssMB(t *testing.T, pid int) float64 { return procStatusMB(t, pid, "VmRSS") }

// procStatusMB reads a memory figure (VmRSS, VmHWM) of /proc/PID/status, in MiB.
func procStatusMB(t *testing.T, pid int, field string) float64 {
	t.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	require.NoError(t, err)
	m := regexp.MustCompile(field + `:\s+(\d+) kB`).FindSubmatch(data)
	require.NotNil(t, m, "%s in /proc/%d/status", field, pid)
	kib, _ := strconv.ParseFloat(string(m[1]), 64)
	return kib / 1024
}

func median[T int64 | float64 | time.Duration](v []T) T {
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond)) }

// TestPerfStartup times exec → first /healthz answer for a 1,000,000-user tenant, with orders at
// the default density and without orders, and reads the resident memory then and once the
// start-up's garbage is collected; then prints where the start-up went (serve
// --profile-startup).
func TestPerfStartup(t *testing.T) {
	bin := buildMock(t)
	users := strconv.Itoa(perfUsers)
	type startupCase struct {
		name      string
		args      []string
		readyGoal time.Duration
	}
	for _, c := range []startupCase{
		{"1,000,000 users, default orders", []string{"--users", users}, 1500 * time.Millisecond},
		{"1,000,000 users, --orders-per-user 0", []string{"--users", users, "--orders-per-user", "0"}, time.Second},
	} {
		var ready []time.Duration
		var rssReady, rssSettled []float64
		var counts string
		for range startupRuns {
			p := startMock(t, bin, c.args...)
			ready = append(ready, p.ready)
			rssReady = append(rssReady, rssMB(t, p.cmd.Process.Pid))
			time.Sleep(3 * time.Second)
			rssSettled = append(rssSettled, rssMB(t, p.cmd.Process.Pid))
			for _, l := range p.out {
				if m := countsLine.FindString(l); m != "" {
					counts = m
				}
			}
			p.stop()
		}
		r := median(ready)
		perftable.Row("start-up", fmt.Sprintf("exec → first /healthz: %s (%s; median of %d)", c.name, counts, startupRuns), ms(r),
			fmt.Sprintf("runs %s", joinDurations(ready)), "", "≤ "+ms(c.readyGoal), r <= c.readyGoal)
		rr, rs := median(rssReady), median(rssSettled)
		// Judged once start-up's scratch space is returned (serve does so in the background as it
		// starts serving); the figure at the first /healthz answer is shown next to it.
		perftable.Row("start-up", fmt.Sprintf("resident memory after start: %s (3 s after the first /healthz; median of %d)", c.name, startupRuns),
			fmt.Sprintf("%.0f MB", rs), fmt.Sprintf("%.0f MB at the first /healthz", rr), "", "≤ 800 MB", rs <= 800)
	}
	// Where the start-up of the first case goes, phase by phase.
	p := startMock(t, bin, "--users", users, "--profile-startup")
	in := false
	for _, l := range p.out {
		if strings.HasPrefix(l, "start-up profile") {
			in = true
			continue
		}
		fields := regexp.MustCompile(`^\s+(.*?)\s{2,}([0-9.]+ ms)\s+([0-9.]+ ms)\s+([0-9.]+ ms)$`).FindStringSubmatch(l)
		if !in || fields == nil {
			continue
		}
		perftable.Row("start-up phases", "1,000,000 users, default orders: "+strings.TrimSpace(fields[1]), fields[3]+" wall",
			fields[4]+" cpu", "starts at "+fields[2], "", true)
	}
	perftable.Row("start-up phases", "1,000,000 users, default orders: exec → first /healthz (this run)", ms(p.ready), "", "", "", true)
}

func joinDurations(d []time.Duration) string {
	var s []string
	for _, x := range d {
		s = append(s, ms(x))
	}
	return strings.Join(s, ", ")
}

// perfFetch gets path from base with the perf key and returns the body.
func perfFetch(t *testing.T, base, path string) []byte {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, base+path, nil)
	require.NoError(t, err)
	req.Header.Set("x-api-key", perfKey)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s: %s", path, body)
	return body
}

// plainServer serves each captured request URI's bytes with net/http alone.
func plainServer(t *testing.T, bodies map[string][]byte) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, ok := bodies[r.RequestURI]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("content-type", "application/json")
		w.Header().Set("content-length", strconv.Itoa(len(b)))
		w.Write(b)
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Shutdown(context.Background()) })
	return "http://" + ln.Addr().String()
}

// TestPerfHTTP compares the mock with plain net/http serving the same bytes, for the default
// pages, a detail mix and a mixed filtered workload over a 1,000,000-user tenant with orders;
// then the default pages on a live clock with the same pages on a frozen one.
func TestPerfHTTP(t *testing.T) {
	wrk, err := exec.LookPath("wrk")
	require.NoError(t, err, "make bench needs wrk: bash scripts/install-tools.sh wrk")
	bin := buildMock(t)
	users := strconv.Itoa(perfUsers)
	mock := startMock(t, bin, "--users", users)
	live := startMock(t, bin, "--users", users, "--clock", "live")

	workloads := []struct {
		name   string
		paths  []string
		target float64
	}{
		{"default users page (GET /v1/users/)", []string{"/v1/users/"}, 0.80},
		{"default orders page (GET /v1/orders/)", []string{"/v1/orders/"}, 0.80},
		{"detail mix (200 users, 200 orders)", detailPaths(t, mock.base, 200), 0},
		{"mixed filtered workload (400 list queries, users and orders)", mixedPaths(t, mock.base, 400), 0.75},
	}
	bodies := map[string][]byte{}
	for _, w := range workloads {
		for _, p := range w.paths {
			bodies[p] = perfFetch(t, mock.base, p)
		}
	}
	plain := plainServer(t, bodies)
	dir := t.TempDir()
	for _, w := range workloads {
		var mockRuns, plainRuns []wrkResult
		for range wrkRounds {
			plainRuns = append(plainRuns, runWrk(t, wrk, dir, plain, w.paths))
			mockRuns = append(mockRuns, runWrk(t, wrk, dir, mock.base, w.paths))
		}
		m, p := medianRun(mockRuns), medianRun(plainRuns)
		target, met := "", true
		if w.target > 0 {
			target, met = fmt.Sprintf("≥ %.2f", w.target), m.rps/p.rps >= w.target
		}
		perftable.Row("http", w.name+": requests/s", fmt.Sprintf("%.0f req/s", m.rps), fmt.Sprintf("%.0f req/s plain net/http, same bytes", p.rps),
			fmt.Sprintf("%.2f", m.rps/p.rps), target, met)
		perftable.Row("http", w.name+": p99 latency", fmt.Sprintf("%.2f ms", m.p99), fmt.Sprintf("%.2f ms plain net/http", p.p99),
			fmt.Sprintf("%.2f", p.p99/m.p99), "", true)
	}
	for _, path := range []string{"/v1/users/", "/v1/orders/"} {
		var liveRuns, frozenRuns []wrkResult
		for range wrkRounds {
			frozenRuns = append(frozenRuns, runWrk(t, wrk, dir, mock.base, []string{path}))
			liveRuns = append(liveRuns, runWrk(t, wrk, dir, live.base, []string{path}))
		}
		l, f := medianRun(liveRuns), medianRun(frozenRuns)
		perftable.Row("http live clock", fmt.Sprintf("GET %s, --clock live: requests/s", path), fmt.Sprintf("%.0f req/s", l.rps),
			fmt.Sprintf("%.0f req/s frozen", f.rps), fmt.Sprintf("%.2f", l.rps/f.rps), "≥ 0.70", l.rps/f.rps >= 0.70)
	}
}

// detailPaths returns n users' and n orders' detail paths, ids taken from list pages spread
// over the population.
func detailPaths(t *testing.T, base string, n int) []string {
	var out []string
	for _, res := range []struct{ list, key, detail string }{
		{"/v1/users/", "user_account_id", "/v1/users/"},
		{"/v1/orders/", "order_id", "/v1/orders/"},
	} {
		total := listTotal(t, base, res.list+"?per_page=1")
		for i := range n {
			body := perfFetch(t, base, fmt.Sprintf("%s?per_page=1&last_record_number=%d", res.list, i*total/n))
			var page struct {
				Items []map[string]any `json:"items"`
			}
			require.NoError(t, json.Unmarshal(body, &page))
			require.Len(t, page.Items, 1)
			out = append(out, res.detail+url.PathEscape(page.Items[0][res.key].(string))+"/")
		}
	}
	return out
}

func listTotal(t *testing.T, base, path string) int {
	var page struct {
		Total int `json:"total_records"`
	}
	require.NoError(t, json.Unmarshal(perfFetch(t, base, path), &page))
	return page.Total
}

// mixedPaths draws n list queries, half users and half orders: random filters, sort orders
// (and keys for users), page sizes and depths from the first page to the last.
func mixedPaths(t *testing.T, base string, n int) []string {
	r := rand.New(rand.NewPCG(11, 0))
	products := []string{"crypto", "securities", "roth_ira", "robo"}
	kyc := []string{"not_started", "pending", "approved", "rejected"}
	date := func() string {
		return time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(1730)).Format("2006-01-02")
	}
	var out []string
	for i := range n {
		q := url.Values{}
		list := "/v1/users/"
		if i%2 == 0 {
			if r.IntN(3) == 0 {
				q.Set("product", products[r.IntN(4)])
			}
			for _, p := range products {
				if r.IntN(5) == 0 {
					q.Set(p+"_kyc_status", kyc[r.IntN(4)])
				}
			}
			if r.IntN(3) == 0 {
				q.Set("created_at_start", date())
			}
			if r.IntN(4) == 0 {
				q.Set("created_at_end", date())
			}
			q.Set("sort_key", []string{"created_at", "user_account_id"}[r.IntN(2)])
		} else {
			list = "/v1/orders/"
			if r.IntN(3) == 0 {
				q.Set("product", products[r.IntN(4)])
			}
			if r.IntN(3) == 0 {
				q.Set("side", []string{"buy", "sell"}[r.IntN(2)])
			}
			if r.IntN(3) == 0 {
				q.Set("status", []string{"pending", "completed", "cancelled", "failed"}[r.IntN(4)])
			}
			if r.IntN(3) == 0 {
				q.Set("placed_at_start", date())
			}
			if r.IntN(4) == 0 {
				q.Set("placed_at_end", date())
			}
		}
		q.Set("sort_order", []string{"asc", "desc"}[r.IntN(2)])
		per := []int{10, 25, 50, 100}[r.IntN(4)]
		q.Set("per_page", strconv.Itoa(per))
		total := listTotal(t, base, list+"?"+q.Encode())
		q.Set("last_record_number", strconv.Itoa([]int{0, 0, total / 2, max(total-per, 0)}[r.IntN(4)]))
		out = append(out, list+"?"+q.Encode())
	}
	return out
}

type wrkResult struct {
	rps float64
	p99 float64 // milliseconds
}

func medianRun(runs []wrkResult) wrkResult {
	var rps, p99 []float64
	for _, r := range runs {
		rps, p99 = append(rps, r.rps), append(p99, r.p99)
	}
	return wrkResult{rps: median(rps), p99: median(p99)}
}

var (
	wrkRPS = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	wrkP99 = regexp.MustCompile(`\n\s+99%\s+([0-9.]+)(us|ms|s)`)
)

// runWrk loads base with paths for wrkRun and returns wrk's figures. Any non-2xx answer or
// socket error fails the run: a fast error is not a result.
func runWrk(t *testing.T, wrk, dir, base string, paths []string) wrkResult {
	t.Helper()
	return runWrkFor(t, wrk, dir, base, perfKey, wrkRun, paths)
}

// runWrkFor is runWrk with another API key and run length.
func runWrkFor(t *testing.T, wrk, dir, base, key string, run time.Duration, paths []string) wrkResult {
	t.Helper()
	list := filepath.Join(dir, "paths.txt")
	require.NoError(t, os.WriteFile(list, []byte(strings.Join(paths, "\n")+"\n"), 0o644))
	script, err := filepath.Abs("testdata/perf/paths.lua")
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), run+30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, wrk, "-t", strconv.Itoa(wrkThreads), "-c", strconv.Itoa(wrkConnections),
		"-d", fmt.Sprintf("%ds", int(run.Seconds())), "--timeout", "5s", "--latency", "-s", script, base)
	cmd.Env = append(os.Environ(), "WRK_PATHS="+list, "WRK_KEY="+key)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	text := string(out)
	require.NotContains(t, text, "Non-2xx", text)
	require.NotContains(t, text, "Socket errors", text)
	m := wrkRPS.FindStringSubmatch(text)
	require.NotNil(t, m, text)
	rps, err := strconv.ParseFloat(m[1], 64)
	require.NoError(t, err)
	l := wrkP99.FindStringSubmatch(text)
	require.NotNil(t, l, text)
	p99, _ := strconv.ParseFloat(l[1], 64)
	switch l[2] {
	case "us":
		p99 /= 1000
	case "s":
		p99 *= 1000
	}
	return wrkResult{rps: rps, p99: p99}
}
