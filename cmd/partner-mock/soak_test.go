//go:build soak

package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The soak's settings. SOAK_DURATION overrides the length of TestSoak (a Go duration), for a
// quick try; SOAK_LEAK_DURATION that of TestSoakCatchesALeak.
const (
	soakUsers   = 100_000
	soakKey     = "soak-key"
	soakWorkers = 16
	soakSeed    = 2026
	// soakSample is how often the server's resident memory is read.
	soakSample = time.Second
)

// The memory gate: over the second half of the load, when the heap has settled, resident
// memory may grow by at most maxPlateauGrowthPct percent of its level then, or maxPlateauGrowthMiB
// if that is more. The first half is left out: a fresh server's heap grows to its working size
// there (the garbage collector's goal follows the live heap), which is settling, not leaking.
const (
	maxPlateauGrowthPct = 3.0
	maxPlateauGrowthMiB = 4.0
)

// TestSoak is `make soak`: it runs the built binary with a 100,000-user tenant, sends it 60 s of
// mixed valid, invalid and Prefer traffic from 16 concurrent clients on loopback, prints the
// server's resident memory second by second, and fails on any unexpected outcome or when
// memory keeps growing once settled (memoryGate). It stops by itself.
func TestSoak(t *testing.T) {
	bin := buildBinary(t)
	res := runSoak(t, bin, soakDuration(t, "SOAK_DURATION", 60*time.Second))
	assert.Zero(t, res.unexpected, "unexpected outcomes")
	ok, verdict := memoryGate(res.rss, res.duration)
	fmt.Printf("soak: memory gate: %s\n", verdict)
	assert.True(t, ok, "resident memory keeps growing after it settled: %s", verdict)
}

// TestSoakCatchesALeak checks the gate itself: the same soak against a binary built with a
// planted leak (-tags soakleak, leak_on.go: every request keeps 4 KiB) must fail it.
func TestSoakCatchesALeak(t *testing.T) {
	bin := buildBinary(t, "-tags", "soakleak")
	res := runSoak(t, bin, soakDuration(t, "SOAK_LEAK_DURATION", 30*time.Second))
	ok, verdict := memoryGate(res.rss, res.duration)
	fmt.Printf("soak (planted leak): memory gate: %s\n", verdict)
	assert.False(t, ok, "the memory gate passed a binary that leaks on every request: %s", verdict)
}

func soakDuration(t *testing.T, env string, def time.Duration) time.Duration {
	if s := os.Getenv(env); s != "" {
		d, err := time.ParseDuration(s)
		require.NoError(t, err, env)
		return d
	}
	return def
}

// rssSample is the server's resident memory at one moment of the load.
type rssSample struct {
	at  time.Duration // since the load started
	kib int64
}

// soakResult is what one soak observed.
type soakResult struct {
	duration   time.Duration
	served     int64
	unexpected int64
	rss        []rssSample
}

// memoryGate judges a soak's memory curve: it fits a line (least squares) to the samples of the
// second half of the load and fails when the growth it shows over that half exceeds
// maxPlateauGrowthPct percent of the half's mean, or maxPlateauGrowthMiB if that is more.
func memoryGate(samples []rssSample, d time.Duration) (ok bool, verdict string) {
	var xs, ys []float64
	for _, s := range samples {
		if s.at >= d/2 && s.at <= d {
			xs, ys = append(xs, s.at.Seconds()), append(ys, float64(s.kib)/1024)
		}
	}
	if len(xs) < 3 {
		return false, fmt.Sprintf("%d samples in the second half: too few to judge", len(xs))
	}
	var mx, my float64
	for i := range xs {
		mx, my = mx+xs[i], my+ys[i]
	}
	mx, my = mx/float64(len(xs)), my/float64(len(xs))
	var sxy, sxx float64
	for i := range xs {
		sxy += (xs[i] - mx) * (ys[i] - my)
		sxx += (xs[i] - mx) * (xs[i] - mx)
	}
	slope := sxy / sxx // MiB per second
	growth := slope * (xs[len(xs)-1] - xs[0])
	limit := max(my*maxPlateauGrowthPct/100, maxPlateauGrowthMiB)
	verdict = fmt.Sprintf("second half (%v to %v): %.1f MiB on average, trend %+.2f MiB/min, %+.1f MiB over the half; limit %.1f MiB (%.0f%% or %.0f MiB)",
		(d / 2).Round(time.Second), d.Round(time.Second), my, slope*60, growth, limit, maxPlateauGrowthPct, maxPlateauGrowthMiB)
	return growth <= limit, verdict
}

// runSoak starts bin with a soakUsers tenant and loads it for d, reading its resident memory
// every soakSample, and prints what it saw: requests, outcomes, the memory curve.
func runSoak(t *testing.T, bin string, d time.Duration) soakResult {
	started := time.Now()
	p := startMockProcess(t, bin, "serve", "--addr", "127.0.0.1:0", "--api-key", soakKey,
		"--users", strconv.Itoa(soakUsers), "--seed", "7")
	pid := p.cmd.Process.Pid
	rssReady := rssKiB(t, pid)
	fmt.Printf("soak: %s, %d users ready in %v, RSS %s\n", filepath.Base(bin), soakUsers, time.Since(started).Round(time.Millisecond), mib(rssReady))

	ids := sampleIDs(t, p.base, 400)
	require.Len(t, ids, 400)

	var (
		total      atomic.Int64
		unexpected atomic.Int64
		mu         sync.Mutex
		examples   []string
		kinds      = map[string]*atomic.Int64{}
	)
	for _, k := range soakKinds {
		kinds[k.name] = &atomic.Int64{}
	}
	record := func(kind, problem string) {
		total.Add(1)
		kinds[kind].Add(1)
		if problem == "" {
			return
		}
		unexpected.Add(1)
		mu.Lock()
		if len(examples) < 10 {
			examples = append(examples, kind+": "+problem)
		}
		mu.Unlock()
	}

	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range soakWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(soakSeed, uint64(w)))
			client := &http.Client{
				Transport: &http.Transport{MaxIdleConnsPerHost: 1},
				Timeout:   30 * time.Second,
				// 307s are an expected answer, not something to follow.
				CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
			}
			for {
				select {
				case <-stop:
					return
				default:
				}
				k := pickKind(rng)
				req := k.build(rng, p.base, ids)
				record(k.name, k.check(client.Do(req)))
			}
		}()
	}

	res := soakResult{duration: d}
	load := time.Now()
	res.rss = append(res.rss, rssSample{0, rssKiB(t, pid)})
	tick := time.NewTicker(soakSample)
	for range tick.C {
		at := time.Since(load)
		res.rss = append(res.rss, rssSample{at, rssKiB(t, pid)})
		if at >= d {
			break
		}
	}
	tick.Stop()
	res.served = total.Load()
	close(stop)
	wg.Wait()
	res.unexpected = unexpected.Load()

	fmt.Printf("soak: %v of mixed traffic from %d clients: %d requests (%.0f/s), %d unexpected outcomes\n",
		d, soakWorkers, res.served, float64(res.served)/d.Seconds(), res.unexpected)
	var curve []string
	for i, s := range res.rss {
		if i%5 == 0 || i == len(res.rss)-1 {
			curve = append(curve, fmt.Sprintf("%.0fs %s", s.at.Seconds(), mib(s.kib)))
		}
	}
	fmt.Printf("soak: resident memory every 5 s: %s\n", strings.Join(curve, ", "))
	var mix []string
	for _, k := range soakKinds {
		mix = append(mix, fmt.Sprintf("%s %d", k.name, kinds[k.name].Load()))
	}
	fmt.Printf("soak: mix: %s\n", strings.Join(mix, ", "))
	for _, e := range examples {
		fmt.Printf("soak: unexpected: %s\n", e)
	}

	require.NoError(t, p.cmd.Process.Signal(syscall.SIGTERM))
	assert.Equal(t, 0, p.wait(10*time.Second), "serve exits 0 after the soak")
	return res
}

// soakKind is one sort of request and what a client must observe for it. check returns ""
// when the outcome is the expected one, otherwise what was wrong.
type soakKind struct {
	name   string
	weight int
	build  func(rng *rand.Rand, base string, ids []string) *http.Request
	check  func(resp *http.Response, err error) string
}

var (
	products = []string{"crypto", "securities", "roth_ira", "robo"}
	statuses = []string{"not_started", "pending", "approved", "rejected"}
	invalid  = []string{"per_page=0", "per_page=101", "per_page=abc", "product=stock", "crypto_kyc_status=done",
		"created_at_start=2025-13-01", "created_at_end=yesterday", "last_record_number=-1", "sort_order=up", "sort_key=name",
		"per_page=2.5&sort_order=sideways", "created_at_start=%ff"}
	preferCodes = []int{401, 403, 404, 429, 500, 502, 503, 504}
)

var soakKinds = []soakKind{
	{"list", 35, func(rng *rand.Rand, base string, _ []string) *http.Request {
		q := []string{"per_page=" + strconv.Itoa(1+rng.IntN(100))}
		if rng.IntN(2) == 0 {
			q = append(q, "product="+products[rng.IntN(4)])
		}
		if rng.IntN(3) == 0 {
			q = append(q, products[rng.IntN(4)]+"_kyc_status="+statuses[rng.IntN(4)])
		}
		if rng.IntN(3) == 0 {
			q = append(q, "created_at_start=2025-0"+strconv.Itoa(1+rng.IntN(9))+"-01")
		}
		if rng.IntN(2) == 0 {
			q = append(q, "sort_order=asc", "sort_key=user_account_id")
		}
		q = append(q, "last_record_number="+strconv.Itoa(rng.IntN(soakUsers)))
		return soakRequest("GET", base+"/v1/users/?"+strings.Join(q, "&"), soakKey, "")
	}, expectJSON(200)},
	{"detail", 10, func(rng *rand.Rand, base string, ids []string) *http.Request {
		return soakRequest("GET", base+"/v1/users/"+ids[rng.IntN(len(ids))]+"/", soakKey, "")
	}, expectJSON(200)},
	{"unknown user", 5, func(rng *rand.Rand, base string, _ []string) *http.Request {
		return soakRequest("GET", base+"/v1/users/nobody-"+strconv.Itoa(rng.IntN(1000))+"/", soakKey, "")
	}, expectDetail(404)},
	{"invalid query", 15, func(rng *rand.Rand, base string, _ []string) *http.Request {
		return soakRequest("GET", base+"/v1/users/?"+invalid[rng.IntN(len(invalid))], soakKey, "")
	}, expectDetail(422)},
	{"no or bad key", 8, func(rng *rand.Rand, base string, _ []string) *http.Request {
		key := []string{"", "wrong-key"}[rng.IntN(2)]
		return soakRequest("GET", base+"/v1/users/?per_page=abc", key, "")
	}, expectDetail(401)},
	{"wrong method", 3, func(_ *rand.Rand, base string, _ []string) *http.Request {
		return soakRequest("POST", base+"/v1/users/", soakKey, "")
	}, expectDetail(405)},
	{"missing slash", 3, func(_ *rand.Rand, base string, _ []string) *http.Request {
		return soakRequest("GET", base+"/v1/users?per_page=2", soakKey, "")
	}, expectStatus(307)},
	{"prefer code", 8, func(rng *rand.Rand, base string, _ []string) *http.Request {
		c := preferCodes[rng.IntN(len(preferCodes))]
		return soakRequest("GET", base+"/v1/users/?per_page=5", soakKey, "code="+strconv.Itoa(c))
	}, expectPreferredCode},
	{"prefer delay", 3, func(rng *rand.Rand, base string, _ []string) *http.Request {
		return soakRequest("GET", base+"/v1/users/?per_page=5", soakKey, "delay="+strconv.Itoa(rng.IntN(20)))
	}, expectJSON(200)},
	{"prefer garbage", 3, func(_ *rand.Rand, base string, _ []string) *http.Request {
		return soakRequest("GET", base+"/v1/users/?per_page=5", soakKey, `x=1, code=418, =;, fault="oops`)
	}, expectJSON(200)},
	{"malformed json", 2, func(_ *rand.Rand, base string, _ []string) *http.Request {
		return soakRequest("GET", base+"/v1/users/?per_page=5", soakKey, "fault=malformed_json")
	}, func(resp *http.Response, err error) string {
		body, problem := read(resp, err, 200)
		if problem == "" && json.Valid(body) {
			problem = "the body is valid JSON"
		}
		return problem
	}},
	{"truncated body", 2, func(_ *rand.Rand, base string, _ []string) *http.Request {
		return soakRequest("GET", base+"/v1/users/?per_page=20", soakKey, "fault=truncated_body")
	}, func(resp *http.Response, err error) string {
		if err != nil {
			return "no response: " + err.Error()
		}
		defer resp.Body.Close()
		if _, err := io.ReadAll(resp.Body); !errors.Is(err, io.ErrUnexpectedEOF) {
			return fmt.Sprintf("want an unexpected EOF in the body, got %v", err)
		}
		return ""
	}},
	{"connection cut", 2, func(rng *rand.Rand, base string, _ []string) *http.Request {
		f := []string{"connection_reset", "empty_response"}[rng.IntN(2)]
		return soakRequest("GET", base+"/v1/users/?per_page=5", soakKey, "fault="+f)
	}, func(resp *http.Response, err error) string {
		if err == nil {
			resp.Body.Close()
			return fmt.Sprintf("want a cut connection, got %d", resp.StatusCode)
		}
		if !errors.Is(err, syscall.ECONNRESET) && !errors.Is(err, io.EOF) {
			return "want a reset or EOF, got " + err.Error()
		}
		return ""
	}},
}

func pickKind(rng *rand.Rand) soakKind {
	sum := 0
	for _, k := range soakKinds {
		sum += k.weight
	}
	n := rng.IntN(sum)
	for _, k := range soakKinds {
		if n < k.weight {
			return k
		}
		n -= k.weight
	}
	panic("unreachable")
}

func soakRequest(method, url, key, prefer string) *http.Request {
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		panic(err)
	}
	if key != "" {
		req.Header.Set("x-api-key", key)
	}
	if prefer != "" {
		req.Header.Set("Prefer", prefer)
	}
	return req
}

func read(resp *http.Response, err error, want int) ([]byte, string) {
	if err != nil {
		return nil, "no response: " + err.Error()
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, "body: " + err.Error()
	}
	if resp.StatusCode != want {
		return body, fmt.Sprintf("status %d, want %d: %.120s", resp.StatusCode, want, body)
	}
	return body, ""
}

func expectStatus(want int) func(*http.Response, error) string {
	return func(resp *http.Response, err error) string {
		_, problem := read(resp, err, want)
		return problem
	}
}

func expectJSON(want int) func(*http.Response, error) string {
	return func(resp *http.Response, err error) string {
		body, problem := read(resp, err, want)
		if problem == "" && !json.Valid(body) {
			problem = "the body is not JSON"
		}
		return problem
	}
}

func expectDetail(want int) func(*http.Response, error) string {
	return func(resp *http.Response, err error) string {
		body, problem := read(resp, err, want)
		var v struct {
			Detail json.RawMessage `json:"detail"`
		}
		if problem == "" && (json.Unmarshal(body, &v) != nil || len(v.Detail) == 0) {
			problem = "not a FastAPI error body: " + string(body)
		}
		return problem
	}
}

var preferredCode = regexp.MustCompile(`^code=(\d+)$`)

func expectPreferredCode(resp *http.Response, err error) string {
	if err != nil {
		return "no response: " + err.Error()
	}
	m := preferredCode.FindStringSubmatch(resp.Header.Get("Preference-Applied"))
	if m == nil {
		resp.Body.Close()
		return "no Preference-Applied: code=N"
	}
	want, _ := strconv.Atoi(m[1])
	_, problem := read(resp, nil, want)
	return problem
}

// sampleIDs collects n user ids from the list, for detail requests.
func sampleIDs(t *testing.T, base string, n int) []string {
	var ids []string
	for last := 0; len(ids) < n; last += 100 {
		resp, err := http.DefaultClient.Do(soakRequest("GET", base+"/v1/users/?per_page=100&last_record_number="+strconv.Itoa(last*37), soakKey, ""))
		require.NoError(t, err)
		var page struct {
			Items []struct {
				ID string `json:"user_account_id"`
			} `json:"items"`
		}
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&page))
		resp.Body.Close()
		for _, it := range page.Items {
			if len(ids) < n {
				ids = append(ids, it.ID)
			}
		}
	}
	return ids
}

// rssKiB reads a process's resident set size from /proc.
func rssKiB(t *testing.T, pid int) int64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	require.NoError(t, err)
	m := regexp.MustCompile(`VmRSS:\s+(\d+) kB`).FindSubmatch(data)
	require.NotNil(t, m, "VmRSS in /proc/%d/status", pid)
	kib, err := strconv.ParseInt(string(m[1]), 10, 64)
	require.NoError(t, err)
	return kib
}

func mib(kib int64) string {
	return fmt.Sprintf("%.1f MiB", float64(kib)/1024)
}
