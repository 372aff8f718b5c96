package httpapi

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/mock/internal/resource"
	"github.com/cryptofi/partner-mock/mock/internal/resource/users"
	"github.com/cryptofi/partner-mock/mock/internal/tenant"
	"github.com/cryptofi/partner-mock/spec"
)

// syncBuffer is a log sink the server goroutines and the test can share.
type lockedBuffer struct {
	ch chan struct{}
	b  bytes.Buffer
}

func newLockedBuffer() *lockedBuffer {
	l := &lockedBuffer{ch: make(chan struct{}, 1)}
	l.ch <- struct{}{}
	return l
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	<-l.ch
	defer func() { l.ch <- struct{}{} }()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	<-l.ch
	defer func() { l.ch <- struct{}{} }()
	return l.b.String()
}

// newPanickyHandler is the real handler with extra routes that panic, injected the way a bug
// in a handler would surface.
func newPanickyHandler(t *testing.T, logs io.Writer) *Handler {
	t.Helper()
	s, err := spec.LoadEmbedded()
	require.NoError(t, err)
	bound, _, problems := resource.BindAll(s, []resource.Resource{users.Resource})
	require.Empty(t, problems)
	h, err := New(s, bound, tenant.NewRegistry(nil), Config{Logger: slog.New(slog.NewTextHandler(logs, nil))})
	require.NoError(t, err)
	h.engine.GET("/boom", func(c *gin.Context) {
		c.Header("content-type", "application/json")
		panic("index out of range")
	})
	h.engine.GET("/boom-mid-body", func(c *gin.Context) {
		c.Header("content-length", "100")
		_, _ = c.Writer.WriteString(`{"items":[`)
		c.Writer.Flush()
		panic(errors.New("renderer failed"))
	})
	return h
}

func TestPanicIsA500AndTheServerKeepsServing(t *testing.T) {
	logs := newLockedBuffer()
	srv := httptest.NewServer(newPanickyHandler(t, logs))
	defer srv.Close()

	req, err := http.NewRequest("GET", srv.URL+"/boom", nil)
	require.NoError(t, err)
	req.Header.Set("x-request-id", "client-req-42")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, 500, resp.StatusCode)
	assert.Equal(t, "text/plain; charset=utf-8", resp.Header.Get("content-type"), "the handler's own headers are dropped")
	assert.Equal(t, "Internal Server Error", string(body))
	assert.Contains(t, logs.String(), `msg="panic serving request" request_id=client-req-42 method=GET path=/boom panic="index out of range" stack=`)
	assert.Contains(t, logs.String(), "path=/boom status=500", "the request line follows")

	resp, err = http.Get(srv.URL + "/boom")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 500, resp.StatusCode)
	assert.Contains(t, logs.String(), "request_id=pm-1 ", "an id is made up when the client sent none")

	resp, err = http.Get(srv.URL + "/boom-mid-body")
	if err == nil {
		_, err = io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	assert.Error(t, err, "a panic after the status line cuts the connection")
	assert.Contains(t, logs.String(), `request_id=pm-2 method=GET path=/boom-mid-body panic="renderer failed"`)

	resp, err = http.Get(srv.URL + "/healthz")
	require.NoError(t, err)
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode, "still serving")
	assert.Equal(t, `{"status":"ok","clock":{"mode":"frozen","fis":[]}}`, string(body))
}

func TestPanicIDsCannotForgeLogLines(t *testing.T) {
	for _, id := range []string{"", "a b", "x\nlevel=ERROR", string(make([]byte, 65))} {
		assert.False(t, plainID(id), "%q", id)
	}
	assert.True(t, plainID("0f8c-41:ab_c.d"))
}
