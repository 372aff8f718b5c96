package app_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/mock/app"
)

// syncPage is what a sync loop reads of a list answer.
type syncPage struct {
	Items []struct {
		UserID  string `json:"user_account_id"`
		OrderID string `json:"order_id"`
	} `json:"items"`
	Last int `json:"last_record_number"`
}

func getPage(t *testing.T, base, path string) syncPage {
	t.Helper()
	req, err := http.NewRequest("GET", base+path, nil)
	require.NoError(t, err)
	req.Header.Set("x-api-key", "demo-key")
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	require.Equal(t, 200, res.StatusCode, string(body))
	var p syncPage
	require.NoError(t, json.Unmarshal(body, &p))
	return p
}

// mockNow reads the demo FI's mock time from /healthz, as a sync loop against the mock does
// (against the live API it is the wall clock).
func mockNow(t *testing.T, base string) time.Time {
	t.Helper()
	res, err := http.Get(base + "/healthz")
	require.NoError(t, err)
	defer res.Body.Close()
	var h struct {
		Clock struct {
			FIs []struct {
				Now time.Time `json:"now"`
			} `json:"fis"`
		} `json:"clock"`
	}
	require.NoError(t, json.NewDecoder(res.Body).Decode(&h))
	return h.Clock.FIs[0].Now
}

// TestSyncLoopsOnALiveClock is the docs' sync advice (docs/time-and-sync.md) as a test, while
// users and orders arrive ten days a second: walking newest-first with offset cursors sees
// records twice, because every arrival pushes the rest one place down; walking a closed window
// [watermark, now-lag) in ascending order sees each record exactly once, and the windows
// together see everything.
func TestSyncLoopsOnALiveClock(t *testing.T) {
	a, err := app.New(app.Config{Clock: app.Clock{Live: true, Speed: 864_000}})
	require.NoError(t, err)
	srv := httptest.NewServer(a.Handler)
	t.Cleanup(srv.Close)

	t.Run("newest first repeats records", func(t *testing.T) {
		seen, repeats := map[string]bool{}, 0
		cursor := 0
		for range 6 {
			p := getPage(t, srv.URL, fmt.Sprintf("/v1/orders/?per_page=25&last_record_number=%d", cursor))
			for _, it := range p.Items {
				if seen[it.OrderID] {
					repeats++
				}
				seen[it.OrderID] = true
			}
			cursor = p.Last
			time.Sleep(300 * time.Millisecond) // three days of orders arrive meanwhile
		}
		assert.Positive(t, repeats, "arrivals shift a newest-first walk: some orders come back on the next page")
	})

	for _, r := range []struct{ name, path, start, end string }{
		{"users", "/v1/users/", "created_at_start", "created_at_end"},
		{"orders", "/v1/orders/", "placed_at_start", "placed_at_end"},
	} {
		t.Run(r.name+" in closed ascending windows are seen once each", func(t *testing.T) {
			const lag = time.Hour // mock time; far enough behind now that nothing still lands in the window
			start := mockNow(t, srv.URL).Add(-30 * 24 * time.Hour)
			walk := func(from, to time.Time, pause time.Duration, each func(id string)) {
				for cursor := 0; ; {
					p := getPage(t, srv.URL, fmt.Sprintf("%s?sort_order=asc&per_page=50&%s=%s&%s=%s&last_record_number=%d",
						r.path, r.start, from.Format(time.RFC3339Nano), r.end, to.Format(time.RFC3339Nano), cursor))
					if len(p.Items) == 0 {
						return
					}
					for _, it := range p.Items {
						each(it.UserID + it.OrderID)
					}
					cursor = p.Last
					time.Sleep(pause)
				}
			}
			seen := map[string]int{}
			watermark := start
			for range 4 {
				to := mockNow(t, srv.URL).Add(-lag)
				walk(watermark, to, 20*time.Millisecond, func(id string) { seen[id]++ })
				watermark = to
				time.Sleep(200 * time.Millisecond)
			}
			require.NotEmpty(t, seen)
			for id, n := range seen {
				assert.Equal(t, 1, n, "%s seen %d times", id, n)
			}
			// The windows together saw exactly what the whole span holds, walked again at once.
			again := map[string]int{}
			walk(start, watermark, 0, func(id string) { again[id]++ })
			assert.Equal(t, seen, again)
		})
	}
}
