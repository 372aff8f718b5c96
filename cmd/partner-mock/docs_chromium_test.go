//go:build chromium

// The reference page checked in a real browser: `make e2e-docs` (and .ci/run) runs this with
// -tags chromium after installing Debian's chromium. It is a build-tagged test so plain
// `go test ./...` does not need a browser; it never skips when it runs.
package main

import (
	"bytes"
	"context"
	"html"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// chromium runs headless Chromium on url with extra arguments and returns its stdout. Every run
// gets a fresh profile, and every host but the mock resolves to nothing, so the page must render
// from what the mock serves alone (no CDN, works offline).
func chromium(t *testing.T, url string, args ...string) []byte {
	t.Helper()
	bin := os.Getenv("CHROMIUM")
	if bin == "" {
		bin = "chromium"
	}
	path, err := exec.LookPath(bin)
	require.NoError(t, err, "headless Chromium is needed: apt-get install -y chromium (or set CHROMIUM)")
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	base := []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run",
		"--user-data-dir=" + t.TempDir(),
		"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
		"--window-size=1280,2400",
	}
	cmd := exec.CommandContext(ctx, path, append(append(base, args...), url)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), "chromium %v failed:\n%s", args, stderr.String())
	return stdout.Bytes()
}

// artifacts is where the screenshot, PDF and DOM go: $E2E_ARTIFACTS (CI keeps it) or a temp dir.
func artifacts(t *testing.T) string {
	dir := os.Getenv("E2E_ARTIFACTS")
	if dir == "" {
		return t.TempDir()
	}
	require.NoError(t, os.MkdirAll(dir, 0o755))
	abs, err := filepath.Abs(dir)
	require.NoError(t, err)
	return abs
}

var (
	scriptOrStyle = regexp.MustCompile(`(?is)<(script|style)\b.*?</(script|style)>`)
	tag           = regexp.MustCompile(`(?s)<[^>]*>`)
	spaces        = regexp.MustCompile(`[ \t]+`)
)

// visibleText is the text of a dumped DOM as a reader sees it: tags, scripts and styles gone,
// entities decoded.
func visibleText(dom []byte) string {
	s := scriptOrStyle.ReplaceAllString(string(dom), "")
	s = tag.ReplaceAllString(s, "")
	return spaces.ReplaceAllString(html.UnescapeString(s), " ")
}

func TestDocsPageInHeadlessChromium(t *testing.T) {
	base, _, logs := startServe(t)
	url := base + "/docs"
	out := artifacts(t)

	dom := chromium(t, url, "--dump-dom")
	require.NoError(t, os.WriteFile(filepath.Join(out, "docs.dom.html"), dom, 0o644))
	text := visibleText(dom)
	for _, want := range []string{
		"Partner api",
		"GET /v1/users/", "GET /v1/users/{user_account_id}/",
		"user_account_id", "product", "crypto_kyc_status", "robo_kyc_status", "created_at_start",
		"per_page", "last_record_number", "sort_order", "sort_key",
		"1 <= value <= 100", "0 <= value", `"asc" | "desc"`,
		"Maximum number of users to return per page.",
		"demo-key", "demo-key-2", "Demo Credit Union",
		"curl -H 'x-api-key: demo-key' '" + base + "/v1/users/?user_account_id=member-001'",
		`"user_account_id": "member-001"`, `"total_current_market_value": "98745.85"`,
		"items[].accounts[].kyc_status",
	} {
		assert.True(t, strings.Contains(text, want), "the rendered page shows %q", want)
	}

	shot := filepath.Join(out, "docs.png")
	chromium(t, url, "--screenshot="+shot, "--hide-scrollbars")
	f, err := os.Open(shot)
	require.NoError(t, err)
	img, err := png.Decode(f)
	f.Close()
	require.NoError(t, err, "the screenshot is a PNG")
	assert.Equal(t, 1280, img.Bounds().Dx())
	dark := 0
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y += 4 {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x += 4 {
			r, g, b, _ := img.At(x, y).RGBA()
			if r+g+b < 3*0x8000 {
				dark++
			}
		}
	}
	assert.Greater(t, dark, 2000, "the screenshot shows text, not a blank page")

	pdf := filepath.Join(out, "docs.pdf")
	chromium(t, url, "--print-to-pdf="+pdf, "--no-pdf-header-footer")
	data, err := os.ReadFile(pdf)
	require.NoError(t, err)
	assert.True(t, bytes.HasPrefix(data, []byte("%PDF-")), "the page prints")
	assert.Greater(t, len(data), 10_000, "the PDF holds the page's text")
	t.Logf("screenshot, PDF and DOM in %s", out)

	// The browser asked the mock for the page and nothing else it would need from the network.
	pathRE := regexp.MustCompile(`path=(\S+)`)
	docs := 0
	for _, line := range strings.Split(logs.String(), "\n") {
		if m := pathRE.FindStringSubmatch(line); m != nil {
			assert.Contains(t, []string{"/docs", "/favicon.ico"}, m[1], "unexpected request: %s", line)
			if m[1] == "/docs" {
				docs++
			}
		}
	}
	assert.Equal(t, 3, docs, "each of the three browser runs loaded /docs once")
}
