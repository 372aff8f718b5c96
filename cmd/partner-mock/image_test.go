package main

import (
	"encoding/json"
	"net"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/alecthomas/kong"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

// These tests hold docker/Dockerfile and docker/compose.yaml to the CLI they drive, without a
// Docker engine: every command line in them must parse, and the ports, probe and start order
// must agree. make e2e then runs them for real.

// parseOnly parses args with the real command line, as the binary would, without running them.
func parseOnly(t *testing.T, args []string) error {
	t.Helper()
	var c cli
	parser, err := kong.New(&c, kong.Name("partner-mock"), kong.Exit(func(int) { t.Fatalf("%v exited", args) }))
	require.NoError(t, err)
	_, err = parser.Parse(args)
	return err
}

// dockerfile is what the tests read from docker/Dockerfile: instruction → its arguments.
func dockerfile(t *testing.T) map[string]string {
	t.Helper()
	raw, err := os.ReadFile("../../docker/Dockerfile")
	require.NoError(t, err)
	text := strings.ReplaceAll(string(raw), "\\\n", " ") // join continued lines
	out := map[string]string{}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		instr, args, _ := strings.Cut(line, " ")
		out[strings.ToUpper(instr)] = strings.TrimSpace(args)
	}
	return out
}

func jsonArgs(t *testing.T, s string) []string {
	t.Helper()
	var v []string
	require.NoError(t, json.Unmarshal([]byte(s), &v), "want a JSON array (exec form), got %s", s)
	return v
}

func TestDockerfileRunsTheBinaryAsNonRoot(t *testing.T) {
	df := dockerfile(t)
	assert.Equal(t, "scratch", df["FROM"], "FROM scratch: building must pull nothing")
	assert.Equal(t, []string{"/partner-mock"}, jsonArgs(t, df["ENTRYPOINT"]))
	assert.Regexp(t, `^[1-9][0-9]*:[1-9][0-9]*$`, df["USER"], "a numeric, non-root uid:gid (scratch has no /etc/passwd)")

	addr, ok := strings.CutPrefix(df["ENV"], "PARTNER_MOCK_ADDR=")
	require.True(t, ok, "ENV PARTNER_MOCK_ADDR=...: serve and healthcheck both read it")
	host, port, err := net.SplitHostPort(addr)
	require.NoError(t, err)
	assert.Equal(t, "0.0.0.0", host, "reachable from outside the container")
	assert.Equal(t, port, df["EXPOSE"])

	t.Setenv("PARTNER_MOCK_ADDR", addr)
	cmd := jsonArgs(t, df["CMD"])
	assert.Equal(t, "serve", cmd[0])
	assert.NoError(t, parseOnly(t, cmd), "CMD %v", cmd)

	hc := regexp.MustCompile(`CMD\s+(\[.*\])$`).FindStringSubmatch(df["HEALTHCHECK"])
	require.Len(t, hc, 2, "HEALTHCHECK ... CMD [exec form]: %s", df["HEALTHCHECK"])
	probe := jsonArgs(t, hc[1])
	require.Equal(t, "/partner-mock", probe[0])
	assert.Equal(t, "healthcheck", probe[1])
	assert.NoError(t, parseOnly(t, probe[1:]), "HEALTHCHECK %v", probe)
	got, err := (&healthcheckCmd{Addr: addr}).target()
	require.NoError(t, err)
	assert.Equal(t, "http://127.0.0.1:"+port+"/healthz", got, "the probe reaches serve through loopback")
}

// composeFile is what the tests read of a compose file (docker/compose*.yaml).
type composeFile struct {
	Services map[string]struct {
		Image       string            `yaml:"image"`
		NetworkMode string            `yaml:"network_mode"`
		Command     []string          `yaml:"command"`
		Environment map[string]string `yaml:"environment"`
		Ports       []string          `yaml:"ports"`
		Volumes     []string          `yaml:"volumes"`
		Healthcheck struct {
			Test []string `yaml:"test"`
		} `yaml:"healthcheck"`
		DependsOn map[string]struct {
			Condition string `yaml:"condition"`
		} `yaml:"depends_on"`
	} `yaml:"services"`
}

// interpolate resolves compose's ${VAR:-default} to its default, as a shell without VAR would.
func interpolate(s string) string {
	return regexp.MustCompile(`\$\{[A-Z0-9_]+:-([^}]*)\}`).ReplaceAllString(s, "$1")
}

func TestComposeWiresTheSuiteToTheHealthyMock(t *testing.T) {
	raw, err := os.ReadFile("../../docker/compose.yaml")
	require.NoError(t, err)
	var cf composeFile
	require.NoError(t, yaml.Unmarshal(raw, &cf))
	mock, ok := cf.Services["partner-mock"]
	require.True(t, ok, "service partner-mock")
	suite, ok := cf.Services["contract"]
	require.True(t, ok, "service contract")

	assert.Equal(t, "partner-mock:dev", interpolate(mock.Image), "the image make docker builds")
	assert.Equal(t, mock.Image, suite.Image)
	assert.Equal(t, []string{"CMD", "/partner-mock", "healthcheck"}, mock.Healthcheck.Test)
	assert.Equal(t, "service_healthy", suite.DependsOn["partner-mock"].Condition, "the suite waits for the mock's healthcheck")

	_, port, err := net.SplitHostPort(mock.Environment["PARTNER_MOCK_ADDR"])
	require.NoError(t, err)
	assert.Equal(t, []string{"127.0.0.1:" + port + ":" + port}, mock.Ports, "published on the host's loopback only")
	assert.Equal(t, "http://partner-mock:"+port+"/v1", interpolate(suite.Environment["PARTNER_API_BASE_URL"]))

	for k, v := range suite.Environment {
		t.Setenv(k, interpolate(v))
	}
	assert.NoError(t, parseOnly(t, suite.Command), "contract command %v", suite.Command)
}
