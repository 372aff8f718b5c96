package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestBannerListsTheBuiltInKeysWithFaults(t *testing.T) {
	base, stdout, _ := startServe(t, "--chaos-seed", "5")
	out := stdout.String()
	assert.Regexp(t, `Demo Credit Union\s+key demo-key\s+1000 users, \d+ orders \(now [^)]+\)\n`+
		`    key demo-key-slow:  latency 800ms-1.5s on every request\n`+
		`    key demo-key-flaky: error rate 30% \(503 from the load balancer\)\n`+
		`  Demo Savings Bank`, out)
	assert.Contains(t, out, "key faults: a key listed with faults meets them on every request, whatever the client sends "+
		"(Prefer controls still win); random ones replay with --chaos-seed (now 5)\n")
	assert.Contains(t, out, "curl -H 'x-api-key: demo-key' '"+base+"/v1/users/?per_page=2'", "the try line uses a plain key")
}

func TestBannerSaysStrictTurnsKeyFaultsOff(t *testing.T) {
	base, stdout, _ := startServe(t, "--strict")
	out := stdout.String()
	assert.Contains(t, out, "    key demo-key-flaky: off under --strict, otherwise: error rate 30% (503 from the load balancer)\n")
	assert.Contains(t, out, "key faults: off under --strict; every key gets the plain API\n")
	for range 20 {
		status, _ := fetch(t, base+"/v1/users/?per_page=1", "demo-key-flaky")
		assert.Equal(t, 200, status)
	}
}

func TestBannerMasksAPartnersKeysWithFaults(t *testing.T) {
	cfg := strings.Replace(goodConfig, "    api_keys: [beta-key]\n",
		"    api_keys:\n      - key: beta-slow-key\n        faults: {latency: 5ms}\n", 1)
	base, stdout, stderr := startServe(t, "--config", writeConfig(t, cfg, goodPinned))
	out := stdout.String()
	assert.Regexp(t, `Beta Bank\s+key -\s+200 users, \d+ orders \(now [^)]+\)\n    key be…ey: latency 5ms on every request\n`, out)
	assert.NotContains(t, out+stderr.String(), "beta-slow-key", "a partner's key is never echoed")
	assert.Contains(t, out, "key faults: a key listed with faults meets them on every request, whatever the client sends (Prefer controls still win)\n",
		"no seed to mention when nothing is random")
	status, _ := fetch(t, base+"/v1/users/?per_page=1", "beta-slow-key")
	assert.Equal(t, 200, status)
}
