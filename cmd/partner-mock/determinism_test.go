package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// buildBinary builds partner-mock into a temporary directory of the test, with any extra go
// build flags.
func buildBinary(t *testing.T, flags ...string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "partner-mock")
	out, err := exec.Command("go", append(append([]string{"build"}, flags...), "-o", bin, ".")...).CombinedOutput()
	require.NoError(t, err, "go build:\n%s", out)
	return bin
}

var servingLine = regexp.MustCompile(`serving (http://\S+)/v1/users/`)

// startProcess runs the built binary's serve with args and GOMAXPROCS=procs, and returns its
// base URL once it is listening. The process is stopped with SIGTERM at the end of the test.
func startProcess(t *testing.T, bin string, procs int, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	cmd.Env = append(os.Environ(), fmt.Sprintf("GOMAXPROCS=%d", procs))
	cmd.Stderr = io.Discard
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		assert.NoError(t, cmd.Wait(), "serve exits 0 on SIGTERM")
	})
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := servingLine.FindStringSubmatch(sc.Text()); m != nil {
				urls <- m[1]
			}
		}
		close(urls)
	}()
	select {
	case u, ok := <-urls:
		require.True(t, ok, "serve exited before listening")
		return u
	case <-time.After(60 * time.Second):
		t.Fatal("serve did not start")
	}
	return ""
}

// exchange is one request's full answer, minus the Date header.
type exchange struct {
	status int
	header http.Header
	body   string
}

func do(t *testing.T, base, path, key string) exchange {
	t.Helper()
	req, err := http.NewRequest("GET", base+path, nil)
	require.NoError(t, err)
	if key != "" {
		req.Header.Set("x-api-key", key)
	}
	// One Host header for every process: a 307's location is built from it.
	req.Host = "partner-mock.test"
	// No redirect following: the 307 itself is compared.
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	resp.Header.Del("Date")
	return exchange{status: resp.StatusCode, header: resp.Header, body: string(body)}
}

// requestPaths returns the requests compared across processes: every page of the population in
// both sort keys, filtered lists, every tenth user's detail, and the error answers.
func requestPaths(t *testing.T, base, key string) []string {
	t.Helper()
	var paths []string
	for _, q := range []string{"", "sort_order=asc&sort_key=user_account_id&"} {
		for c := 0; c < 5000; c += 100 {
			paths = append(paths, fmt.Sprintf("/v1/users/?%sper_page=100&last_record_number=%d", q, c))
		}
	}
	for _, q := range []string{
		"product=crypto", "product=roth_ira&sort_order=asc", "crypto_kyc_status=pending",
		"securities_kyc_status=approved&robo_kyc_status=rejected", "roth_ira_kyc_status=not_started",
		"created_at_start=2025-01-01&created_at_end=2025-03-01T12:00:00Z", "created_at_end=2021-06-01&sort_key=user_account_id",
		"per_page=0&sort_order=sideways&created_at_start=2025-13-01", "last_record_number=4990&per_page=100",
		"last_record_number=99999999999999999999999", "user_account_id=CIF000001234",
	} {
		paths = append(paths, "/v1/users/?"+q)
	}
	// Ids as a partner would learn them: from the list.
	var ids []string
	for c := 0; c < 5000; c += 100 {
		ex := do(t, base, fmt.Sprintf("/v1/users/?sort_key=user_account_id&sort_order=asc&per_page=100&last_record_number=%d", c), key)
		var page struct {
			Items []struct {
				ID string `json:"user_account_id"`
			} `json:"items"`
		}
		require.NoError(t, json.Unmarshal([]byte(ex.body), &page))
		for _, it := range page.Items {
			ids = append(ids, it.ID)
		}
	}
	require.Len(t, ids, 5000)
	for i := 0; i < len(ids); i += 10 {
		paths = append(paths, "/v1/users/"+ids[i]+"/")
	}
	// Orders: generated on every core and ordered by placed_at at start-up; every page both
	// ways, filters, one user's orders, and details of ids read from the list.
	for _, q := range []string{"", "sort_order=asc&"} {
		for c := 0; c < 20000; c += 1000 {
			paths = append(paths, fmt.Sprintf("/v1/orders/?%sper_page=100&last_record_number=%d", q, c))
		}
	}
	for _, q := range []string{
		"product=crypto&side=sell", "status=pending", "status=completed&product=robo&sort_order=asc&last_record_number=500",
		"placed_at_start=2025-01-01&placed_at_end=2025-02-01", "user_account_id=CIF000000042", "user_account_id=CIF000004999&status=completed",
	} {
		paths = append(paths, "/v1/orders/?"+q)
	}
	for c := 0; c < 20000; c += 2500 {
		ex := do(t, base, fmt.Sprintf("/v1/orders/?per_page=3&last_record_number=%d", c), key)
		var page struct {
			Items []struct {
				ID string `json:"order_id"`
			} `json:"items"`
		}
		require.NoError(t, json.Unmarshal([]byte(ex.body), &page))
		for _, it := range page.Items {
			paths = append(paths, "/v1/orders/"+it.ID+"/")
		}
	}
	return append(paths, "/v1/users/nobody/", "/v1/users", "/v1/users/CIF000000001", "/nowhere", "/healthz")
}

func TestTwoProcessesAnswerWithIdenticalBytes(t *testing.T) {
	flags := []string{"--api-key", "k1", "--users", "5000", "--seed", "7"}
	bin := buildBinary(t)
	// GOMAXPROCS differs between the two processes of seed 7: the generator's chunks run on a
	// different number of threads.
	a := startProcess(t, bin, 1, flags...)
	b := startProcess(t, bin, 2, flags...)
	// More threads than this machine may have cores: chunks finish in yet another order.
	d := startProcess(t, bin, 4, flags...)
	c := startProcess(t, bin, 2, "--api-key", "k1", "--users", "5000", "--seed", "8")

	first := do(t, a, "/v1/users/?per_page=1", "k1")
	require.Equal(t, 200, first.status)
	assert.Contains(t, first.body, `"total_records":5000`, "5,000 users under k1")
	assert.Equal(t, 401, do(t, a, "/v1/users/", "demo-key").status, "the flags replace the built-in tenants")

	paths := requestPaths(t, a, "k1")
	statuses := map[int]int{}
	differs := 0
	for _, p := range paths {
		for _, key := range []string{"k1", ""} {
			if key == "" && !slices.Contains([]string{"/v1/users/?product=crypto", "/v1/users/nobody/"}, p) {
				continue // the 401 answers: two suffice
			}
			ea, eb := do(t, a, p, key), do(t, b, p, key)
			statuses[ea.status]++
			require.Equal(t, ea, eb, "GET %s (key %q): GOMAXPROCS=1 and GOMAXPROCS=2 processes differ", p, key)
			require.Equal(t, ea, do(t, d, p, key), "GET %s (key %q): GOMAXPROCS=1 and GOMAXPROCS=4 processes differ", p, key)
			if ec := do(t, c, p, key); ec.body != ea.body {
				differs++
			}
		}
	}
	// Every kind of answer was compared.
	for _, s := range []int{200, 307, 401, 404, 422} {
		assert.Positive(t, statuses[s], "some %d answers compared", s)
	}
	t.Logf("%d requests compared; status counts %v", len(paths)+2, statuses)

	// --seed 8: different users. Every page of users differs; only answers without users
	// (errors, empty pages, 404s) can be equal.
	seed8 := do(t, c, "/v1/users/?per_page=100", "k1")
	assert.NotEqual(t, do(t, a, "/v1/users/?per_page=100", "k1").body, seed8.body)
	assert.Contains(t, seed8.body, `"total_records":5000`)
	assert.Greater(t, differs, 100+len(paths)/2, "most answers differ with --seed 8")
	assert.True(t, strings.HasPrefix(seed8.body, `{"items":[{"accounts":`))
}
