package main

import (
	"crypto/x509"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCARootsCompiledIn runs this test binary again with the system's CA roots hidden, as in the
// FROM scratch image, and checks that the certificate pool is still full: the compiled-in
// fallback bundle. The child is a separate process because Go loads the system pool once.
func TestCARootsCompiledIn(t *testing.T) {
	if os.Getenv("PARTNER_MOCK_ROOTS_CHILD") == "1" {
		pool, err := x509.SystemCertPool()
		if err != nil {
			fmt.Printf("roots error: %v\n", err)
			return
		}
		//lint:ignore SA1019 counting the pool's roots is what this test is about.
		fmt.Printf("roots: %d\n", len(pool.Subjects()))
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestCARootsCompiledIn$")
	cmd.Env = append(os.Environ(),
		"PARTNER_MOCK_ROOTS_CHILD=1",
		"SSL_CERT_FILE=/nonexistent/ca.pem",
		"SSL_CERT_DIR=/nonexistent",
	)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, string(out))
	var n int
	for _, line := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(line, "roots: "); ok {
			n, err = strconv.Atoi(v)
			require.NoError(t, err)
		}
	}
	assert.Greater(t, n, 50, "with no system roots the pool holds the compiled-in bundle; child said:\n%s", out)
}
