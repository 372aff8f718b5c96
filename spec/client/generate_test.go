package client_test

import (
	"context"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/mock/app"
)

// generator is the pinned code generator the committed client comes from. oapi-codegen reads
// OpenAPI 3.1's anyOf-with-null parameters from v2.8 on (v2.5 rejects them).
const generator = "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen@v2.8.2"

var update = flag.Bool("update", false, "regenerate client.gen.go from the mock's /openapi.json")

// startMock serves the built-in mock and returns its root URL.
func startMock(t *testing.T) string {
	t.Helper()
	a, err := app.New(app.Config{})
	require.NoError(t, err)
	srv := httptest.NewServer(a.Handler)
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestClientIsGeneratedFromTheServedDocument runs the real generator on the document the mock
// serves at /openapi.json and checks the committed client is exactly its output, so the client
// the other tests use is what a partner gets by pointing oapi-codegen at the mock.
func TestClientIsGeneratedFromTheServedDocument(t *testing.T) {
	base := startMock(t)
	resp, err := http.Get(base + "/openapi.json")
	require.NoError(t, err)
	doc, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	require.Equal(t, 200, resp.StatusCode)

	dir := t.TempDir()
	in, out := filepath.Join(dir, "openapi.json"), filepath.Join(dir, "client.gen.go")
	require.NoError(t, os.WriteFile(in, doc, 0o644))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "run", generator, "-generate", "types,client", "-package", "client", "-o", out, in)
	// The generator is its own module; run it outside this one so its dependencies do not touch
	// go.mod.
	cmd.Dir = dir
	msg, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", msg)
	got, err := os.ReadFile(out)
	require.NoError(t, err)

	if *update {
		require.NoError(t, os.WriteFile("client.gen.go", got, 0o644))
	}
	want, err := os.ReadFile("client.gen.go")
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got), "client.gen.go is stale: go test ./spec/client -run Generated -update")
}
