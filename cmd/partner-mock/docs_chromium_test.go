//go:build chromium

// The reference page checked in a real browser: `make e2e-docs` (and .ci/run) runs this with
// -tags chromium after installing Debian's chromium. It is a build-tagged test so plain
// `go test ./...` does not need a browser; it never skips when it runs.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
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

// browser returns the Chromium binary and the flags every run gets: headless, a fresh profile,
// nothing fetched in the background, and every host but the mock resolving to nothing, so the
// page must render from what the mock serves alone (no CDN, works offline).
func browser(t *testing.T) (string, []string) {
	t.Helper()
	bin := os.Getenv("CHROMIUM")
	if bin == "" {
		bin = "chromium"
	}
	path, err := exec.LookPath(bin)
	require.NoError(t, err, "headless Chromium is needed: apt-get install -y chromium (or set CHROMIUM)")
	return path, []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir(),
		"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
	}
}

// chromium runs headless Chromium on url with extra arguments and returns its stdout.
func chromium(t *testing.T, url string, args ...string) []byte {
	t.Helper()
	path, base := browser(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	base = append(base, "--window-size=1280,2400")
	cmd := exec.CommandContext(ctx, path, append(append(base, args...), url)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), "chromium %v failed:\n%s", args, stderr.String())
	return stdout.Bytes()
}

// devtools is a headless Chromium driven over the DevTools protocol on a pipe
// (--remote-debugging-pipe): the browser reads commands on its fd 3 and writes answers and
// events on its fd 4, each message a JSON object ended by a NUL byte. No library, no port.
type devtools struct {
	t      *testing.T
	in     *os.File
	out    *bufio.Reader
	stderr *bytes.Buffer
	next   int
}

type devtoolsMessage struct {
	// ID is 0 for an event.
	ID     int             `json:"id"`
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func startDevtools(t *testing.T) *devtools {
	t.Helper()
	path, args := browser(t)
	browserIn, in, err := os.Pipe()
	require.NoError(t, err)
	outR, browserOut, err := os.Pipe()
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	cmd := exec.CommandContext(ctx, path, append(args, "--remote-debugging-pipe", "about:blank")...)
	cmd.ExtraFiles = []*os.File{browserIn, browserOut} // fds 3 and 4
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())
	browserIn.Close()
	browserOut.Close()
	t.Cleanup(func() {
		in.Close() // the browser exits when its command pipe closes
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cancel()
			<-done
		}
		cancel()
		outR.Close()
	})
	return &devtools{t: t, in: in, out: bufio.NewReader(outR), stderr: &stderr}
}

func (d *devtools) read() devtoolsMessage {
	d.t.Helper()
	raw, err := d.out.ReadBytes(0)
	require.NoError(d.t, err, "chromium closed the DevTools pipe:\n%s", d.stderr.String())
	var m devtoolsMessage
	require.NoError(d.t, json.Unmarshal(raw[:len(raw)-1], &m))
	return m
}

// call sends a command (to a page's session, or to the browser when session is empty) and
// decodes its result into result.
func (d *devtools) call(session, method string, params, result any) {
	d.t.Helper()
	d.next++
	msg := map[string]any{"id": d.next, "method": method, "params": params}
	if session != "" {
		msg["sessionId"] = session
	}
	b, err := json.Marshal(msg)
	require.NoError(d.t, err)
	_, err = d.in.Write(append(b, 0))
	require.NoError(d.t, err)
	for {
		m := d.read()
		if m.ID != d.next {
			continue // an event: none is needed
		}
		require.Nil(d.t, m.Error, "%s: %+v", method, m.Error)
		if result != nil {
			require.NoError(d.t, json.Unmarshal(m.Result, result), "%s: %s", method, m.Result)
		}
		return
	}
}

// eval evaluates a JavaScript expression in the page and decodes its value into v.
func (d *devtools) eval(session, expr string, v any) {
	d.t.Helper()
	var res struct {
		Result struct {
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		ExceptionDetails any `json:"exceptionDetails"`
	}
	d.call(session, "Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true}, &res)
	require.Nil(d.t, res.ExceptionDetails, "evaluating %s", expr)
	require.NoError(d.t, json.Unmarshal(res.Result.Value, v), "evaluating %s: %s", expr, res.Result.Value)
}

// loaded reports the tab's document.readyState and location, or "" while a navigation
// replaces the document (the evaluation then fails, and that is no error).
func (d *devtools) loaded(session string) string {
	d.t.Helper()
	d.next++
	b, err := json.Marshal(map[string]any{"id": d.next, "sessionId": session, "method": "Runtime.evaluate",
		"params": map[string]any{"expression": `document.readyState + " " + location.href`, "returnByValue": true}})
	require.NoError(d.t, err)
	_, err = d.in.Write(append(b, 0))
	require.NoError(d.t, err)
	for {
		m := d.read()
		if m.ID != d.next {
			continue
		}
		var res struct {
			Result struct {
				Value string `json:"value"`
			} `json:"result"`
		}
		if m.Error != nil || json.Unmarshal(m.Result, &res) != nil {
			return ""
		}
		return res.Result.Value
	}
}

// open loads url in a new tab whose viewport is width × height CSS pixels and returns the
// tab's session once the page has loaded.
func (d *devtools) open(url string, width, height int) string {
	d.t.Helper()
	var target struct {
		TargetID string `json:"targetId"`
	}
	d.call("", "Target.createTarget", map[string]any{"url": "about:blank"}, &target)
	var attached struct {
		SessionID string `json:"sessionId"`
	}
	d.call("", "Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}, &attached)
	s := attached.SessionID
	d.call(s, "Emulation.setDeviceMetricsOverride", map[string]any{"width": width, "height": height, "deviceScaleFactor": 1, "mobile": false}, nil)
	d.call(s, "Page.navigate", map[string]any{"url": url}, nil)
	want := fmt.Sprintf("complete %s", url)
	var state string
	for range 400 {
		if state = d.loaded(s); state == want {
			return s
		}
		time.Sleep(50 * time.Millisecond)
	}
	require.Equal(d.t, want, state, "the page loads")
	return s
}

// screenshot saves the tab's viewport as a PNG at path and returns the image's size.
func (d *devtools) screenshot(session, path string) (int, int) {
	d.t.Helper()
	var shot struct {
		Data string `json:"data"`
	}
	d.call(session, "Page.captureScreenshot", map[string]any{"format": "png"}, &shot)
	data, err := base64.StdEncoding.DecodeString(shot.Data)
	require.NoError(d.t, err)
	require.NoError(d.t, os.WriteFile(path, data, 0o644))
	img, err := png.Decode(bytes.NewReader(data))
	require.NoError(d.t, err, "the screenshot is a PNG")
	return img.Bounds().Dx(), img.Bounds().Dy()
}

// layout is what measureLayout reports of the page at one viewport.
type layout struct {
	InnerWidth  float64  `json:"innerWidth"`
	ClientWidth float64  `json:"clientWidth"`
	ScrollWidth float64  `json:"scrollWidth"`
	Overflowing []string `json:"overflowing"`
	Tables      int      `json:"tables"`
}

// measureLayout measures the page's width against the viewport, and lists the elements that
// stick out of the page's column (the body's content box, which lies inside the viewport) on
// either side, or scroll sideways inside themselves: a table wider than the column sticks out
// of it long before it makes the window scroll, and one squeezed into a scroll box would hide
// from the page's own width.
const measureLayout = `(() => {
  const de = document.documentElement, cw = de.clientWidth, out = [];
  const b = document.body.getBoundingClientRect(), bs = getComputedStyle(document.body);
  const left = Math.max(0, b.left + parseFloat(bs.paddingLeft)), right = Math.min(cw, b.right - parseFloat(bs.paddingRight));
  const name = e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className ? "." + String(e.className).replace(/ /g, ".") : "");
  for (const e of document.body.querySelectorAll("*")) {
    const r = e.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.right > right + 0.5 || r.left < left - 0.5) out.push(name(e) + " spans " + Math.round(r.left) + ".." + Math.round(r.right) + " of " + Math.round(left) + ".." + Math.round(right));
    if (e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== "visible") out.push(name(e) + " scrolls " + e.scrollWidth + " > " + e.clientWidth);
  }
  return {innerWidth: innerWidth, clientWidth: cw, scrollWidth: de.scrollWidth, overflowing: out.slice(0, 20), tables: document.querySelectorAll("table").length};
})()`

// artifacts is where the screenshots, PDF and DOM go: $E2E_ARTIFACTS (CI keeps it) or a temp dir.
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
		"Partner API",
		"GET /v1/users/", "GET /v1/users/{user_account_id}/", "GET /v1/orders/", "GET /v1/orders/{order_id}/",
		"user_account_id", "product", "crypto_kyc_status", "robo_kyc_status", "created_at_start",
		"per_page", "last_record_number", "sort_order", "sort_key", "side", "placed_at_start",
		"1 <= value <= 100", "0 <= value",
		// Plain types and every allowed value, the sort key's from the mock.
		"one of asc, desc", "one of created_at, user_account_id", "one of crypto, securities, roth_ira, robo",
		"one of buy, sell", "one of pending, completed, cancelled, failed", "date-time",
		"Maximum number of users to return per page.",
		// The docstrings as prose.
		"Authentication\nResolved Partner API key, providing the FI scope for the lookup.",
		"Partner-supplied user identifier (e.g. CIF, member number).",
		"When no user exists for the given account ID within the partner's FI.",
		"demo-key", "demo-key-2", "Demo Credit Union",
		"curl -H 'x-api-key: demo-key' '" + base + "/v1/users/?user_account_id=member-001'",
		"curl -H 'x-api-key: demo-key' '" + base + "/v1/orders/3f2b8c1e-6a4d-4e9f-8b2a-1c5d7e9f0a11/'",
		`"user_account_id": "member-001"`, `"total_current_market_value": "98745.85"`,
		`"order_id": "3f2b8c1e-6a4d-4e9f-8b2a-1c5d7e9f0a11"`,
		"items[].accounts[].kyc_status",
		// Every answer with its body.
		"www-authenticate: APIKey", `"detail": "Not authenticated"`, `"detail": "Invalid API key"`,
		`"detail": "User not found"`, `"detail": "Order not found"`, `"type": "greater_than_equal"`,
	} {
		assert.True(t, strings.Contains(text, want), "the rendered page shows %q", want)
	}
	for _, gone := range []string{"Partner api", ":param", ":return:", ":raises", "HTTPException", "| null", "PartnerUserListSortOrder", "KycStatus", "PartnerUser"} {
		assert.False(t, strings.Contains(text, gone), "the rendered page no longer shows %q", gone)
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

	// Laptop screens (and a phone, where the tables stack): the page never needs a sideways
	// scroll, and nothing sticks out of its column or hides in a scroll box.
	viewports := []struct{ width, height int }{{1280, 800}, {1366, 768}, {390, 844}}
	d := startDevtools(t)
	for _, vp := range viewports {
		s := d.open(url, vp.width, vp.height)
		var m layout
		d.eval(s, measureLayout, &m)
		t.Logf("%dx%d: innerWidth %v, clientWidth %v, scrollWidth %v", vp.width, vp.height, m.InnerWidth, m.ClientWidth, m.ScrollWidth)
		assert.Equal(t, float64(vp.width), m.InnerWidth, "the viewport is %d wide", vp.width)
		assert.Greater(t, m.Tables, 10, "the page was measured with its tables")
		assert.LessOrEqual(t, m.ScrollWidth, m.InnerWidth, "at %d wide the page does not overflow the window", vp.width)
		assert.LessOrEqual(t, m.ScrollWidth, m.ClientWidth, "at %d wide the page fits beside the scrollbar", vp.width)
		assert.Empty(t, m.Overflowing, "at %d wide no element sticks out of the page's column or scrolls sideways", vp.width)
		w, h := d.screenshot(s, filepath.Join(out, fmt.Sprintf("docs-%dx%d.png", vp.width, vp.height)))
		assert.Equal(t, []int{vp.width, vp.height}, []int{w, h}, "the screenshot is the viewport")
	}
	t.Logf("screenshots, PDF and DOM in %s", out)

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
	assert.Equal(t, 3+len(viewports), docs, "each browser run and each viewport loaded /docs once")
}
