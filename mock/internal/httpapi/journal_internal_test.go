package httpapi

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"

	"github.com/cryptofi/partner-mock/mock/internal/journal"
)

// benchmarkMiddleware serves a request through a bare Gin engine whose only handler writes a
// small body, with or without the journal in front: the difference is the journal's own cost
// per request (note writer, timing, redaction, Add), free of the API's work.
func benchmarkMiddleware(b *testing.B, j *journal.Journal) {
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	useJournal(e, j)
	e.GET("/v1/users/", func(c *gin.Context) { writeJSON(c, http.StatusOK, []byte(`{"items":[]}`)) })
	req := httptest.NewRequest("GET", "/v1/users/?per_page=25&sort_order=asc", nil)
	req.Header.Set("x-api-key", "demo-key")
	w := &nopWriter{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		clear(w.h)
		e.ServeHTTP(w, req)
	}
}

func BenchmarkMiddlewareWithoutJournal(b *testing.B) { benchmarkMiddleware(b, nil) }

func BenchmarkMiddlewareWithJournal(b *testing.B) {
	benchmarkMiddleware(b, journal.New(func() time.Time { return time.Time{} }, journal.Config{}))
}

type nopWriter struct{ h http.Header }

func (w *nopWriter) Header() http.Header         { return w.h }
func (w *nopWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *nopWriter) WriteHeader(int)             {}

func TestRedactKeys(t *testing.T) {
	tests := []struct {
		name, path, query, key string
		wantPath, wantQuery    string
	}{
		{"nothing to redact", "/v1/users/", "per_page=25&sort_key=created_at", "k-123", "/v1/users/", "per_page=25&sort_key=created_at"},
		{"the key in the path", "/v1/users/k-123/", "", "k-123", "/v1/users/[REDACTED]/", ""},
		{"the key as any value", "/v1/users/", "user_account_id=k-123&x=k-123k-123", "k-123", "/v1/users/", "user_account_id=[REDACTED]&x=[REDACTED][REDACTED]"},
		{"the key percent-encoded", "/v1/users/", "q=a+b%2Fc&r=a%20b%2Fc", "a b/c", "/v1/users/", "q=[REDACTED]&r=[REDACTED]"},
		{"credential names", "/v1/users/", "api_key=s1&per_page=2&Token=s2&X-API-KEY=s3&password=s4&authorization=s5", "",
			"/v1/users/", "api_key=[REDACTED]&per_page=2&Token=[REDACTED]&X-API-KEY=[REDACTED]&password=[REDACTED]&authorization=[REDACTED]"},
		{"an encoded credential name", "/v1/users/", "api%5Fkey=s1&x+api+key=2", "", "/v1/users/", "api%5Fkey=[REDACTED]&x+api+key=2"},
		{"a name without a value, and empty pairs", "/v1/users/", "key&&token=&a=1", "", "/v1/users/", "key&&token=[REDACTED]&a=1"},
		{"names that only contain one", "/v1/users/", "sort_key=created_at&keys=1&monkey=2", "", "/v1/users/", "sort_key=created_at&keys=1&monkey=2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path, query := redactKeys(tt.path, tt.query, tt.key)
			assert.Equal(t, tt.wantPath, path)
			assert.Equal(t, tt.wantQuery, query)
		})
	}
	assert.Zero(t, testing.AllocsPerRun(100, func() { redactKeys("/v1/users/", "per_page=25&sort_order=asc", "demo-key") }),
		"nothing to redact, nothing allocated")
}
