package app_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/mock/app"
)

// capture is one entry of testdata/captures.json or captures-orders.json: a request and real
// FastAPI's answer to it.
type capture struct {
	Name    string `json:"name"`
	Request struct {
		Method string `json:"method"`
		Path   string `json:"path"`
		Query  string `json:"query"`
		APIKey string `json:"api_key"`
	} `json:"request"`
	Response struct {
		Status  int               `json:"status"`
		Headers map[string]string `json:"headers"`
		Body    json.RawMessage   `json:"body"`
	} `json:"response"`
}

// captureFiles are real FastAPI's answers, copied from shared/fastapi unchanged, with the
// number of requests each holds.
var captureFiles = []struct {
	name string
	n    int
}{{"captures.json", 42}, {"captures-orders.json", 24}}

func loadCaptures(t *testing.T) []capture {
	t.Helper()
	var all []capture
	for _, f := range captureFiles {
		data, err := os.ReadFile("testdata/" + f.name)
		require.NoError(t, err)
		var cs []capture
		require.NoError(t, json.Unmarshal(data, &cs))
		require.Len(t, cs, f.n, "%s is copied from shared/fastapi unchanged", f.name)
		all = append(all, cs...)
	}
	return all
}

func newServer(t *testing.T) *httptest.Server {
	t.Helper()
	a, err := app.New(app.Config{})
	require.NoError(t, err)
	srv := httptest.NewServer(a.Handler)
	t.Cleanup(srv.Close)
	return srv
}

// TestCapturesReplay sends every captured request (66: users and orders) to the mock and
// demands real FastAPI's status, listed headers and body, byte for byte.
func TestCapturesReplay(t *testing.T) {
	srv := newServer(t)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, c := range loadCaptures(t) {
		t.Run(c.Name, func(t *testing.T) {
			url := srv.URL + "/v1" + c.Request.Path
			if c.Request.Query != "" {
				url += "?" + c.Request.Query
			}
			req, err := http.NewRequest(c.Request.Method, url, nil)
			require.NoError(t, err)
			switch c.Request.APIKey {
			case "none":
			case "valid":
				req.Header.Set("x-api-key", "demo-key")
			case "empty":
				req.Header["X-Api-Key"] = []string{""}
			default:
				req.Header.Set("x-api-key", c.Request.APIKey)
			}
			resp, err := client.Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)

			assert.Equal(t, c.Response.Status, resp.StatusCode, "status")
			for name, want := range c.Response.Headers {
				want = strings.ReplaceAll(want, "{ORIGIN}", srv.URL)
				assert.Equal(t, want, resp.Header.Get(name), "header %s", name)
			}
			if string(c.Response.Body) == "null" {
				assert.Empty(t, body, "body")
				return
			}
			var want bytes.Buffer
			require.NoError(t, json.Compact(&want, c.Response.Body))
			assert.Equal(t, want.String(), string(body), "body")
		})
	}
}
