package golden

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recorder is a testing.TB that records a Fatal instead of stopping the test.
type recorder struct {
	testing.TB
	failed string
}

func (r *recorder) Helper() {}
func (r *recorder) Fatalf(format string, args ...any) {
	r.failed = strings.TrimSpace(strings.ReplaceAll(format, "%", "")) // the format suffices to tell cases apart
	panic(r)
}
func (r *recorder) Fatal(args ...any) { r.Fatalf("fatal") }

// check runs Check and returns the format of its failure, or "".
func check(t *testing.T, path, version, got string, update bool) (failed string) {
	r := &recorder{TB: t}
	defer func() {
		if p := recover(); p != nil {
			require.Same(t, r, p)
			failed = r.failed
		}
	}()
	Check(r, path, version, []byte(got), update)
	return ""
}

func TestCheck(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.golden")
	assert.Contains(t, check(t, path, "1", "data", false), "does not exist")
	assert.Empty(t, check(t, path, "1", "data", true), "-update creates it")
	written, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "generator 1\ndata", string(written))

	assert.Empty(t, check(t, path, "1", "data", false), "same bytes, same version")
	assert.Contains(t, check(t, path, "1", "DATA", false), "bump gen.Version", "changed data fails")
	assert.Contains(t, check(t, path, "1", "DATA", true), "the output changed but gen.Version is still",
		"-update refuses new data under the old version")
	assert.Contains(t, check(t, path, "2", "DATA", false), "is for generator", "a bumped version fails until -update")
	assert.Contains(t, check(t, path, "2", "data", false), "is for generator", "even with the same data")
	assert.Empty(t, check(t, path, "2", "DATA", true), "bumped and updated")
	assert.Empty(t, check(t, path, "2", "DATA", false))
}

func TestFirstDifference(t *testing.T) {
	assert.Equal(t, `first difference at byte 4, line 2: want "b", got "c"`, firstDifference([]byte("aaa\nb"), []byte("aaa\nc")))
}
