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

// The soak's settings. SOAK_DURATION overrides the length (a Go duration), for a quick try.
const (
	soakUsers   = 100_000
	soakKey     = "soak-key"
	soakWorkers = 16
	soakWarmup  = 5 * time.Second
	soakSeed    = 2026
)

// TestSoak is `make soak`: it runs the built binary with a 100,000-user tenant, sends it 60 s of
// mixed valid, invalid and Prefer traffic from 16 concurrent clients on loopback, and reports
// requests served, unexpected outcomes (must be 0) and the server's resident memory after a
// warm-up and at the end (growth must stay under 10%). It stops by itself.
func TestSoak(t *testing.T) {
	duration := 60 * time.Second
	if s := os.Getenv("SOAK_DURATION"); s != "" {
		d, err := time.ParseDuration(s)
		require.NoError(t, err, "SOAK_DURATION")
		duration = d
	}
	bin := buildBinary(t)
	started := time.Now()
	p := startMockProcess(t, bin, "serve", "--addr", "127.0.0.1:0", "--api-key", soakKey,
		"--users", strconv.Itoa(soakUsers), "--seed", "7")
	pid := p.cmd.Process.Pid
	rssReady := rssKiB(t, pid)
	fmt.Printf("soak: %d users ready in %v, RSS %s\n", soakUsers, time.Since(started).Round(time.Millisecond), mib(rssReady))

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

	time.Sleep(soakWarmup)
	rssStart := rssKiB(t, pid)
	servedAtStart := total.Load()
	time.Sleep(duration)
	rssEnd := rssKiB(t, pid)
	served := total.Load() - servedAtStart
	close(stop)
	wg.Wait()

	growth := float64(rssEnd-rssStart) / float64(rssStart) * 100
	fmt.Printf("soak: %v of mixed traffic from %d clients after a %v warm-up\n", duration, soakWorkers, soakWarmup)
	fmt.Printf("soak: requests served: %d in the measured window (%.0f/s), %d in all\n", served, float64(served)/duration.Seconds(), total.Load())
	fmt.Printf("soak: unexpected outcomes: %d\n", unexpected.Load())
	fmt.Printf("soak: resident memory: %s at start, %s at end (%+.1f%%); %s right after start-up\n", mib(rssStart), mib(rssEnd), growth, mib(rssReady))
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
	assert.Zero(t, unexpected.Load(), "unexpected outcomes")
	assert.Less(t, growth, 10.0, "resident memory growth, percent")
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
