// Package tenant turns a tenants config (the built-in fixtures or a partner's file) into the
// populations the mock serves: one per FI, each reachable by its API keys only.
package tenant

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"time"

	"go.yaml.in/yaml/v3"
)

// Config is a tenants file.
type Config struct {
	Tenants []TenantConfig `yaml:"tenants"`
}

// TenantConfig describes one FI.
type TenantConfig struct {
	// Name identifies the tenant in logs and commands (dump --tenant); defaults to FIName.
	Name   string `yaml:"name"`
	FIName string `yaml:"fi_name"`
	// APIKeys are the keys that resolve to this FI; at least one.
	APIKeys []string `yaml:"api_keys"`
	Seed    uint64   `yaml:"seed"`
	// Users is the whole population, pinned users included.
	Users int `yaml:"users"`
	// AsOf ends the created_at window (RFC 3339).
	AsOf time.Time `yaml:"as_of"`
	// IDFormat is the id template of generated users (see package gen); empty means the
	// generator's default.
	IDFormat string `yaml:"id_format"`
	// PinnedUsers is a YAML or JSON file of exact users, relative to the config file.
	PinnedUsers string `yaml:"pinned_users"`
}

// ParseConfig decodes a tenants file strictly: unknown fields and wrong types are errors that
// name the line.
func ParseConfig(source string, data []byte) (*Config, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var c Config
	if err := dec.Decode(&c); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("config %s: the file is empty; want a tenants: list", source)
		}
		return nil, fmt.Errorf("config %s: %w", source, err)
	}
	return &c, nil
}
