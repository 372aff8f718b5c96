package tenant

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/cryptofi/partner-mock/mock/internal/problem"
)

// LoadFile reads and validates the tenants config at path. Pinned-user files it names are read
// relative to path's directory by the returned ReadFile.
func LoadFile(path string) (*Config, ReadFile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fileError(path, []problem.Problem{{Msg: fmt.Sprintf("cannot read the config: %v", unwrapPathError(err))}})
	}
	c, err := ParseConfig(path, data)
	if err != nil {
		return nil, nil, err
	}
	c.Dir = filepath.Dir(path)
	return c, DirReader(c.Dir), nil
}

// DirReader returns a ReadFile that reads names relative to dir (absolute names as they are).
func DirReader(dir string) ReadFile {
	return func(name string) ([]byte, error) {
		if !filepath.IsAbs(name) {
			name = filepath.Join(dir, name)
		}
		return os.ReadFile(name)
	}
}
