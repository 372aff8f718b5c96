package main

import (
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/alecthomas/kong"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	yamlv3 "go.yaml.in/yaml/v3"
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"

	"github.com/cryptofi/partner-mock/mock/app"
)

// These tests hold deploy/kubernetes to the binary and the image it runs: every manifest decodes
// strictly into the Kubernetes API types (a misspelt or misplaced field fails), the commands and
// variables are the CLI's own, the probes and ports agree, and the ConfigMap's tenants and the
// Job's keys work together against the real serve and contract commands.

const k8sDir = "../../deploy/kubernetes"

// decodeManifest decodes one manifest strictly: unknown or duplicate fields are errors.
func decodeManifest(t *testing.T, name string, into any) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(k8sDir, name))
	require.NoError(t, err)
	require.NoError(t, yaml.UnmarshalStrict(raw, into), "%s does not decode strictly into %T", name, into)
}

type manifests struct {
	deployment appsv1.Deployment
	service    corev1.Service
	configMap  corev1.ConfigMap
	job        batchv1.Job
}

func loadManifests(t *testing.T) manifests {
	t.Helper()
	var m manifests
	decodeManifest(t, "deployment.yaml", &m.deployment)
	decodeManifest(t, "service.yaml", &m.service)
	decodeManifest(t, "configmap.yaml", &m.configMap)
	decodeManifest(t, "contract-job.yaml", &m.job)
	return m
}

func TestKubernetesManifestsAreKnownKinds(t *testing.T) {
	entries, err := os.ReadDir(k8sDir)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	assert.ElementsMatch(t, []string{"configmap.yaml", "contract-job.yaml", "deployment.yaml", "service.yaml"}, names,
		"every manifest is decoded by these tests")

	m := loadManifests(t)
	tests := []struct {
		file, apiVersion, kind string
		got                    [2]string
	}{
		{"deployment.yaml", "apps/v1", "Deployment", [2]string{m.deployment.APIVersion, m.deployment.Kind}},
		{"service.yaml", "v1", "Service", [2]string{m.service.APIVersion, m.service.Kind}},
		{"configmap.yaml", "v1", "ConfigMap", [2]string{m.configMap.APIVersion, m.configMap.Kind}},
		{"contract-job.yaml", "batch/v1", "Job", [2]string{m.job.APIVersion, m.job.Kind}},
	}
	for _, tt := range tests {
		assert.Equal(t, [2]string{tt.apiVersion, tt.kind}, tt.got, tt.file)
	}
}

func TestStrictDecodingCatchesAMisplacedField(t *testing.T) {
	// The check above means something only if a wrong field fails: readinessProbe one level too
	// high, in the pod instead of the container.
	bad := []byte("apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      readinessProbe: {}\n")
	assert.Error(t, yaml.UnmarshalStrict(bad, &appsv1.Deployment{}))
}

// container returns the only container of a pod spec.
func container(t *testing.T, spec corev1.PodSpec) corev1.Container {
	t.Helper()
	require.Len(t, spec.Containers, 1)
	return spec.Containers[0]
}

func envOf(c corev1.Container) map[string]string {
	env := map[string]string{}
	for _, e := range c.Env {
		env[e.Name] = e.Value
	}
	return env
}

// cliEnvs lists the environment variables the command reads, from the real command line.
func cliEnvs(t *testing.T, command string) []string {
	t.Helper()
	var c cli
	parser, err := kong.New(&c, kong.Name("partner-mock"))
	require.NoError(t, err)
	for _, node := range parser.Model.Children {
		if node.Name != command {
			continue
		}
		var envs []string
		for _, group := range node.AllFlags(false) {
			for _, f := range group {
				envs = append(envs, f.Envs...)
			}
		}
		return envs
	}
	t.Fatalf("no command %s", command)
	return nil
}

// makefileImage is the image name make docker builds by default.
func makefileImage(t *testing.T) string {
	t.Helper()
	raw, err := os.ReadFile("../../Makefile")
	require.NoError(t, err)
	m := regexp.MustCompile(`(?m)^IMAGE \?= (\S+)$`).FindSubmatch(raw)
	require.NotNil(t, m, "Makefile: IMAGE ?= NAME")
	return string(m[1])
}

// checkHardened holds a container to the restricted Pod Security Standard's requirements.
func checkHardened(t *testing.T, pod corev1.PodSpec, c corev1.Container) {
	t.Helper()
	df := dockerfile(t)
	uid, gid, ok := strings.Cut(df["USER"], ":")
	require.True(t, ok, "Dockerfile USER uid:gid")
	psc := pod.SecurityContext
	require.NotNil(t, psc)
	require.NotNil(t, psc.RunAsNonRoot)
	assert.True(t, *psc.RunAsNonRoot)
	require.NotNil(t, psc.RunAsUser)
	assert.Equal(t, uid, strconv.FormatInt(*psc.RunAsUser, 10), "the image's own user")
	require.NotNil(t, psc.RunAsGroup)
	assert.Equal(t, gid, strconv.FormatInt(*psc.RunAsGroup, 10))
	require.NotNil(t, psc.SeccompProfile)
	assert.Equal(t, corev1.SeccompProfileTypeRuntimeDefault, psc.SeccompProfile.Type)
	require.NotNil(t, pod.AutomountServiceAccountToken)
	assert.False(t, *pod.AutomountServiceAccountToken, "the mock never talks to the API server")

	sc := c.SecurityContext
	require.NotNil(t, sc)
	require.NotNil(t, sc.ReadOnlyRootFilesystem)
	assert.True(t, *sc.ReadOnlyRootFilesystem)
	require.NotNil(t, sc.AllowPrivilegeEscalation)
	assert.False(t, *sc.AllowPrivilegeEscalation)
	require.NotNil(t, sc.Capabilities)
	assert.Equal(t, []corev1.Capability{"ALL"}, sc.Capabilities.Drop)

	assert.Equal(t, makefileImage(t), c.Image, "the image make docker builds")
	assert.Equal(t, corev1.PullIfNotPresent, c.ImagePullPolicy, "a locally loaded image is used as is")
	for _, res := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
		req, ok := c.Resources.Requests[res]
		require.True(t, ok, "requests.%s", res)
		limit, ok := c.Resources.Limits[res]
		require.True(t, ok, "limits.%s", res)
		assert.LessOrEqual(t, req.Cmp(limit), 0, "%s: request %s over limit %s", res, req.String(), limit.String())
	}
}

func TestKubernetesDeployment(t *testing.T) {
	m := loadManifests(t)
	d := m.deployment
	require.NotNil(t, d.Spec.Replicas)
	assert.Equal(t, int32(3), *d.Spec.Replicas)
	require.NotNil(t, d.Spec.Selector)
	assert.Equal(t, d.Spec.Selector.MatchLabels, d.Spec.Template.Labels, "the selector picks the pods")
	pod := d.Spec.Template.Spec
	c := container(t, pod)
	checkHardened(t, pod, c)

	// The memory limit leaves room above the Go runtime's soft limit.
	env := envOf(c)
	require.Contains(t, env, "GOMEMLIMIT")
	mib, ok := strings.CutSuffix(env["GOMEMLIMIT"], "MiB")
	require.True(t, ok, "GOMEMLIMIT in MiB")
	soft, err := strconv.ParseInt(mib, 10, 64)
	require.NoError(t, err)
	limit := c.Resources.Limits[corev1.ResourceMemory]
	assert.Less(t, soft<<20, limit.Value(), "GOMEMLIMIT under the container's memory limit")

	// Every other variable is one serve reads, and the args parse with them set.
	serveEnvs := cliEnvs(t, "serve")
	for name, value := range env {
		if name == "GOMEMLIMIT" {
			continue
		}
		assert.Contains(t, serveEnvs, name, "serve reads %s", name)
		t.Setenv(name, value)
	}
	require.Equal(t, "serve", c.Args[0])
	assert.NoError(t, parseOnly(t, c.Args), "args %v", c.Args)
	assert.Empty(t, c.Command, "the image's entrypoint is the binary")

	// The probes reach /healthz on the port serve listens on.
	host, port, err := net.SplitHostPort(env["PARTNER_MOCK_ADDR"])
	require.NoError(t, err)
	assert.Equal(t, "0.0.0.0", host, "reachable from the kubelet and the Service")
	require.Len(t, c.Ports, 1)
	assert.Equal(t, port, strconv.Itoa(int(c.Ports[0].ContainerPort)))
	probes := map[string]*corev1.Probe{"startup": c.StartupProbe, "readiness": c.ReadinessProbe, "liveness": c.LivenessProbe}
	for name, p := range probes {
		require.NotNil(t, p, "%s probe", name)
		require.NotNil(t, p.HTTPGet, "%s probe is an HTTP GET", name)
		assert.Equal(t, "/healthz", p.HTTPGet.Path, name)
		assert.True(t, p.HTTPGet.Port.String() == c.Ports[0].Name || p.HTTPGet.Port.IntValue() == int(c.Ports[0].ContainerPort),
			"%s probe port %s is the container's port", name, p.HTTPGet.Port.String())
	}

	// The config file is on a mount of the ConfigMap.
	mountPath, vol := configVolume(t, pod, c, env["PARTNER_MOCK_CONFIG"])
	assert.Equal(t, "/config", mountPath)
	assert.Equal(t, m.configMap.Name, vol.ConfigMap.Name)

	// The commented option that pins the clock of every replica names the mock's clock flags.
	raw, err := os.ReadFile(filepath.Join(k8sDir, "deployment.yaml"))
	require.NoError(t, err)
	clockArgs := regexp.MustCompile(`(?m)^\s*# args: (\[.*"--clock".*\])$`).FindSubmatch(raw)
	require.NotNil(t, clockArgs, "deployment.yaml: a commented args line with --clock")
	pinned := jsonArgs(t, string(clockArgs[1]))
	for _, flag := range []string{"--clock", "--clock-start", "--clock-speed"} {
		assert.Contains(t, pinned, flag)
	}
	assert.NoError(t, parseOnly(t, pinned), "the commented clock args parse with serve's real flags")
}

// configVolume returns where the ConfigMap volume holding path is mounted, and the volume.
func configVolume(t *testing.T, pod corev1.PodSpec, c corev1.Container, path string) (string, corev1.Volume) {
	t.Helper()
	for _, vm := range c.VolumeMounts {
		if !strings.HasPrefix(path, vm.MountPath+"/") {
			continue
		}
		assert.True(t, vm.ReadOnly, "the config mount is read-only")
		for _, v := range pod.Volumes {
			if v.Name == vm.Name {
				require.NotNil(t, v.ConfigMap, "volume %s is a ConfigMap", v.Name)
				return vm.MountPath, v
			}
		}
	}
	t.Fatalf("no ConfigMap volume mounted above %s", path)
	return "", corev1.Volume{}
}

// materialize writes the ConfigMap's files into dir as the volume mounts them: with items, only
// the listed keys, each at its path.
func materialize(t *testing.T, cm corev1.ConfigMap, vol corev1.Volume, dir string) {
	t.Helper()
	items := vol.ConfigMap.Items
	require.NotEmpty(t, items, "items put the pinned files back under pinned/")
	var listed []string
	for _, it := range items {
		data, ok := cm.Data[it.Key]
		require.True(t, ok, "volume item %s is a key of the ConfigMap", it.Key)
		listed = append(listed, it.Key)
		p := filepath.Join(dir, filepath.FromSlash(it.Path))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(data), 0o644))
	}
	for key := range cm.Data {
		assert.Contains(t, listed, key, "ConfigMap key %s is mounted (volume items)", key)
	}
}

func TestKubernetesServiceAndJobReachTheMock(t *testing.T) {
	m := loadManifests(t)
	pod := m.deployment.Spec.Template.Spec
	mock := container(t, pod)

	svc := m.service
	assert.Equal(t, m.deployment.Spec.Template.Labels, svc.Spec.Selector, "the Service selects the Deployment's pods")
	require.Len(t, svc.Spec.Ports, 1)
	sp := svc.Spec.Ports[0]
	assert.True(t, sp.TargetPort.String() == mock.Ports[0].Name || sp.TargetPort.IntValue() == int(mock.Ports[0].ContainerPort),
		"the Service's targetPort %s is the container's port", sp.TargetPort.String())

	job := m.job
	jpod := job.Spec.Template.Spec
	c := container(t, jpod)
	checkHardened(t, jpod, c)
	assert.Equal(t, corev1.RestartPolicyNever, jpod.RestartPolicy)
	require.NotNil(t, job.Spec.PodFailurePolicy)
	require.Len(t, job.Spec.PodFailurePolicy.Rules, 1)
	rule := job.Spec.PodFailurePolicy.Rules[0]
	assert.Equal(t, batchv1.PodFailurePolicyActionFailJob, rule.Action)
	require.NotNil(t, rule.OnExitCodes)
	assert.Equal(t, []int32{1, 2}, rule.OnExitCodes.Values, "a failed check or bad flags fail at once; 3 (unreachable) is retried")
	require.NotNil(t, rule.OnExitCodes.ContainerName)
	assert.Equal(t, c.Name, *rule.OnExitCodes.ContainerName)

	env := envOf(c)
	contractEnvs := cliEnvs(t, "contract")
	for name, value := range env {
		assert.Contains(t, contractEnvs, name, "contract reads %s", name)
		t.Setenv(name, value)
	}
	require.Equal(t, "contract", c.Args[0])
	require.NoError(t, parseOnly(t, c.Args), "args %v", c.Args)

	target, err := url.Parse(env["PARTNER_API_BASE_URL"])
	require.NoError(t, err)
	assert.Equal(t, "http", target.Scheme)
	assert.Equal(t, svc.Name, target.Hostname(), "the Job reaches the mock through the Service")
	assert.Equal(t, strconv.Itoa(int(sp.Port)), target.Port())
	assert.Equal(t, "/v1", target.Path)

	// The ConfigMap, mounted as the Deployment mounts it, is a valid tenants config whose keys
	// include the Job's two, of two different tenants...
	mockEnv := envOf(mock)
	mountPath, vol := configVolume(t, pod, mock, mockEnv["PARTNER_MOCK_CONFIG"])
	dir := t.TempDir()
	materialize(t, m.configMap, vol, dir)
	configFile := filepath.Join(dir, strings.TrimPrefix(mockEnv["PARTNER_MOCK_CONFIG"], mountPath+"/"))
	var cfg app.Config
	require.NoError(t, app.UseTenantsFile(&cfg, configFile))
	a, err := app.New(cfg)
	require.NoError(t, err, "the ConfigMap's tenants load")
	fi1, ok1 := a.TenantForKey(env["PARTNER_API_KEY"])
	fi2, ok2 := a.TenantForKey(env["PARTNER_API_KEY_2"])
	require.True(t, ok1 && ok2, "the Job's keys are keys of the ConfigMap's tenants")
	assert.NotEqual(t, fi1, fi2, "the isolation checks need two tenants")
	// ...and it is the built-in tenants, file for file, as the comment at its top promises.
	for _, name := range []string{"tenants.yaml", "pinned/demo-credit-union.yaml", "pinned/demo-credit-union-orders.yaml"} {
		want, err := os.ReadFile(filepath.Join("..", "..", "fixtures", name))
		require.NoError(t, err)
		got, err := os.ReadFile(filepath.Join(filepath.Dir(configFile), name))
		require.NoError(t, err, "%s is mounted next to tenants.yaml", name)
		assert.Equal(t, string(want), string(got), "the ConfigMap's %s is the fixture's", name)
	}

	// ...and the Job's command passes against serve run with the Deployment's args and variables
	// (on loopback here, instead of the Service).
	for name, value := range mockEnv {
		if name != "GOMEMLIMIT" && name != "PARTNER_MOCK_ADDR" {
			t.Setenv(name, value)
		}
	}
	t.Setenv("PARTNER_MOCK_CONFIG", configFile)
	base, _, _ := startServe(t, mock.Args[1:]...)
	t.Setenv("PARTNER_API_BASE_URL", base+"/v1")
	code, stdout, stderr := runCmd(c.Args...)
	assert.Equal(t, 0, code, "stdout:\n%s\nstderr:\n%s", stdout, stderr)
}

func TestImageNameAgrees(t *testing.T) {
	image := makefileImage(t)
	for _, f := range []string{"compose.yaml", "compose.host.yaml"} {
		raw, err := os.ReadFile(filepath.Join("../../docker", f))
		require.NoError(t, err)
		var cf composeFile
		require.NoError(t, yamlv3.Unmarshal(raw, &cf), f)
		require.NotEmpty(t, cf.Services, f)
		for name, s := range cf.Services {
			assert.Equal(t, image, interpolate(s.Image), "%s: service %s", f, name)
		}
	}
	docs, err := os.ReadFile("../../docs/docker-kubernetes.md")
	require.NoError(t, err)
	assert.Contains(t, string(docs), "make docker")
	// Image names in commands: partner-mock:TAG, not preceded by a registry ("example.com/") and
	// not the compose or Kubernetes host name with its port.
	names := regexp.MustCompile(`(?:^|[^/\w.-])(partner-mock:[a-z0-9.]+)`).FindAllStringSubmatch(string(docs), -1)
	require.NotEmpty(t, names)
	for _, m := range names {
		if _, err := strconv.Atoi(strings.TrimPrefix(m[1], "partner-mock:")); err == nil {
			continue // partner-mock:8000, a host and port
		}
		assert.Equal(t, image, m[1], "docs/docker-kubernetes.md names the image make docker builds")
	}
}

func TestMakefileIsTidy(t *testing.T) {
	raw, err := os.ReadFile("../../Makefile")
	require.NoError(t, err)
	text := string(raw)
	assert.NotContains(t, text, "apt-get", "make installs nothing: scripts/install-tools.sh does")

	phonyDecls := regexp.MustCompile(`(?m)^\.PHONY:((?:.*\\\n)*.*)$`).FindAllStringSubmatch(text, -1)
	require.Len(t, phonyDecls, 1, "one .PHONY list")
	phony := strings.Fields(strings.ReplaceAll(phonyDecls[0][1], "\\\n", " "))

	lines := strings.Split(text, "\n")
	var targets []string
	for i, line := range lines {
		m := regexp.MustCompile(`^([a-z0-9-]+):([^=]|$)`).FindStringSubmatch(line)
		if m == nil {
			continue
		}
		name := m[1]
		targets = append(targets, name)
		// The comment block right above the target starts with "# name: ".
		j := i - 1
		for j >= 0 && strings.HasPrefix(lines[j], "# ") && !strings.HasPrefix(lines[j], "# "+name+": ") {
			j--
		}
		assert.True(t, j >= 0 && strings.HasPrefix(lines[j], "# "+name+": "), "target %s has a comment starting '# %s: '", name, name)
	}
	slices.Sort(targets)
	slices.Sort(phony)
	assert.Equal(t, targets, phony, ".PHONY lists exactly the targets defined")
}
