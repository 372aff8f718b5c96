package httpapi_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLargeBodiesAreNotChunked checks the framing uvicorn uses for a JSONResponse: a
// content-length, never chunked transfer encoding, even for a 100-user page.
func TestLargeBodiesAreNotChunked(t *testing.T) {
	srv := httptest.NewServer(newApp(t, nil).Handler)
	defer srv.Close()
	req, err := http.NewRequest("GET", srv.URL+"/v1/users/?per_page=100", nil)
	require.NoError(t, err)
	req.Header.Set("x-api-key", "demo-key")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Greater(t, len(body), 8192)
	assert.Empty(t, resp.TransferEncoding)
	assert.Equal(t, int64(len(body)), resp.ContentLength)
}
