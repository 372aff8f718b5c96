//go:build perf

package httpapi

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/mock/internal/domain"
	"github.com/cryptofi/partner-mock/mock/internal/gen"
	"github.com/cryptofi/partner-mock/mock/internal/params"
	"github.com/cryptofi/partner-mock/mock/internal/tenant"
	"github.com/cryptofi/partner-mock/spec"
)

// The perf harness behind `make bench`: it prints rows of the one table the Makefile heads,
// | area | case | value | vs | ratio | target | met |. It measures and reports; it does not fail
// on a slow machine. Every load targets 127.0.0.1 and is bounded by wrk's -d and, for the soak,
// by a request count.

// perfKey is the API key of the harness's tenants.
const perfKey = "perf-key"

// Load settings: wrk's threads and connections, the length and number of each comparison run,
// and the soak's request count and time cap.
const (
	wrkThreads     = 1
	wrkConnections = 16
	wrkRun         = 4 * time.Second
	wrkRounds      = 3
	soakRequests   = 1_000_000
	soakCap        = 150 * time.Second
)

func perfRow(area, name, value, vs, ratio, target string, met bool) {
	mark := "yes"
	if !met {
		mark = "NO"
	}
	fmt.Printf("| %s | %s | %s | %s | %s | %s | %s |\n", area, name, value, vs, ratio, target, mark)
}

func perfTenantConfig(t *testing.T, users int) *tenant.Config {
	t.Helper()
	cfg, err := tenant.ParseConfig("perf", []byte(fmt.Sprintf(`tenants:
  - name: perf
    fi_name: Perf Credit Union
    api_keys: [%s]
    seed: 1
    users: %d
    as_of: "2025-10-01T00:00:00Z"
    id_format: "member-{n:07d}"
`, perfKey, users)))
	require.NoError(t, err)
	return cfg
}

func perfHandler(t *testing.T, s *spec.Spec, users int) (*Handler, *tenant.Tenant) {
	t.Helper()
	ts, err := tenant.Build(s, perfTenantConfig(t, users), nil)
	require.NoError(t, err)
	parser, err := params.New(s)
	require.NoError(t, err)
	h, err := New(s, parser, tenant.NewRegistry(ts), Config{})
	require.NoError(t, err)
	return h, ts[0]
}

func heapMB() float64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return float64(ms.HeapAlloc) / (1 << 20)
}

func median(d []time.Duration) time.Duration {
	slices.Sort(d)
	return d[len(d)/2]
}

// TestPerfGeneration times a million-user tenant: the generator alone, then the whole build
// (generate, index, everything a tenant needs before serving), and the heap once it serves.
func TestPerfGeneration(t *testing.T) {
	s, err := spec.LoadEmbedded()
	require.NoError(t, err)
	const n = 1_000_000
	var genRuns, buildRuns, buildCPU []time.Duration
	for range 3 {
		runtime.GC()
		start := time.Now()
		users, err := gen.Generate(gen.Params{Seed: 1, Users: n, AsOf: time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC),
			IDFormat: "member-{n:07d}", Products: toDomainProducts(s.Products), Statuses: toDomainStatuses(s.KycStatuses)})
		genRuns = append(genRuns, time.Since(start))
		require.Len(t, users, n)
		users = nil
		runtime.GC()
		start, cpu := time.Now(), cpuTime()
		_, err = tenant.Build(s, perfTenantConfig(t, n), nil)
		buildRuns = append(buildRuns, time.Since(start))
		buildCPU = append(buildCPU, cpuTime()-cpu)
		require.NoError(t, err)
	}
	g, b := median(genRuns), median(buildRuns)
	perfRow("generation", "generate 1,000,000 users (gen.Generate)", fmt.Sprintf("%.2f s", g.Seconds()), "", "", "", true)
	perfRow("generation", "build a 1,000,000-user tenant (generate + index)", fmt.Sprintf("%.2f s", b.Seconds()),
		"generate", fmt.Sprintf("%.2f", b.Seconds()/g.Seconds()), "≤ 1 s", b <= time.Second)
	// CPU time is what the build costs whatever else the machine runs: on a busy machine the
	// wall time above is inflated, this is not.
	perfRow("generation", "CPU time of that build, all cores", fmt.Sprintf("%.2f s", median(buildCPU).Seconds()),
		"", "", "", true)

	runtime.GC()
	before := heapMB()
	h, tn := perfHandler(t, s, n)
	after := heapMB()
	perfRow("generation", "heap after start, 1,000,000-user tenant", fmt.Sprintf("%.0f MB", after), "before build",
		fmt.Sprintf("+%.0f MB", after-before), "≤ 300 MB", after <= 300)
	runtime.KeepAlive(h)
	runtime.KeepAlive(tn)
}

// TestPerfHTTP compares the mock with a trivial handler that writes the same bytes, on the same
// Gin engine (so the same middleware) and server, under the same wrk, in alternating rounds.
func TestPerfHTTP(t *testing.T) {
	wrk, err := exec.LookPath("wrk")
	require.NoError(t, err, "make bench installs wrk (apt-get install -y wrk)")
	s, err := spec.LoadEmbedded()
	require.NoError(t, err)
	h, tn := perfHandler(t, s, 100_000)

	defaultPaths := []string{"/v1/users/"}
	mixed := mixedPaths(tn, 400)
	// The baseline answers each query string with the bytes the mock gave it, captured now.
	bodies := map[string][]byte{}
	for _, p := range append(slices.Clone(defaultPaths), mixed...) {
		req := httptest.NewRequest(http.MethodGet, p, nil)
		req.Header.Set("x-api-key", perfKey)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		require.Equal(t, http.StatusOK, rec.Code, "%s: %s", p, rec.Body)
		u, err := url.Parse(p)
		require.NoError(t, err)
		bodies[u.RawQuery] = rec.Body.Bytes()
	}
	h.engine.GET("/perf/baseline", func(c *gin.Context) {
		writeJSON(c, http.StatusOK, bodies[c.Request.URL.RawQuery])
	})
	baseline := func(paths []string) []string {
		out := make([]string, len(paths))
		for i, p := range paths {
			_, q, _ := strings.Cut(p, "?")
			out[i] = "/perf/baseline?" + q
		}
		return out
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Shutdown(context.Background()) })
	base := "http://" + ln.Addr().String()
	dir := t.TempDir()

	for _, w := range []struct {
		name   string
		paths  []string
		target float64
	}{
		{"default page (GET /v1/users/)", defaultPaths, 0.80},
		{fmt.Sprintf("mixed filtered workload (%d queries)", len(mixed)), mixed, 0.60},
	} {
		var mockRPS, baseRPS []float64
		for range wrkRounds {
			baseRPS = append(baseRPS, runWrk(t, wrk, dir, base, baseline(w.paths), 0, wrkRun).rps)
			mockRPS = append(mockRPS, runWrk(t, wrk, dir, base, w.paths, 0, wrkRun).rps)
		}
		slices.Sort(mockRPS)
		slices.Sort(baseRPS)
		m, b := mockRPS[len(mockRPS)/2], baseRPS[len(baseRPS)/2]
		perfRow("http 100k", w.name, fmt.Sprintf("%.0f req/s", m), fmt.Sprintf("%.0f req/s same bytes", b),
			fmt.Sprintf("%.2f", m/b), fmt.Sprintf("≥ %.2f", w.target), m/b >= w.target)
	}

	// The soak: a million requests of the mixed workload, plus detail lookups; the heap after
	// must be where it was before.
	soak := slices.Clone(mixed)
	for _, u := range tn.Index.Users("created_at")[:100] {
		soak = append(soak, "/v1/users/"+url.PathEscape(u.ID)+"/")
	}
	before := heapMB()
	res := runWrk(t, wrk, dir, base, soak, soakRequests, soakCap)
	after := heapMB()
	perfRow("http 100k", fmt.Sprintf("heap across %d requests (mixed + detail)", res.requests),
		fmt.Sprintf("%.1f MB → %.1f MB", before, after), "before", fmt.Sprintf("%+.1f MB", after-before),
		"flat (≤ +10 MB)", after-before <= 10 && res.requests >= soakRequests)
}

// mixedPaths draws n list queries over tn: random filters, both sort keys and orders, page sizes
// and depths from the first page to past the end.
func mixedPaths(tn *tenant.Tenant, n int) []string {
	r := rand.New(rand.NewPCG(11, 0))
	users := tn.Index.Users("created_at")
	products := []string{"crypto", "securities", "roth_ira", "robo"}
	statuses := []string{"not_started", "pending", "approved", "rejected"}
	out := make([]string, n)
	for i := range out {
		q := url.Values{}
		if r.IntN(3) == 0 {
			q.Set("product", products[r.IntN(4)])
		}
		for _, p := range products {
			if r.IntN(5) == 0 {
				q.Set(p+"_kyc_status", statuses[r.IntN(4)])
			}
		}
		if r.IntN(3) == 0 {
			q.Set("created_at_start", users[r.IntN(len(users))].CreatedTime().Format(time.RFC3339))
		}
		if r.IntN(3) == 0 {
			q.Set("created_at_end", users[r.IntN(len(users))].CreatedTime().Format(time.RFC3339))
		}
		q.Set("sort_key", []string{"created_at", "user_account_id"}[r.IntN(2)])
		q.Set("sort_order", []string{"asc", "desc"}[r.IntN(2)])
		q.Set("per_page", strconv.Itoa([]int{10, 25, 50, 100}[r.IntN(4)]))
		q.Set("last_record_number", strconv.Itoa([]int{0, 0, r.IntN(1000), r.IntN(len(users))}[r.IntN(4)]))
		out[i] = "/v1/users/?" + q.Encode()
	}
	return out
}

type wrkResult struct {
	rps      float64
	requests int
}

var (
	wrkRPS      = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	wrkRequests = regexp.MustCompile(`([0-9]+) requests in`)
)

// runWrk loads base with paths for at most d (and at most limit responses when limit > 0) and
// returns wrk's figures. Any non-2xx answer or socket error fails the run: a fast error is not
// a result.
func runWrk(t *testing.T, wrk, dir, base string, paths []string, limit int, d time.Duration) wrkResult {
	t.Helper()
	list := filepath.Join(dir, "paths.txt")
	require.NoError(t, os.WriteFile(list, []byte(strings.Join(paths, "\n")+"\n"), 0o644))
	script, err := filepath.Abs("testdata/perf/paths.lua")
	require.NoError(t, err)
	threads := wrkThreads
	if limit > 0 {
		threads = 2
	}
	ctx, cancel := context.WithTimeout(context.Background(), d+30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, wrk, "-t", strconv.Itoa(threads), "-c", strconv.Itoa(wrkConnections),
		"-d", fmt.Sprintf("%ds", int(d.Seconds())), "--timeout", "5s", "-s", script, base)
	cmd.Env = append(os.Environ(), "WRK_PATHS="+list, "WRK_KEY="+perfKey, "WRK_LIMIT="+strconv.Itoa((limit+threads-1)/threads))
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	text := string(out)
	require.NotContains(t, text, "Non-2xx", text)
	require.NotContains(t, text, "Socket errors", text)
	m := wrkRPS.FindStringSubmatch(text)
	require.NotNil(t, m, text)
	rps, err := strconv.ParseFloat(m[1], 64)
	require.NoError(t, err)
	n := wrkRequests.FindStringSubmatch(text)
	require.NotNil(t, n, text)
	reqs, _ := strconv.Atoi(n[1])
	return wrkResult{rps: rps, requests: reqs}
}

func toDomainProducts(v []string) []domain.Product {
	out := make([]domain.Product, len(v))
	for i, s := range v {
		out[i] = domain.Product(s)
	}
	return out
}

func toDomainStatuses(v []string) []domain.KycStatus {
	out := make([]domain.KycStatus, len(v))
	for i, s := range v {
		out[i] = domain.KycStatus(s)
	}
	return out
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
