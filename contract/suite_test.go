package contract_test

import (
	"bytes"
	"context"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/contract"
	"github.com/cryptofi/partner-mock/mock/app"
)

// Flags point the suite at a live server: go test ./contract -args -base-url URL -api-key K.
// Without -base-url it runs against the mock, in-process, whatever the environment says, so
// `go test ./...` never reaches a server by accident. The keys default to the CLI's variables.
var (
	baseURL = flag.String("base-url", "", "base URL of the API under test, including /v1 (default: an in-process mock)")
	apiKey  = flag.String("api-key", os.Getenv("PARTNER_API_KEY"), "API key of one FI")
	apiKey2 = flag.String("api-key-2", os.Getenv("PARTNER_API_KEY_2"), "API key of a second FI (enables the tenant checks)")
	maxReq  = flag.Int("max-requests", 0, "request budget (default 1000)")
	rate    = flag.Float64("rate", 0, "requests per second (default 10, no limit on loopback); negative for no limit")
)

// mockServer serves handler (the mock, or the mock with a planted bug) on a loopback port.
func mockServer(t *testing.T, h http.Handler) string {
	t.Helper()
	return serve(t, h)
}

func serve(tb testing.TB, h http.Handler) string {
	srv := httptest.NewServer(h)
	tb.Cleanup(srv.Close)
	return srv.URL + "/v1"
}

func newMockApp() (*app.App, error) {
	return app.New(app.Config{})
}

func newMock(t *testing.T) *app.App {
	t.Helper()
	a, err := newMockApp()
	require.NoError(t, err)
	return a
}

// target returns the config of the run the flags ask for, or the in-process mock's. methods
// collects the methods the mock was sent.
func target(t *testing.T, methods *sync.Map) contract.Config {
	if *baseURL != "" {
		return contract.Config{BaseURL: *baseURL, APIKey: *apiKey, APIKey2: *apiKey2, MaxRequests: *maxReq, Rate: *rate}
	}
	h := newMock(t).Handler
	return contract.Config{BaseURL: mockServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		methods.Store(r.Method, true)
		h.ServeHTTP(w, r)
	})), APIKey: "demo-key", APIKey2: "demo-key-2"}
}

// TestSuite runs the whole suite against the target and demands that every check pass.
func TestSuite(t *testing.T) {
	var methods sync.Map
	cfg := target(t, &methods)
	rep, err := contract.Run(context.Background(), cfg)
	require.NoError(t, err)
	var out bytes.Buffer
	require.NoError(t, rep.WriteSummary(&out))
	t.Log("\n" + out.String())
	for _, c := range rep.Checks {
		assert.NotEqual(t, contract.Fail, c.Status, "%s: %s: %v", c.Name, c.Description, c.Failures)
		if *baseURL == "" {
			assert.Equal(t, contract.Pass, c.Status, "%s against the mock: %s", c.Name, c.Reason)
		}
	}
	assert.Len(t, rep.Checks, len(contract.Checks()), "every check ran")
	assert.LessOrEqual(t, rep.Requests, rep.MaxRequests, "the suite stays within its budget")
	if *baseURL == "" {
		assert.Less(t, rep.Requests, contract.DefaultMaxRequests, "the whole suite against the mock: under 1,000 requests")
		// The mock's 1,000 users fit the budget whole; its orders, several per user, do not:
		// the orders checks that walk sample, and say so.
		for _, c := range rep.Checks {
			if strings.HasPrefix(c.Family, "orders-") || c.Family == "relations" {
				if c.Sampled {
					assert.Contains(t, strings.Join(c.Notes, "\n"), "sampled: ", c.Name)
				}
				continue
			}
			assert.False(t, c.Sampled, "%s: the mock's 1,000 users fit the budget: nothing is sampled (%v)", c.Name, c.Notes)
		}
		assert.True(t, rep.Sampled, "the orders are too many to walk whole at every page size")
		methods.Range(func(m, _ any) bool {
			assert.Equal(t, http.MethodGet, m, "the suite sends GET only")
			return true
		})
	}
}
