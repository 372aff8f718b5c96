package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testPKI is a CA and a server certificate made by the test itself (not by tls.go), written as
// PEM files, for serve --tls-cert/--tls-key.
type testPKI struct {
	caFile, certFile, keyFile string
	ca                        *x509.Certificate
}

// newTestPKI makes a CA and a certificate for dnsNames and ips signed by it, valid from
// notBefore to notAfter, in dir.
func newTestPKI(t *testing.T, dir string, dnsNames []string, ips []net.IP, notBefore, notAfter time.Time) testPKI {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA"},
		NotBefore: time.Now().Add(-48 * time.Hour), NotAfter: time.Now().Add(48 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	require.NoError(t, err)
	ca, err := x509.ParseCertificate(caDER)
	require.NoError(t, err)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	leafTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "test server"},
		NotBefore: notBefore, NotAfter: notAfter,
		DNSNames: dnsNames, IPAddresses: ips,
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTmpl, ca, &key.PublicKey, caKey)
	require.NoError(t, err)
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)
	p := testPKI{caFile: filepath.Join(dir, "ca.pem"), certFile: filepath.Join(dir, "cert.pem"), keyFile: filepath.Join(dir, "key.pem"), ca: ca}
	writePEM(t, p.caFile, "CERTIFICATE", caDER)
	writePEM(t, p.certFile, "CERTIFICATE", leafDER)
	writePEM(t, p.keyFile, "PRIVATE KEY", keyDER)
	return p
}

func writePEM(t *testing.T, path, typ string, der []byte) {
	t.Helper()
	require.NoError(t, os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o644))
}

// httpsClient trusts the CA certificates in caFile only, and follows no redirect.
func httpsClient(t *testing.T, caFile, serverName string) *http.Client {
	t.Helper()
	raw, err := os.ReadFile(caFile)
	require.NoError(t, err)
	pool := x509.NewCertPool()
	require.True(t, pool.AppendCertsFromPEM(raw), "%s holds a PEM certificate", caFile)
	return &http.Client{
		Transport:     &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, ServerName: serverName}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       10 * time.Second,
	}
}

func get(t *testing.T, c *http.Client, url string, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := c.Do(req)
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	return resp, string(body)
}

// runCmd runs the command line and returns its exit status and output.
func runCmd(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr, nil)
	return code, stdout.String(), stderr.String()
}

func TestServeSelfSigned(t *testing.T) {
	caOut := filepath.Join(t.TempDir(), "ca.pem")
	plain, stdout, _ := startServe(t, "--tls-self-signed", "--tls-ca-out", caOut, "--tls-host", "mock.test", "--tls-host", "2001:db8::1")
	base := strings.Replace(plain, "http://", "https://", 1)
	hostPort := strings.TrimPrefix(base, "https://")

	out := stdout.String()
	assert.Contains(t, out, "serving "+base+"/v1/users/")
	assert.Contains(t, out, "reference: "+base+"/docs")
	assert.Contains(t, out, "TLS: self-signed certificate for localhost, 127.0.0.1, ::1, mock.test, 2001:db8::1 (valid until ")
	assert.Contains(t, out, "TLS: CA certificate written to "+caOut+": add --cacert "+caOut+" to curl")

	raw, err := os.ReadFile(caOut)
	require.NoError(t, err)
	block, rest := pem.Decode(raw)
	require.NotNil(t, block, "the CA file is PEM")
	assert.Equal(t, "CERTIFICATE", block.Type)
	assert.Empty(t, bytes.TrimSpace(rest), "the CA file holds the CA certificate only, never a key")
	ca, err := x509.ParseCertificate(block.Bytes)
	require.NoError(t, err)
	assert.True(t, ca.IsCA)
	assert.True(t, ca.MaxPathLenZero, "the CA signs no other CA")

	c := httpsClient(t, caOut, "")
	resp, body := get(t, c, base+"/healthz")
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, body, `{"status":"ok",`, "answered over the verified TLS connection")
	require.NotNil(t, resp.TLS)
	require.Len(t, resp.TLS.VerifiedChains, 1)
	chain := resp.TLS.VerifiedChains[0]
	require.Len(t, chain, 2, "server certificate, then the CA")
	assert.True(t, chain[1].Equal(ca), "signed by the CA in --tls-ca-out")
	leaf := chain[0]
	assert.Equal(t, []string{"localhost", "mock.test"}, leaf.DNSNames)
	var ips []string
	for _, ip := range leaf.IPAddresses {
		ips = append(ips, ip.String())
	}
	assert.Equal(t, []string{"127.0.0.1", "::1", "2001:db8::1"}, ips)
	assert.Equal(t, []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, leaf.ExtKeyUsage)
	assert.WithinDuration(t, time.Now().Add(selfSignedValidity), leaf.NotAfter, time.Minute)

	// Every name the certificate is made for verifies against the CA; others do not.
	pool := x509.NewCertPool()
	pool.AddCert(ca)
	for _, name := range []string{"localhost", "127.0.0.1", "::1", "mock.test", "2001:db8::1"} {
		_, err := leaf.Verify(x509.VerifyOptions{Roots: pool, DNSName: name})
		assert.NoError(t, err, name)
	}
	_, err = leaf.Verify(x509.VerifyOptions{Roots: pool, DNSName: "other.test"})
	assert.Error(t, err, "a name that was not asked for")
	// The client's own name check, end to end: SNI localhost over 127.0.0.1.
	resp, _ = get(t, httpsClient(t, caOut, "localhost"), base+"/healthz")
	assert.Equal(t, http.StatusOK, resp.StatusCode)

	t.Run("untrusted without the CA", func(t *testing.T) {
		_, err := (&http.Client{Timeout: 5 * time.Second}).Get(base + "/healthz")
		require.Error(t, err)
		assert.Contains(t, err.Error(), "certificate signed by unknown authority")
	})
	t.Run("plain HTTP on the HTTPS port is refused", func(t *testing.T) {
		resp, body := get(t, &http.Client{Timeout: 5 * time.Second}, plain+"/healthz")
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
		assert.Contains(t, body, "HTTP request to an HTTPS server")
	})
	t.Run("redirects keep https", func(t *testing.T) {
		resp, _ := get(t, c, base+"/v1/users?per_page=2", "x-api-key", "demo-key")
		assert.Equal(t, http.StatusTemporaryRedirect, resp.StatusCode)
		assert.Equal(t, base+"/v1/users/?per_page=2", resp.Header.Get("Location"))
	})
	t.Run("the OpenAPI document's server is https", func(t *testing.T) {
		resp, body := get(t, c, base+"/openapi.json")
		require.Equal(t, http.StatusOK, resp.StatusCode)
		var doc struct {
			Servers []struct {
				URL string `json:"url"`
			} `json:"servers"`
		}
		require.NoError(t, json.Unmarshal([]byte(body), &doc))
		require.NotEmpty(t, doc.Servers)
		assert.Equal(t, "https://"+hostPort+"/v1", doc.Servers[0].URL)
	})
	t.Run("healthcheck --cacert", func(t *testing.T) {
		code, stdout, stderr := runCmd("healthcheck", "--url", base+"/healthz", "--cacert", caOut)
		assert.Equal(t, 0, code, stderr)
		assert.Equal(t, "healthy: GET "+base+"/healthz answered 200 OK\n", stdout)
	})
	t.Run("healthcheck without --cacert", func(t *testing.T) {
		code, _, stderr := runCmd("healthcheck", "--url", base+"/healthz")
		assert.Equal(t, 1, code)
		assert.Contains(t, stderr, "certificate signed by unknown authority")
	})
	t.Run("healthcheck follows serve's variables, as in the image", func(t *testing.T) {
		_, port, err := net.SplitHostPort(hostPort)
		require.NoError(t, err)
		t.Setenv("PARTNER_MOCK_ADDR", "0.0.0.0:"+port)
		t.Setenv("PARTNER_MOCK_TLS_SELF_SIGNED", "true")
		t.Setenv("PARTNER_MOCK_TLS_CA_OUT", caOut)
		code, stdout, stderr := runCmd("healthcheck")
		assert.Equal(t, 0, code, stderr)
		assert.Contains(t, stdout, "GET https://127.0.0.1:"+port+"/healthz answered 200 OK")
	})
	t.Run("contract --cacert", func(t *testing.T) {
		code, stdout, stderr := runCmd("contract", "--base-url", base+"/v1", "--api-key", "demo-key", "--api-key-2", "demo-key-2", "--cacert", caOut)
		assert.Equal(t, 0, code, "stdout:\n%s\nstderr:\n%s", stdout, stderr)
	})
	t.Run("contract without --cacert", func(t *testing.T) {
		code, _, stderr := runCmd("contract", "--base-url", base+"/v1", "--api-key", "demo-key", "--only", "auth")
		assert.Equal(t, exitUnreachable, code)
		assert.Contains(t, stderr, "certificate signed by unknown authority")
	})
}

func TestServeTLSCertFiles(t *testing.T) {
	dir := t.TempDir()
	// A certificate for a DNS name only, as a real one would be: the health probe must accept
	// it on loopback all the same, by pinning it.
	pki := newTestPKI(t, dir, []string{"mock.example"}, nil, time.Now().Add(-time.Hour), time.Now().Add(time.Hour))

	tests := []struct {
		name string
		args []string
		env  map[string]string
	}{
		{"flags", []string{"--tls-cert", pki.certFile, "--tls-key", pki.keyFile}, nil},
		{"variables", nil, map[string]string{"PARTNER_MOCK_TLS_CERT": pki.certFile, "PARTNER_MOCK_TLS_KEY": pki.keyFile}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			plain, stdout, _ := startServe(t, tt.args...)
			base := strings.Replace(plain, "http://", "https://", 1)
			assert.Contains(t, stdout.String(), "serving "+base+"/v1/users/")
			assert.Contains(t, stdout.String(), "TLS: certificate from "+pki.certFile+" for mock.example (valid until ")

			resp, _ := get(t, httpsClient(t, pki.caFile, "mock.example"), base+"/v1/users/?per_page=1", "x-api-key", "demo-key")
			assert.Equal(t, http.StatusOK, resp.StatusCode)
			require.NotNil(t, resp.TLS)
			assert.Equal(t, []string{"mock.example"}, resp.TLS.PeerCertificates[0].DNSNames)

			code, _, stderr := runCmd("healthcheck", "--url", base+"/healthz", "--cacert", pki.caFile)
			assert.Equal(t, 1, code, "the name check still applies: the certificate is not for 127.0.0.1")
			assert.Contains(t, stderr, "cannot validate certificate for 127.0.0.1")

			_, port, err := net.SplitHostPort(strings.TrimPrefix(base, "https://"))
			require.NoError(t, err)
			code, stdout2, stderr := runCmd("healthcheck", "--addr", "127.0.0.1:"+port, "--tls-cert", pki.certFile)
			assert.Equal(t, 0, code, "serve's own certificate, pinned: %s", stderr)
			assert.Contains(t, stdout2, "GET https://127.0.0.1:"+port+"/healthz answered 200 OK")

			other := newTestPKI(t, t.TempDir(), []string{"mock.example"}, nil, time.Now().Add(-time.Hour), time.Now().Add(time.Hour))
			code, _, stderr = runCmd("healthcheck", "--addr", "127.0.0.1:"+port, "--tls-cert", other.certFile)
			assert.Equal(t, 1, code, "another certificate for the same name is not serve's")
			assert.Contains(t, stderr, "the server's certificate is not the one in --tls-cert "+other.certFile)
		})
	}
}

func TestServeTLSExpiredCertificateWarns(t *testing.T) {
	pki := newTestPKI(t, t.TempDir(), nil, []net.IP{net.ParseIP("127.0.0.1")}, time.Now().Add(-48*time.Hour), time.Now().Add(-24*time.Hour))
	_, stdout, _ := startServe(t, "--tls-cert", pki.certFile, "--tls-key", pki.keyFile)
	assert.Contains(t, stdout.String(), "TLS: warning: the certificate expired on ")
}

func TestServeTLSUsageErrors(t *testing.T) {
	dir := t.TempDir()
	pki := newTestPKI(t, dir, []string{"mock.example"}, nil, time.Now().Add(-time.Hour), time.Now().Add(time.Hour))
	other := newTestPKI(t, t.TempDir(), []string{"mock.example"}, nil, time.Now().Add(-time.Hour), time.Now().Add(time.Hour))
	file := func(name, content string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
		return p
	}
	empty := file("empty.pem", "\n")
	notPEM := file("cert.der", "not a certificate")
	encrypted := file("encrypted.pem", string(pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: []byte{1, 2, 3}})))
	missing := filepath.Join(dir, "missing.pem")

	tests := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"cert without key", []string{"--tls-cert", pki.certFile}, nil, "--tls-cert " + pki.certFile + " needs --tls-key FILE (or PARTNER_MOCK_TLS_KEY)"},
		{"key without cert", []string{"--tls-key", pki.keyFile}, nil, "--tls-key " + pki.keyFile + " needs --tls-cert FILE (or PARTNER_MOCK_TLS_CERT)"},
		{"files and self-signed", []string{"--tls-cert", pki.certFile, "--tls-key", pki.keyFile, "--tls-self-signed"}, nil, "both choose the certificate"},
		{"a variable and a flag", []string{"--tls-self-signed"}, map[string]string{"PARTNER_MOCK_TLS_CERT": pki.certFile, "PARTNER_MOCK_TLS_KEY": pki.keyFile}, "(or PARTNER_MOCK_TLS_CERT/PARTNER_MOCK_TLS_KEY) and --tls-self-signed"},
		{"tls-host without self-signed", []string{"--tls-host", "mock.test"}, nil, "--tls-host (or PARTNER_MOCK_TLS_HOSTS) names hosts for the certificate --tls-self-signed makes"},
		{"tls-host with a cert", []string{"--tls-cert", pki.certFile, "--tls-key", pki.keyFile, "--tls-host", "mock.test"}, nil, "add --tls-self-signed"},
		{"tls-ca-out without self-signed", []string{"--tls-ca-out", filepath.Join(dir, "ca-out.pem")}, nil, "--tls-ca-out (or PARTNER_MOCK_TLS_CA_OUT) is where --tls-self-signed writes"},
		{"tls-host with a scheme", []string{"--tls-self-signed", "--tls-ca-out", filepath.Join(dir, "ca-out.pem"), "--tls-host", "https://mock.test:8443"}, nil, `--tls-host "https://mock.test:8443": want a DNS name or an IP address`},
		{"ca-out in a missing directory", []string{"--tls-self-signed", "--tls-ca-out", filepath.Join(dir, "nope", "ca.pem")}, nil, "--tls-ca-out " + filepath.Join(dir, "nope", "ca.pem") + ": cannot write the CA certificate (no such file or directory): point --tls-ca-out"},
		{"missing cert file", []string{"--tls-cert", missing, "--tls-key", pki.keyFile}, nil, "--tls-cert " + missing + ": no such file"},
		{"missing key file", []string{"--tls-cert", pki.certFile, "--tls-key", missing}, nil, "--tls-key " + missing + ": no such file"},
		{"cert is a directory", []string{"--tls-cert", dir, "--tls-key", pki.keyFile}, nil, "--tls-cert " + dir + " is a directory: give the PEM file inside it"},
		{"empty cert", []string{"--tls-cert", empty, "--tls-key", pki.keyFile}, nil, "--tls-cert " + empty + " is empty"},
		{"cert not PEM", []string{"--tls-cert", notPEM, "--tls-key", pki.keyFile}, nil, "--tls-cert " + notPEM + " holds no PEM certificate"},
		{"swapped", []string{"--tls-cert", pki.keyFile, "--tls-key", pki.certFile}, nil, "holds a private key, not a certificate: did you swap --tls-cert and --tls-key?"},
		{"key is a certificate", []string{"--tls-cert", pki.certFile, "--tls-key", pki.caFile}, nil, "--tls-key " + pki.caFile + " holds a certificate, not a private key"},
		{"key not PEM", []string{"--tls-cert", pki.certFile, "--tls-key", notPEM}, nil, "--tls-key " + notPEM + " holds no PEM private key"},
		{"encrypted key", []string{"--tls-cert", pki.certFile, "--tls-key", encrypted}, nil, "--tls-key " + encrypted + " is encrypted: give the key unencrypted"},
		{"key of another certificate", []string{"--tls-cert", pki.certFile, "--tls-key", other.keyFile}, nil, "--tls-key " + other.keyFile + " does not match the certificate in --tls-cert " + pki.certFile},
		{"self-signed from a bad variable", nil, map[string]string{"PARTNER_MOCK_TLS_SELF_SIGNED": "maybe"}, `PARTNER_MOCK_TLS_SELF_SIGNED`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			code, stdout, stderr := runCmd(append([]string{"serve", "--addr", closedPort(t)}, tt.args...)...)
			assert.Equal(t, 2, code, "stdout: %s", stdout)
			assert.Contains(t, stderr, tt.want)
			assert.NotContains(t, stdout, "serving", "nothing is served")
		})
	}
}

func TestCACertUsageErrors(t *testing.T) {
	dir := t.TempDir()
	pki := newTestPKI(t, dir, []string{"mock.example"}, nil, time.Now().Add(-time.Hour), time.Now().Add(time.Hour))
	missing := filepath.Join(dir, "missing.pem")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"healthcheck, missing file", []string{"healthcheck", "--url", "https://127.0.0.1:1/healthz", "--cacert", missing}, "--cacert " + missing + ": no such file"},
		{"healthcheck, a key", []string{"healthcheck", "--url", "https://127.0.0.1:1/healthz", "--cacert", pki.keyFile}, "--cacert " + pki.keyFile + " holds a private key, not a certificate"},
		{"healthcheck, serve's certificate missing", []string{"healthcheck", "--tls-cert", missing}, "--tls-cert " + missing + ": no such file"},
		{"healthcheck, serve's CA not written", []string{"healthcheck", "--tls-self-signed", "--tls-ca-out", missing}, "--tls-ca-out " + missing + ": no such file"},
		{"contract, missing file", []string{"contract", "--base-url", "https://127.0.0.1:1/v1", "--api-key", "k", "--cacert", missing}, "--cacert " + missing + ": no such file"},
		{"contract, a directory", []string{"contract", "--base-url", "https://127.0.0.1:1/v1", "--api-key", "k", "--cacert", dir}, "--cacert " + dir + " is a directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCmd(tt.args...)
			assert.Equal(t, 2, code)
			assert.Contains(t, stderr, tt.want)
		})
	}
}

func TestSelfSignedHosts(t *testing.T) {
	tests := []struct {
		addr  string
		extra []string
		want  []string
	}{
		{"127.0.0.1:8443", nil, []string{"localhost", "127.0.0.1", "::1"}},
		{"0.0.0.0:8443", nil, []string{"localhost", "127.0.0.1", "::1"}},
		{"[::]:8443", nil, []string{"localhost", "127.0.0.1", "::1"}},
		{":8443", nil, []string{"localhost", "127.0.0.1", "::1"}},
		{"mock.internal:8443", []string{"Partner-Mock", "partner-mock", " ", "::1"}, []string{"localhost", "127.0.0.1", "::1", "mock.internal", "partner-mock"}},
		{"192.0.2.10:8443", []string{"*.mock.test", "0:0:0:0:0:0:0:1"}, []string{"localhost", "127.0.0.1", "::1", "192.0.2.10", "*.mock.test"}},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			got, err := selfSignedHosts(tt.addr, tt.extra)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}
