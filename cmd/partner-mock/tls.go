package main

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// defaultCAOut is where --tls-self-signed writes its CA certificate when --tls-ca-out is not
// given: the working directory, where a developer running `make run` finds it.
const defaultCAOut = "partner-mock-ca.pem"

// selfSignedValidity is how long a --tls-self-signed certificate (and its CA) is valid. Both are
// made anew at every start, so a year only has to outlast one long-running process.
const selfSignedValidity = 365 * 24 * time.Hour

// tlsFlags are serve's HTTPS flags. One listener serves either plain HTTP (no TLS flag) or
// HTTPS (your certificate, or one made at start-up), never both, so a client cannot end up on
// the wrong one by accident.
type tlsFlags struct {
	TLSCert       string   `name:"tls-cert" env:"PARTNER_MOCK_TLS_CERT" placeholder:"FILE" help:"Serve HTTPS with this PEM certificate (the server's first, then any intermediates); needs --tls-key."`
	TLSKey        string   `name:"tls-key" env:"PARTNER_MOCK_TLS_KEY" placeholder:"FILE" help:"The PEM private key of --tls-cert (unencrypted)."`
	TLSSelfSigned bool     `name:"tls-self-signed" env:"PARTNER_MOCK_TLS_SELF_SIGNED" help:"Serve HTTPS with a certificate made at start-up for localhost, 127.0.0.1, ::1, the --addr host and every --tls-host, signed by a new CA whose certificate goes to --tls-ca-out."`
	TLSHost       []string `name:"tls-host" env:"PARTNER_MOCK_TLS_HOSTS" placeholder:"NAME" help:"Another DNS name or IP address the --tls-self-signed certificate is valid for (repeat it, or separate with commas), e.g. the compose service or Kubernetes Service name."`
	TLSCAOut      string   `name:"tls-ca-out" env:"PARTNER_MOCK_TLS_CA_OUT" placeholder:"FILE" help:"Where --tls-self-signed writes its CA certificate, for clients to trust (curl --cacert FILE). Default: partner-mock-ca.pem in the working directory."`
}

// serverTLS is how serve speaks HTTPS: the server's TLS config, and what the start-up block says
// about it.
type serverTLS struct {
	config *tls.Config
	lines  []string
}

// enabled reports whether any TLS flag asks for HTTPS.
func (f tlsFlags) enabled() bool {
	return f.TLSCert != "" || f.TLSKey != "" || f.TLSSelfSigned
}

// check rejects combinations that would leave it unclear what is served. Each message names
// the flags (and their variables, since the image sets them through the environment) and what
// to do.
func (f tlsFlags) check() error {
	files := f.TLSCert != "" || f.TLSKey != ""
	switch {
	case files && f.TLSSelfSigned:
		return errors.New("--tls-cert/--tls-key (or PARTNER_MOCK_TLS_CERT/PARTNER_MOCK_TLS_KEY) and --tls-self-signed (or PARTNER_MOCK_TLS_SELF_SIGNED) both choose the certificate: " +
			"give your own certificate and key, or have one made at start-up, not both")
	case f.TLSCert != "" && f.TLSKey == "":
		return fmt.Errorf("--tls-cert %s needs --tls-key FILE (or PARTNER_MOCK_TLS_KEY), the certificate's private key", f.TLSCert)
	case f.TLSKey != "" && f.TLSCert == "":
		return fmt.Errorf("--tls-key %s needs --tls-cert FILE (or PARTNER_MOCK_TLS_CERT), the certificate the key belongs to", f.TLSKey)
	case len(f.TLSHost) > 0 && !f.TLSSelfSigned:
		return errors.New("--tls-host (or PARTNER_MOCK_TLS_HOSTS) names hosts for the certificate --tls-self-signed makes: add --tls-self-signed " +
			"(a --tls-cert certificate carries its own names)")
	case f.TLSCAOut != "" && !f.TLSSelfSigned:
		return errors.New("--tls-ca-out (or PARTNER_MOCK_TLS_CA_OUT) is where --tls-self-signed writes its CA certificate: add --tls-self-signed, or drop --tls-ca-out")
	}
	return nil
}

// prepare checks the TLS flags and loads or makes the certificate; nil means plain HTTP. With
// --tls-self-signed it writes the CA certificate now, so a path nobody can write to is reported
// before the tenants are built. Every error is a usage error (exit 2).
func (f tlsFlags) prepare(addr string, now time.Time) (*serverTLS, error) {
	if !f.enabled() && len(f.TLSHost) == 0 && f.TLSCAOut == "" {
		return nil, nil
	}
	if err := f.check(); err != nil {
		return nil, usageError{err}
	}
	var (
		st  *serverTLS
		err error
	)
	if f.TLSSelfSigned {
		st, err = f.selfSigned(addr, now)
	} else {
		st, err = loadServerCert(f.TLSCert, f.TLSKey, now)
	}
	if err != nil {
		return nil, usageError{err}
	}
	return st, nil
}

// loadServerCert reads --tls-cert and --tls-key, and says plainly what is wrong with them.
func loadServerCert(certFile, keyFile string, now time.Time) (*serverTLS, error) {
	certPEM, err := readFlagFile("--tls-cert", certFile)
	if err != nil {
		return nil, err
	}
	keyPEM, err := readFlagFile("--tls-key", keyFile)
	if err != nil {
		return nil, err
	}
	certs, keys := pemBlocks(certPEM)
	if certs == 0 {
		if keys > 0 {
			return nil, fmt.Errorf("--tls-cert %s holds a private key, not a certificate: did you swap --tls-cert and --tls-key?", certFile)
		}
		return nil, fmt.Errorf("--tls-cert %s holds no PEM certificate (-----BEGIN CERTIFICATE-----): give the server's certificate in PEM form "+
			"(a DER file converts with: openssl x509 -inform der -in FILE -out cert.pem)", certFile)
	}
	certs, keys = pemBlocks(keyPEM)
	if keys == 0 {
		if certs > 0 {
			return nil, fmt.Errorf("--tls-key %s holds a certificate, not a private key: did you swap --tls-cert and --tls-key?", keyFile)
		}
		return nil, fmt.Errorf("--tls-key %s holds no PEM private key (-----BEGIN PRIVATE KEY-----, or an RSA or EC one): give the certificate's private key in PEM form", keyFile)
	}
	if encryptedPEM(keyPEM) {
		return nil, fmt.Errorf("--tls-key %s is encrypted: give the key unencrypted (openssl pkey -in %s -out key.pem)", keyFile, keyFile)
	}
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		if strings.Contains(err.Error(), "does not match") {
			return nil, fmt.Errorf("--tls-key %s does not match the certificate in --tls-cert %s: give the key the certificate was issued for", keyFile, certFile)
		}
		return nil, fmt.Errorf("--tls-cert %s / --tls-key %s: %v: give a PEM certificate and its PEM private key", certFile, keyFile, err)
	}
	leaf := pair.Leaf
	lines := []string{fmt.Sprintf("TLS: certificate from %s for %s (valid until %s)", certFile, strings.Join(certNames(leaf), ", "), leaf.NotAfter.UTC().Format(time.RFC3339))}
	switch {
	case now.After(leaf.NotAfter):
		lines = append(lines, "TLS: warning: the certificate expired on "+leaf.NotAfter.UTC().Format(time.RFC3339)+"; clients will refuse it")
	case now.Before(leaf.NotBefore):
		lines = append(lines, "TLS: warning: the certificate is not valid before "+leaf.NotBefore.UTC().Format(time.RFC3339)+"; clients will refuse it until then")
	}
	return &serverTLS{config: &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12}, lines: lines}, nil
}

// selfSigned makes a CA and a server certificate signed by it, writes the CA certificate to
// --tls-ca-out and drops the CA's private key: the CA can vouch for this one certificate only.
func (f tlsFlags) selfSigned(addr string, now time.Time) (*serverTLS, error) {
	hosts, err := selfSignedHosts(addr, f.TLSHost)
	if err != nil {
		return nil, err
	}
	caOut := f.TLSCAOut
	if caOut == "" {
		caOut = defaultCAOut
	}
	pair, caPEM, err := makeSelfSigned(hosts, now)
	if err != nil {
		return nil, fmt.Errorf("--tls-self-signed: making the certificate: %w", err)
	}
	if err := os.WriteFile(caOut, caPEM, 0o644); err != nil {
		return nil, fmt.Errorf("--tls-ca-out %s: cannot write the CA certificate (%v): point --tls-ca-out (or PARTNER_MOCK_TLS_CA_OUT) at a file in a writable directory, "+
			"e.g. a mounted volume in Docker or an emptyDir in Kubernetes", caOut, unwrapPathError(err))
	}
	if abs, err := filepath.Abs(caOut); err == nil {
		caOut = abs
	}
	lines := []string{
		fmt.Sprintf("TLS: self-signed certificate for %s (valid until %s), signed by a CA made at start-up", strings.Join(hosts, ", "), pair.Leaf.NotAfter.UTC().Format(time.RFC3339)),
		fmt.Sprintf("TLS: CA certificate written to %s: add --cacert %s to curl (and to contract or healthcheck) to trust it", caOut, caOut),
	}
	return &serverTLS{config: &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12}, lines: lines}, nil
}

// hostNamePattern is what --tls-host accepts as a DNS name: labels of letters, digits and
// hyphens, optionally starting with a wildcard label.
var hostNamePattern = regexp.MustCompile(`^(\*\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\.?$`)

// selfSignedHosts lists the names the self-signed certificate covers: loopback in its three
// spellings, the --addr host unless it is a wildcard (clients never dial 0.0.0.0), and every
// --tls-host, without repeats.
func selfSignedHosts(addr string, extra []string) ([]string, error) {
	hosts := []string{"localhost", "127.0.0.1", "::1"}
	seen := map[string]bool{}
	for _, h := range hosts {
		seen[h] = true
	}
	add := func(h string) {
		if ip := net.ParseIP(h); ip != nil {
			h = ip.String()
		} else {
			h = strings.ToLower(h)
		}
		if !seen[h] {
			seen[h] = true
			hosts = append(hosts, h)
		}
	}
	if host, _, err := net.SplitHostPort(addr); err == nil {
		if ip := net.ParseIP(host); host != "" && (ip == nil || !ip.IsUnspecified()) {
			add(host)
		}
	}
	for _, h := range extra {
		h = strings.TrimSpace(h)
		if h == "" {
			continue
		}
		if net.ParseIP(h) == nil && !hostNamePattern.MatchString(h) {
			return nil, fmt.Errorf("--tls-host %q: want a DNS name or an IP address, without scheme or port (e.g. partner-mock or mock.test)", h)
		}
		add(h)
	}
	return hosts, nil
}

// makeSelfSigned returns a server certificate for hosts, with its chain's CA certificate in PEM.
// Both keys are ECDSA P-256: quick to make at every start, and accepted by every TLS client.
func makeSelfSigned(hosts []string, now time.Time) (tls.Certificate, []byte, error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	caSerial, err := randomSerial()
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	notBefore := now.Add(-time.Hour) // a client whose clock is a little behind still accepts it
	ca := &x509.Certificate{
		SerialNumber:          caSerial,
		Subject:               pkix.Name{Organization: []string{"partner-mock"}, CommonName: "partner-mock CA " + now.UTC().Format("2006-01-02T15:04:05Z")},
		NotBefore:             notBefore,
		NotAfter:              now.Add(selfSignedValidity),
		IsCA:                  true,
		BasicConstraintsValid: true,
		MaxPathLenZero:        true, // it signs server certificates, never another CA
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	caCert, err := x509.ParseCertificate(caDER)
	if err != nil {
		return tls.Certificate{}, nil, err
	}

	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	serial, err := randomSerial()
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	leaf := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{Organization: []string{"partner-mock"}, CommonName: hosts[0]},
		NotBefore:    notBefore,
		NotAfter:     now.Add(selfSignedValidity),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			leaf.IPAddresses = append(leaf.IPAddresses, ip)
		} else {
			leaf.DNSNames = append(leaf.DNSNames, h)
		}
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leaf, caCert, &key.PublicKey, caKey)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	parsed, err := x509.ParseCertificate(leafDER)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	pair := tls.Certificate{Certificate: [][]byte{leafDER, caDER}, PrivateKey: key, Leaf: parsed}
	return pair, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}), nil
}

func randomSerial() (*big.Int, error) {
	return rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
}

// certNames lists what a certificate is valid for, for the start-up block.
func certNames(c *x509.Certificate) []string {
	var names []string
	names = append(names, c.DNSNames...)
	for _, ip := range c.IPAddresses {
		names = append(names, ip.String())
	}
	if len(names) == 0 && c.Subject.CommonName != "" {
		names = append(names, c.Subject.CommonName+" (common name only: current clients want subject alternative names)")
	}
	return names
}

// serve runs srv on ln, with TLS when srv has a TLS config.
func serve(srv *http.Server, ln net.Listener) error {
	if srv.TLSConfig != nil {
		return srv.ServeTLS(ln, "", "")
	}
	return srv.Serve(ln)
}

// printTLS adds the TLS lines to the start-up block.
func printTLS(w io.Writer, st *serverTLS) {
	if st == nil {
		return
	}
	for _, line := range st.lines {
		fmt.Fprintln(w, line)
	}
}

// readFlagFile reads the file a flag names, with a message that says what to fix.
func readFlagFile(flag, path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("%s %s: no such file: give the path of a PEM file (in a container, the path where it is mounted)", flag, path)
	case errors.Is(err, fs.ErrPermission):
		return nil, fmt.Errorf("%s %s: permission denied: make the file readable by the user partner-mock runs as (uid %d)", flag, path, os.Getuid())
	case err != nil:
		if info, serr := os.Stat(path); serr == nil && info.IsDir() {
			return nil, fmt.Errorf("%s %s is a directory: give the PEM file inside it", flag, path)
		}
		return nil, fmt.Errorf("%s %s: %v", flag, path, unwrapPathError(err))
	case len(bytes.TrimSpace(data)) == 0:
		return nil, fmt.Errorf("%s %s is empty: give a PEM file", flag, path)
	}
	return data, nil
}

// pemBlocks counts the certificates and private keys in PEM data.
func pemBlocks(data []byte) (certs, keys int) {
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			return certs, keys
		}
		switch {
		case b.Type == "CERTIFICATE":
			certs++
		case strings.HasSuffix(b.Type, "PRIVATE KEY"):
			keys++
		}
	}
}

// encryptedPEM reports whether data holds a password-protected key, which serve cannot use.
func encryptedPEM(data []byte) bool {
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			return false
		}
		if b.Type == "ENCRYPTED PRIVATE KEY" || strings.Contains(b.Headers["Proc-Type"], "ENCRYPTED") {
			return true
		}
	}
}

// unwrapPathError drops the *fs.PathError's path, which the messages already name.
func unwrapPathError(err error) error {
	var perr *fs.PathError
	if errors.As(err, &perr) {
		return perr.Err
	}
	return err
}

// loadCAFile reads a PEM file of CA certificates for --cacert: the roots a client trusts, in
// place of the system's (as curl --cacert does).
func loadCAFile(flag, path string) (*x509.CertPool, error) {
	data, err := readFlagFile(flag, path)
	if err != nil {
		return nil, err
	}
	certs, keys := pemBlocks(data)
	if certs == 0 {
		if keys > 0 {
			return nil, fmt.Errorf("%s %s holds a private key, not a certificate: give the CA certificate (never a key)", flag, path)
		}
		return nil, fmt.Errorf("%s %s holds no PEM certificate (-----BEGIN CERTIFICATE-----): give the CA certificate in PEM form", flag, path)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(data) {
		return nil, fmt.Errorf("%s %s: its certificates do not parse: give a PEM CA certificate", flag, path)
	}
	return pool, nil
}

// caClient is the contract suite's HTTP client for --cacert: the usual transport (proxies from
// the environment included, as for any staging URL), trusting the CAs in path only.
func caClient(flag, path string) (*http.Client, error) {
	pool, err := loadCAFile(flag, path)
	if err != nil {
		return nil, err
	}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	return &http.Client{Transport: t}, nil
}

// pinnedCertConfig accepts exactly the certificate in certFile, whatever name it was issued for:
// the health probe reaches serve on loopback, where a certificate for mock.example.com would
// fail the usual name check, yet what matters is that the server holds serve's certificate.
func pinnedCertConfig(flag, certFile string) (*tls.Config, error) {
	data, err := readFlagFile(flag, certFile)
	if err != nil {
		return nil, err
	}
	var want []byte
	for rest := data; want == nil; {
		var b *pem.Block
		if b, rest = pem.Decode(rest); b == nil {
			break
		}
		if b.Type == "CERTIFICATE" {
			want = b.Bytes
		}
	}
	if want == nil {
		return nil, fmt.Errorf("%s %s holds no PEM certificate (-----BEGIN CERTIFICATE-----): give the certificate serve was given", flag, certFile)
	}
	return &tls.Config{
		MinVersion: tls.VersionTLS12,
		// The usual chain and name checks are replaced by the comparison below, not dropped.
		InsecureSkipVerify: true, //nolint:gosec // VerifyConnection pins the certificate
		VerifyConnection: func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) == 0 || !bytes.Equal(cs.PeerCertificates[0].Raw, want) {
				return fmt.Errorf("the server's certificate is not the one in %s %s", flag, certFile)
			}
			return nil
		},
	}, nil
}
