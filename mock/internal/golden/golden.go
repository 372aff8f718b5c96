// Package golden checks test output against golden files that are pinned to the generator
// version, the mechanism behind the mock's determinism guarantee: a change to generated data
// fails the tests until gen.Version is bumped and the files are rewritten on purpose.
//
// A golden file starts with the line "generator VERSION" and holds the exact bytes after it.
// Tests register their own -update flag and pass it to Check. Check then
//
//   - without -update, fails when the bytes differ, saying whether the version still matches
//     (an accidental change, or a deliberate one that needs a version bump) or not (bumped:
//     rewrite the files with -update);
//   - with -update, rewrites a file only when its version differs from the current one or its
//     bytes are unchanged: new data under an old version number is refused, because every
//     partner test pinned to that version would break without warning.
package golden

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// header is the first line of a golden file for version.
func header(version string) []byte {
	return []byte("generator " + version + "\n")
}

// Check compares got with the golden file at path for version, or rewrites the file when
// update is set and the rules above allow it.
func Check(t testing.TB, path, version string, got []byte, update bool) {
	t.Helper()
	want, err := os.ReadFile(path)
	missing := errors.Is(err, fs.ErrNotExist)
	if err != nil && !missing {
		t.Fatalf("golden %s: %v", path, err)
	}
	fileVersion, wantBody := split(want)
	if update {
		if !missing && fileVersion == version && !bytes.Equal(wantBody, got) {
			t.Fatalf("golden %s: the output changed but gen.Version is still %s. Generated data is part of the output "+
				"contract: bump gen.Version in mock/gen/gen.go, then run -update again", path, version)
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, append(header(version), got...), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	switch {
	case missing:
		t.Fatalf("golden %s does not exist: run the test with -update to create it", path)
	case fileVersion != version:
		t.Fatalf("golden %s is for generator %s, but gen.Version is %s: if the change is deliberate, run the test with -update",
			path, fileVersion, version)
	case !bytes.Equal(wantBody, got):
		t.Fatalf("golden %s: the output differs from generator %s's (%s). If the change is deliberate, bump gen.Version "+
			"in mock/gen/gen.go and run the test with -update; otherwise something broke the determinism guarantee",
			path, version, firstDifference(wantBody, got))
	}
}

// split returns the version in data's header line and the bytes after it.
func split(data []byte) (string, []byte) {
	line, rest, ok := bytes.Cut(data, []byte("\n"))
	v, isHeader := bytes.CutPrefix(line, []byte("generator "))
	if !ok || !isHeader {
		return "", data
	}
	return string(v), rest
}

// firstDifference describes where want and got first differ.
func firstDifference(want, got []byte) string {
	i := 0
	for i < len(want) && i < len(got) && want[i] == got[i] {
		i++
	}
	line := bytes.Count(want[:i], []byte("\n")) + 1
	excerpt := func(b []byte) string {
		end := min(i+40, len(b))
		return fmt.Sprintf("%q", b[i:end])
	}
	return fmt.Sprintf("first difference at byte %d, line %d: want %s, got %s", i, line, excerpt(want), excerpt(got))
}
