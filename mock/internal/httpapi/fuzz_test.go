package httpapi_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/mock/app"
	"github.com/cryptofi/partner-mock/mock/internal/faults"
	"github.com/cryptofi/partner-mock/mock/internal/qs"
)

// fuzzKeys are the keys FuzzHandler picks from: none, the two demo tenants', an unknown one.
var fuzzKeys = []string{"", "demo-key", "demo-key-2", "not-a-key"}

// FuzzHandler sends any method, path, query, key and Prefer header through the whole handler
// and checks what a client would see: no panic; no 5xx unless a Prefer control asked for it
// (or the one 500 Starlette itself sends: a slash redirect whose query is not UTF-8); every 4xx
// body is FastAPI JSON {"detail": string or [pydantic errors]}; every 200 is JSON; a connection
// fault aborts the exchange. The committed corpus is under testdata/fuzz/FuzzHandler.
func FuzzHandler(f *testing.F) {
	a, err := app.New(app.Config{})
	require.NoError(f, err)
	f.Add("GET", "/v1/users/", "per_page=2", uint8(1), "")
	f.Add("GET", "/v1/users/member-001/", "", uint8(1), "code=404, delay=5")
	f.Fuzz(func(t *testing.T, method, path, rawQuery string, keySel uint8, prefer string) {
		if !validMethod(method) {
			method = "GET"
		}
		if !strings.HasPrefix(path, "/") {
			path = "/" + path
		}
		req := &http.Request{
			Method:     method,
			URL:        &url.URL{Path: path, RawQuery: rawQuery},
			Proto:      "HTTP/1.1",
			ProtoMajor: 1, ProtoMinor: 1,
			Header:     http.Header{},
			Host:       "mock.test",
			RemoteAddr: "192.0.2.1:1234",
			RequestURI: path + "?" + rawQuery,
		}
		if key := fuzzKeys[int(keySel)%len(fuzzKeys)]; key != "" {
			req.Header.Set("x-api-key", key)
		}
		if prefer != "" {
			req.Header.Set("Prefer", prefer)
		}
		// A client that has gone away: delays end at once, everything else is answered.
		ctx, cancel := contextCancelled()
		defer cancel()
		req = req.WithContext(ctx)
		prefs := faults.ParsePrefer(req.Header.Values("Prefer"))

		rec := httptest.NewRecorder()
		aborted := serveCatchingAbort(a.Handler, rec, req)
		applied := rec.Header().Get("Preference-Applied")
		if aborted {
			assert.Contains(t, []faults.Fault{faults.ConnectionReset, faults.EmptyResponse, faults.TruncatedBody}, prefs.Fault,
				"only a connection fault aborts the exchange")
			return
		}
		if applied != "" {
			assert.False(t, prefs.Empty(), "Preference-Applied only echoes what was asked")
		}
		if prefs.Code != 0 && strings.Contains(applied, "code=") {
			assert.Equal(t, prefs.Code, rec.Code)
			return
		}
		if strings.Contains(applied, "fault=malformed_json") {
			assert.False(t, json.Valid(rec.Body.Bytes()))
			return
		}
		status, body := rec.Code, rec.Body.Bytes()
		switch {
		case status >= 500:
			assert.True(t, isStarletteRedirect500(path, rawQuery), "%d for %s %s?%s: %s", status, method, path, rawQuery, body)
			assert.Equal(t, "Internal Server Error", string(body))
		case status == 503 || status == 429:
			t.Fatalf("chaos status %d without chaos", status)
		case status >= 400:
			assert.Equal(t, "application/json", rec.Header().Get("content-type"))
			assertFastAPIError(t, status, body)
		case status == 307:
			assert.NotEmpty(t, rec.Header().Get("location"))
			assert.Empty(t, body)
		case status == 200:
			if strings.HasPrefix(rec.Header().Get("content-type"), "application/json") {
				assert.True(t, json.Valid(body), "%s", body)
			} else {
				assert.Equal(t, "/docs", path, "only the reference page is not JSON")
			}
		default:
			t.Fatalf("unexpected status %d", status)
		}
	})
}

// serveCatchingAbort serves req and reports whether the handler aborted with
// http.ErrAbortHandler, which net/http turns into a cut connection. Any other panic fails.
func serveCatchingAbort(h http.Handler, w http.ResponseWriter, req *http.Request) (aborted bool) {
	defer func() {
		if v := recover(); v != nil {
			if v != http.ErrAbortHandler {
				panic(v)
			}
			aborted = true
		}
	}()
	h.ServeHTTP(w, req)
	return false
}

// assertFastAPIError checks a 4xx body: {"detail": "..."} or, for 422, {"detail": [errors]}.
func assertFastAPIError(t *testing.T, status int, body []byte) {
	t.Helper()
	var top map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(body, &top), "%s", body)
	require.Len(t, top, 1, "%s", body)
	detail, ok := top["detail"]
	require.True(t, ok, "%s", body)
	if status != 422 {
		var s string
		assert.NoError(t, json.Unmarshal(detail, &s), "%s", body)
		return
	}
	var errs []struct {
		Type  *string  `json:"type"`
		Loc   []string `json:"loc"`
		Msg   *string  `json:"msg"`
		Input *string  `json:"input"`
	}
	require.NoError(t, json.Unmarshal(detail, &errs), "%s", body)
	require.NotEmpty(t, errs)
	for _, e := range errs {
		assert.NotNil(t, e.Type)
		assert.NotNil(t, e.Msg)
		assert.NotNil(t, e.Input)
		require.Len(t, e.Loc, 2)
		assert.Equal(t, "query", e.Loc[0])
	}
}

// isStarletteRedirect500 is the one 500 the live service sends itself: a path that only
// differs from a route by its trailing slash, with a query Starlette cannot decode as UTF-8 to
// build the redirect.
func isStarletteRedirect500(path, rawQuery string) bool {
	_, ok := qs.RedirectLocation("http", "mock.test", path, rawQuery)
	return !ok
}

func validMethod(m string) bool {
	if m == "" {
		return false
	}
	for i := 0; i < len(m); i++ {
		c := m[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`()<>@,;:\"/[]?={}`, c) >= 0 {
			return false
		}
	}
	return true
}
