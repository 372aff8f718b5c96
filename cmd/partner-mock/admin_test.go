package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
)

// adminFIs fetches GET /__admin/fis with token and returns the status.
func adminFIs(t *testing.T, base, token string) int {
	t.Helper()
	resp, _ := fetchURL(t, base+"/__admin/fis", "Authorization", "Bearer "+token)
	return resp.StatusCode
}

func TestAdminToken(t *testing.T) {
	const token = "flag-token-123456"
	t.Run("off by default", func(t *testing.T) {
		base, stdout, _ := startServe(t)
		assert.Equal(t, 404, adminFIs(t, base, token))
		assert.NotContains(t, stdout.String(), "admin API")
	})
	t.Run("--admin-token", func(t *testing.T) {
		base, stdout, _ := startServe(t, "--admin-token", token)
		assert.Equal(t, 200, adminFIs(t, base, token))
		assert.Equal(t, 401, adminFIs(t, base, "something-else"))
		assert.Contains(t, stdout.String(), "admin API: http://")
		assert.Contains(t, stdout.String(), "/__admin/ (Authorization: Bearer <your admin token>")
		assert.NotContains(t, stdout.String(), token, "never printed")
	})
	t.Run("PARTNER_MOCK_ADMIN_TOKEN", func(t *testing.T) {
		t.Setenv("PARTNER_MOCK_ADMIN_TOKEN", token)
		base, _, _ := startServe(t)
		assert.Equal(t, 200, adminFIs(t, base, token))
	})
	t.Run("the config's admin.token, and the flag over it", func(t *testing.T) {
		path := writeConfig(t, "admin:\n  token: config-token-42\n"+goodConfig, goodPinned)
		base, _, _ := startServe(t, "--config", path)
		assert.Equal(t, 200, adminFIs(t, base, "config-token-42"))
		base, _, _ = startServe(t, "--config", path, "--admin-token", token)
		assert.Equal(t, 200, adminFIs(t, base, token))
		assert.Equal(t, 401, adminFIs(t, base, "config-token-42"))
	})
}

func TestBadAdminTokensExit2WithoutShowingThem(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		config string
		want   string
	}{
		{"too short", []string{"--admin-token", "abc"}, "", "--admin-token: want at least 8 characters"},
		{"a space", []string{"--admin-token", "abcd efgh"}, "", "--admin-token: character 5 is a space"},
		{"an API key", []string{"--admin-token", "demo-key-2"}, "", "--admin-token: the token is also an API key of demo-savings-bank"},
		{"an API key of the config", nil, "admin:\n  token: acme-key\n", "tenants.yaml:2: admin.token: the token is also an API key of tenants[0] (acme); use a secret of its own"},
		{"the config's token empty", nil, "admin:\n  token: \"\"\n", "tenants.yaml:2: admin.token: required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"serve", "--addr", "127.0.0.1:0"}, tt.args...)
			if tt.config != "" {
				args = append(args, "--config", writeConfig(t, tt.config+goodConfig, goodPinned))
			}
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), args, &stdout, &stderr, nil)
			assert.Equal(t, 2, code, stderr.String())
			assert.Contains(t, stderr.String(), tt.want)
			for _, a := range tt.args {
				if a != "--admin-token" {
					assert.NotContains(t, stderr.String(), a, "the token is never echoed")
				}
			}
		})
	}
}
