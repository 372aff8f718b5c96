package contract_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/contract"
)

func TestDriftMockAgainstItselfFindsNothing(t *testing.T) {
	a := mockServer(t, newMock(t).Handler)
	b := mockServer(t, newMock(t).Handler)
	rep, err := contract.Drift(context.Background(), contract.Config{BaseURL: a, APIKey: "demo-key"}, contract.Target{BaseURL: b, APIKey: "demo-key-2"})
	require.NoError(t, err)
	assert.Empty(t, rep.Differences, "two mocks answer the probe set alike, whichever FI the key belongs to")
	assert.Greater(t, rep.Probes, 50)
	assert.Equal(t, 2*rep.Probes, rep.Requests)
}

func TestDriftListsEveryDifference(t *testing.T) {
	h := newMock(t).Handler
	// B: no www-authenticate challenge, a wrong 422 loc, and 404 instead of the 307.
	broken := rewriteResponse(h, func(_ *http.Request, status int, hd http.Header, body []byte) (int, []byte) {
		hd.Del("www-authenticate")
		if status == http.StatusTemporaryRedirect {
			hd.Del("location")
			hd.Set("content-type", "application/json")
			return http.StatusNotFound, []byte(`{"detail":"Not Found"}`)
		}
		return status, regexp.MustCompile(`"loc":\["query","per_page"\]`).ReplaceAll(body, []byte(`"loc":["per_page"]`))
	})
	a := mockServer(t, h)
	b := mockServer(t, broken)
	rep, err := contract.Drift(context.Background(), contract.Config{BaseURL: a, APIKey: "demo-key"}, contract.Target{BaseURL: b, APIKey: "demo-key"})
	require.NoError(t, err)
	require.False(t, rep.OK())

	type key struct{ probe, what string }
	got := map[key]contract.Difference{}
	for _, d := range rep.Differences {
		got[key{d.Probe, d.What}] = d
	}
	for _, want := range []struct{ probe, what, a, b string }{
		{"auth: missing key", "header www-authenticate", "APIKey", ""},
		{"auth: empty key", "header www-authenticate", "APIKey", ""},
		{"path: list without slash", "status", "307", "404"},
		{"path: list without slash", "header location", "/v1/users/?per_page=1", ""},
		{"path: detail without slash", "status", "307", "404"},
		{`param: per_page="0"`, "body", `"loc":["query","per_page"]`, `"loc":["per_page"]`},
		{`param: per_page="abc"`, "body", `"loc":["query","per_page"]`, `"loc":["per_page"]`},
	} {
		d, ok := got[key{want.probe, want.what}]
		if assert.True(t, ok, "difference %q / %q is listed", want.probe, want.what) {
			assert.Contains(t, d.A, want.a)
			assert.Contains(t, d.B, want.b)
			assert.Contains(t, d.CurlB, b, "the curl line for B goes to B")
		}
	}
	assert.Contains(t, got[key{`param: per_page="0"`, "body"}].CurlB, "$PARTNER_API_COMPARE_KEY", "B's key is read from the environment")
	_, ok := got[key{`param: last_record_number="-1"`, "body"}]
	assert.False(t, ok, "last_record_number's errors are unchanged, so not listed")

	var out bytes.Buffer
	require.NoError(t, rep.WriteSummary(&out))
	assert.Contains(t, out.String(), "DIFF path: list without slash: status")
	assert.NotContains(t, out.String(), "demo-key", "keys are redacted")
	var junit bytes.Buffer
	require.NoError(t, rep.WriteJUnit(&junit))
	var doc junitDoc
	require.NoError(t, xml.Unmarshal(junit.Bytes(), &doc), "valid XML")
	assert.Equal(t, rep.Probes, doc.Tests, "one test case per probe")
	probesWithDiffs := map[string]bool{}
	for _, d := range rep.Differences {
		probesWithDiffs[d.Probe] = true
	}
	assert.Equal(t, len(probesWithDiffs), doc.Failures, "a probe fails when the targets disagree on it")

	var js bytes.Buffer
	require.NoError(t, rep.WriteJSON(&js))
	assert.NotContains(t, js.String(), "demo-key")
	assert.True(t, strings.Contains(js.String(), `"differences"`))
}

// TestDriftProbesTheOrdersEndpoints: the probe set has the orders endpoints' cases too, and
// lists where two servers' orders answers differ.
func TestDriftProbesTheOrdersEndpoints(t *testing.T) {
	good := newMock(t).Handler
	var orderProbes int
	for _, p := range contract.Probes(newMock(t).Spec) {
		if strings.HasPrefix(p.Name, "orders ") {
			orderProbes++
			assert.True(t, strings.HasPrefix(p.Request.Path, "/orders"), "%s asks %s", p.Name, p.Request.Path)
		}
	}
	assert.Greater(t, orderProbes, 40, "auth, paths, edges and every bad value of every orders parameter")

	// B: the orders 401s lose their challenge, the side enum lists its values upper-case, and an
	// unknown order is a plain Not Found.
	broken := rewriteResponse(good, func(r *http.Request, status int, hd http.Header, body []byte) (int, []byte) {
		if !strings.HasPrefix(r.URL.Path, "/v1/orders") {
			return status, body
		}
		hd.Del("www-authenticate")
		body = bytes.ReplaceAll(body, []byte(`'buy' or 'sell'`), []byte(`'BUY' or 'SELL'`))
		return status, bytes.ReplaceAll(body, []byte(`"Order not found"`), []byte(`"Not Found"`))
	})
	rep, err := contract.Drift(context.Background(), contract.Config{BaseURL: mockServer(t, good), APIKey: "demo-key"}, contract.Target{BaseURL: mockServer(t, broken), APIKey: "demo-key"})
	require.NoError(t, err)
	got := map[string]string{}
	for _, d := range rep.Differences {
		got[d.Probe+" / "+d.What] = d.B
		assert.True(t, strings.HasPrefix(d.Probe, "orders "), "only the orders answers differ: %s", d.Probe)
	}
	for probe, b := range map[string]string{
		"orders auth: missing key / header www-authenticate":                      "",
		`orders param: side="no-such-value" / body`:                               `'BUY' or 'SELL'`,
		"orders path: unknown order / body":                                       `"Not Found"`,
		"orders edge: every field wrong / body":                                   `'BUY' or 'SELL'`,
		"orders auth: missing key wins over bad params / header www-authenticate": "",
	} {
		if assert.Contains(t, got, probe) {
			assert.Contains(t, got[probe], b, probe)
		}
	}
}
