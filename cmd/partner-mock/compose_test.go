package main

import (
	"net"
	"net/url"
	"os"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	yamlv3 "go.yaml.in/yaml/v3"
)

// The host-network and mounted-config compose files, held to the CLI without a Docker engine;
// make e2e runs them for real with both compose implementations.

func readCompose(t *testing.T, name string) composeFile {
	t.Helper()
	raw, err := os.ReadFile("../../docker/" + name)
	require.NoError(t, err)
	var cf composeFile
	require.NoError(t, yamlv3.Unmarshal(raw, &cf), name)
	return cf
}

// nested matches the ${A:-...${B}...} form, which docker-compose v1 does not interpolate.
var nested = regexp.MustCompile(`\$\{[A-Z0-9_]+:-[^}]*\$\{`)

func TestComposeHostNeedsNoEdits(t *testing.T) {
	cf := readCompose(t, "compose.host.yaml")
	mock, ok := cf.Services["partner-mock"]
	require.True(t, ok)
	suite, ok := cf.Services["contract"]
	require.True(t, ok)
	for name, s := range cf.Services {
		assert.Equal(t, "host", s.NetworkMode, "service %s on the host's network", name)
		assert.Empty(t, s.Ports, "service %s: ports mean nothing on the host's network", name)
	}
	assert.Equal(t, []string{"CMD", "/partner-mock", "healthcheck"}, mock.Healthcheck.Test)
	assert.Equal(t, "service_healthy", suite.DependsOn["partner-mock"].Condition)

	// With and without PARTNER_MOCK_PORT, the mock listens on the host's loopback and the suite
	// reaches it there.
	for _, port := range []string{"", "23456"} {
		expand := func(s string) string {
			if port == "" {
				return interpolate(s)
			}
			return regexp.MustCompile(`\$\{PARTNER_MOCK_PORT:-[^}]*\}`).ReplaceAllString(s, port)
		}
		host, p, err := net.SplitHostPort(expand(mock.Environment["PARTNER_MOCK_ADDR"]))
		require.NoError(t, err)
		assert.Equal(t, "127.0.0.1", host, "loopback only: the mock accepts the demo keys")
		if port != "" {
			assert.Equal(t, port, p)
		}
		u, err := url.Parse(expand(suite.Environment["PARTNER_API_BASE_URL"]))
		require.NoError(t, err)
		assert.Equal(t, net.JoinHostPort(host, p), u.Host)

		for k, v := range suite.Environment {
			t.Setenv(k, expand(v))
		}
		t.Setenv("PARTNER_MOCK_ADDR", expand(mock.Environment["PARTNER_MOCK_ADDR"]))
		assert.NoError(t, parseOnly(t, suite.Command))
		assert.NoError(t, parseOnly(t, mock.Healthcheck.Test[2:]))
	}
}

func TestComposeFilesInterpolateWithComposeV1(t *testing.T) {
	for _, name := range []string{"compose.yaml", "compose.host.yaml", "compose.config.yaml"} {
		raw, err := os.ReadFile("../../docker/" + name)
		require.NoError(t, err)
		assert.Empty(t, nested.FindAllString(string(raw), -1), "%s: docker-compose v1 leaves nested ${...} uninterpolated", name)
	}
}

func TestComposeConfigMountsTheConfigDirectory(t *testing.T) {
	cf := readCompose(t, "compose.config.yaml")
	require.Len(t, cf.Services, 1, "it only adds to the mock")
	mock, ok := cf.Services["partner-mock"]
	require.True(t, ok)
	require.Len(t, mock.Volumes, 1)
	re := regexp.MustCompile(`^\$\{PARTNER_MOCK_CONFIG_DIR:-([^}]+)\}:(/[^:]+):ro$`)
	m := re.FindStringSubmatch(mock.Volumes[0])
	require.NotNil(t, m, "volume %q: ${PARTNER_MOCK_CONFIG_DIR:-DIR}:/MOUNT:ro", mock.Volumes[0])
	// Relative to docker/ (the first compose file's directory): the repository's root, where
	// the recipe in docs/docker-kubernetes.md makes partner-mock-config.
	assert.Equal(t, "../partner-mock-config", m[1])
	assert.Equal(t, m[2]+"/tenants.yaml", mock.Environment["PARTNER_MOCK_CONFIG"])
	t.Setenv("PARTNER_MOCK_CONFIG", mock.Environment["PARTNER_MOCK_CONFIG"])
	assert.NoError(t, parseOnly(t, []string{"serve"}))
}
