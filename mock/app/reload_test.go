package app_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/mock/app"
)

// Two versions of one tenants file: the same key, another population.
const (
	reloadConfigA = `tenants:
  - name: acme
    fi_name: Acme Credit Union
    api_keys: [acme-key]
    seed: 7
    users: 300
    as_of: 2025-10-01T00:00:00Z
`
	reloadConfigB = `tenants:
  - name: acme
    fi_name: Acme Credit Union
    api_keys: [acme-key]
    seed: 8
    users: 200
    as_of: 2025-10-01T00:00:00Z
`
	// reloadConfigBroken has two problems, on lines 4 and 5.
	reloadConfigBroken = `tenants:
  - name: acme
    fi_name: Acme Credit Union
    api_keys: [acme-key, acme-key]
    seed: many
    users: 200
    as_of: 2025-10-01T00:00:00Z
`
)

const reloadPath = "/v1/users/?per_page=3"

// fileSource is a tenants "file" whose content a test swaps, and the load function that
// reads it, as serve's reload does with the real file.
type fileSource struct {
	content atomic.Value // string
	journal *app.Journal
}

func (f *fileSource) load() (app.Config, error) {
	cfg := app.Config{Journal: f.journal}
	err := app.UseTenantsData(&cfg, "tenants.yaml", []byte(f.content.Load().(string)), nil)
	return cfg, err
}

// bodyOf returns what an App built from config answers to reloadPath.
func bodyOf(t *testing.T, config string) string {
	t.Helper()
	cfg := app.Config{}
	require.NoError(t, app.UseTenantsData(&cfg, "tenants.yaml", []byte(config), nil))
	a, err := app.New(cfg)
	require.NoError(t, err)
	req := httptest.NewRequest("GET", reloadPath, nil)
	req.Header.Set("x-api-key", "acme-key")
	rec := httptest.NewRecorder()
	a.Handler.ServeHTTP(rec, req)
	require.Equal(t, 200, rec.Code)
	return rec.Body.String()
}

// TestReloadUnderLoadFailsNoRequest hammers the handler from many goroutines while the config
// is reloaded several times, a broken version among them: every answer is a 200 with the
// whole body of either the old or the new config, never an error and never a mix.
func TestReloadUnderLoadFailsNoRequest(t *testing.T) {
	bodyA, bodyB := bodyOf(t, reloadConfigA), bodyOf(t, reloadConfigB)
	require.NotEqual(t, bodyA, bodyB)

	src := &fileSource{journal: app.NewJournal(50, func() time.Time { return time.Unix(0, 0) })}
	src.content.Store(reloadConfigA)
	r, err := app.NewReloadable(src.load)
	require.NoError(t, err)
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)

	var stop atomic.Bool
	var seenA, seenB, bad atomic.Int64
	var firstBad atomic.Value
	var wg sync.WaitGroup
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}, Timeout: 20 * time.Second}
	t.Cleanup(client.CloseIdleConnections)
	for range 12 {
		wg.Go(func() {
			for !stop.Load() {
				req, _ := http.NewRequest("GET", srv.URL+reloadPath, nil)
				req.Header.Set("x-api-key", "acme-key")
				resp, err := client.Do(req)
				if err != nil {
					bad.Add(1)
					firstBad.CompareAndSwap(nil, err.Error())
					continue
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				switch {
				case err != nil || resp.StatusCode != 200:
					bad.Add(1)
					firstBad.CompareAndSwap(nil, resp.Status+": "+string(body))
				case string(body) == bodyA:
					seenA.Add(1)
				case string(body) == bodyB:
					seenB.Add(1)
				default:
					bad.Add(1)
					firstBad.CompareAndSwap(nil, "a body of neither config: "+string(body))
				}
			}
		})
	}

	// Let the load run, then reload: B, A, broken (rejected), B, A, B, each while requests flow.
	waitFor := func(n *atomic.Int64, min int64) {
		require.Eventually(t, func() bool { return n.Load() >= min }, 20*time.Second, time.Millisecond)
	}
	waitFor(&seenA, 50)
	steps := []string{reloadConfigB, reloadConfigA, reloadConfigBroken, reloadConfigB, reloadConfigA, reloadConfigB}
	serving := &seenA // the counter of the config serving now
	reloads, rejected := 0, 0
	for _, content := range steps {
		before := r.App()
		src.content.Store(content)
		a, err := r.Reload()
		switch content {
		case reloadConfigBroken:
			require.Error(t, err)
			assert.Nil(t, a)
			assert.Same(t, before, r.App(), "a broken config leaves the running App")
			rejected++
		case reloadConfigA:
			require.NoError(t, err)
			assert.Same(t, a, r.App())
			serving = &seenA
			reloads++
		default:
			require.NoError(t, err)
			assert.Same(t, a, r.App())
			serving = &seenB
			reloads++
		}
		waitFor(serving, serving.Load()+20) // requests flow on the new (or kept) App
	}
	stop.Store(true)
	wg.Wait()
	t.Logf("%d requests answered by config A, %d by config B, %d failed; %d reloads, %d rejected",
		seenA.Load(), seenB.Load(), bad.Load(), reloads, rejected)
	assert.Zero(t, bad.Load(), "no request failed: first failure %v", firstBad.Load())
	assert.Positive(t, seenA.Load())
	assert.Positive(t, seenB.Load())
	assert.Equal(t, bodyB, func() string {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("GET", reloadPath, nil)
		req.Header.Set("x-api-key", "acme-key")
		r.ServeHTTP(rec, req)
		return rec.Body.String()
	}(), "the last good config serves")
	assert.Equal(t, 50, src.journal.Len(), "one journal across every reload")
}

func TestReloadRejectsABrokenConfigAndKeepsServing(t *testing.T) {
	src := &fileSource{}
	src.content.Store(reloadConfigA)
	r, err := app.NewReloadable(src.load)
	require.NoError(t, err)
	before := r.App()

	src.content.Store(reloadConfigBroken)
	a, err := r.Reload()
	require.Error(t, err)
	assert.Nil(t, a)
	assert.Equal(t, "tenants.yaml:4: tenants[0].api_keys[1]: this key is also a key of tenants[0] (acme); each key must resolve to exactly one FI\n"+
		`tenants.yaml:5: tenants[0].seed: want a whole number such as 7, got the text "many"`, err.Error())
	assert.NotContains(t, err.Error(), "acme-key", "keys are never echoed")
	assert.Same(t, before, r.App())

	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", reloadPath, nil)
	req.Header.Set("x-api-key", "acme-key")
	r.ServeHTTP(rec, req)
	assert.Equal(t, 200, rec.Code)
	assert.Equal(t, bodyOf(t, reloadConfigA), rec.Body.String(), "the old config keeps serving")

	src.content.Store(reloadConfigB)
	a, err = r.Reload()
	require.NoError(t, err)
	assert.NotSame(t, before, a)
	assert.Equal(t, []string{"acme"}, a.TenantNames())
}

func TestNewReloadableFailsOnABadFirstConfig(t *testing.T) {
	_, err := app.NewReloadable(func() (app.Config, error) { return app.Config{}, errors.New("cannot read tenants.yaml") })
	assert.EqualError(t, err, "cannot read tenants.yaml")
	src := &fileSource{}
	src.content.Store(reloadConfigBroken)
	_, err = app.NewReloadable(src.load)
	assert.ErrorContains(t, err, "tenants.yaml:4:")
}
