//go:build perf

package httpapi_test

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	"sigs.k8s.io/yaml"

	"github.com/cryptofi/partner-mock/mock/internal/perftable"
)

// The Kubernetes sizing rows of `make bench`: what the Deployment's resource requests and limits
// (deploy/kubernetes/deployment.yaml) are measured against. Each tenant set is served as the
// Deployment serves it (its GOMEMLIMIT), loaded for sizingLoad by wrk over its list pages, then
// checked by a contract run; the rows give resident memory once ready and at its peak, and the
// CPU time start-up took.

const (
	sizingLoad     = 30 * time.Second
	deploymentFile = "../../../deploy/kubernetes/deployment.yaml"
	builtinKey     = "demo-key"
	builtinKey2    = "demo-key-2"
	msPerClockTick = 10 // Linux's USER_HZ: 100 ticks a second
)

// sizingPaths are the list pages the load cycles through: the defaults and the largest pages.
var sizingPaths = []string{"/v1/users/", "/v1/orders/", "/v1/users/?per_page=100", "/v1/orders/?per_page=100&sort_order=asc"}

func TestPerfDeploymentSizing(t *testing.T) {
	wrk, err := exec.LookPath("wrk")
	require.NoError(t, err, "make bench needs wrk: bash scripts/install-tools.sh wrk")
	raw, err := os.ReadFile(deploymentFile)
	require.NoError(t, err)
	var d appsv1.Deployment
	require.NoError(t, yaml.UnmarshalStrict(raw, &d))
	c := d.Spec.Template.Spec.Containers[0]
	request, limit := c.Resources.Requests.Memory(), c.Resources.Limits.Memory()
	var env []string
	for _, e := range c.Env {
		if e.Name == "GOMEMLIMIT" {
			env = append(env, "GOMEMLIMIT="+e.Value)
		}
	}
	require.NotEmpty(t, env, "the Deployment sets GOMEMLIMIT")
	mib := func(bytes int64) float64 { return float64(bytes) / (1 << 20) }

	bin := buildMock(t)
	dir := t.TempDir()
	for _, tc := range []struct {
		name       string
		args       []string
		key, key2  string
		readyLimit float64 // MiB: what the tenants may hold once ready
	}{
		{"built-in tenants (1,000 + 250 users and their orders)", nil, builtinKey, builtinKey2, mib(request.Value())},
		{"one 100,000-user tenant with its orders", []string{"--api-key", perfKey, "--users", "100000"}, perfKey, "", mib(limit.Value())},
	} {
		p := launch(t, bin, env, tc.args...)
		pid := p.cmd.Process.Pid
		ready, startCPU := procStatusMB(t, pid, "VmRSS"), cpuMS(t, pid)
		runWrkFor(t, wrk, dir, p.base, tc.key, sizingLoad, sizingPaths)
		args := []string{"contract", "--base-url", p.base + "/v1", "--api-key", tc.key}
		if tc.key2 != "" {
			args = append(args, "--api-key-2", tc.key2)
		}
		out, err := exec.Command(bin, args...).CombinedOutput()
		require.NoError(t, err, "the contract suite against %s:\n%s", tc.name, out)
		peak := procStatusMB(t, pid, "VmHWM")
		p.stop()

		perftable.Row("k8s sizing", tc.name+": resident once ready", fmt.Sprintf("%.0f MiB", ready),
			fmt.Sprintf("%s to start, %.0f ms of CPU", ms(p.ready), startCPU), "", fmt.Sprintf("≤ %.0f MiB", tc.readyLimit), ready <= tc.readyLimit)
		perftable.Row("k8s sizing", fmt.Sprintf("%s: resident at most, after %s of wrk load and a contract run", tc.name, sizingLoad), fmt.Sprintf("%.0f MiB", peak),
			"memory limit "+limit.String(), "", fmt.Sprintf("≤ %.0f MiB", mib(limit.Value())), peak <= mib(limit.Value()))
	}
}

// cpuMS reads the CPU time (user and system) a process has used, from /proc/PID/stat.
func cpuMS(t *testing.T, pid int) float64 {
	t.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	require.NoError(t, err)
	// The command name, field 2, is in parentheses and may hold spaces: count from after it.
	fields := strings.Fields(string(data[strings.LastIndexByte(string(data), ')')+1:]))
	utime, err := strconv.ParseFloat(fields[11], 64) // field 14
	require.NoError(t, err)
	stime, err := strconv.ParseFloat(fields[12], 64) // field 15
	require.NoError(t, err)
	return (utime + stime) * msPerClockTick
}
