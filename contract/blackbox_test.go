package contract_test

import (
	"go/parser"
	"go/token"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSuiteIsBlackBox keeps the suite honest against live servers: its code (tests aside) may
// import the document (spec) but nothing of the mock.
func TestSuiteIsBlackBox(t *testing.T) {
	entries, err := os.ReadDir(".")
	require.NoError(t, err)
	files := 0
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ImportsOnly)
		require.NoError(t, err)
		files++
		for _, imp := range f.Imports {
			path, err := strconv.Unquote(imp.Path.Value)
			require.NoError(t, err)
			if strings.HasPrefix(path, "github.com/cryptofi/partner-mock/") {
				assert.Equal(t, "github.com/cryptofi/partner-mock/spec", path, "%s imports %s", name, path)
			}
		}
	}
	assert.Greater(t, files, 10)
}
