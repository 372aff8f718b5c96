package main

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"
)

// healthcheckCmd asks a running mock whether it is up. It exists for Docker's HEALTHCHECK: the
// FROM scratch image has no shell, curl or wget, only this binary.
type healthcheckCmd struct {
	URL     string        `name:"url" env:"PARTNER_MOCK_HEALTHCHECK_URL" placeholder:"URL" help:"URL to probe. Default: /healthz on --addr, with a wildcard host (0.0.0.0, ::) replaced by loopback."`
	Addr    string        `default:"127.0.0.1:8000" env:"PARTNER_MOCK_ADDR" help:"The address serve listens on (HOST:PORT); read from the same PARTNER_MOCK_ADDR as serve, so the two agree."`
	Timeout time.Duration `default:"2s" help:"How long to wait for the answer."`
	CACert  string        `name:"cacert" env:"PARTNER_MOCK_HEALTHCHECK_CACERT" placeholder:"FILE" help:"For an https URL: trust the CA certificate(s) in this PEM file instead of the system's (as curl --cacert)."`
	// serve's TLS settings, read from the same variables as serve, so that in the image the
	// probe follows serve to HTTPS and trusts its certificate without flags of its own.
	TLSCert       string `name:"tls-cert" env:"PARTNER_MOCK_TLS_CERT" placeholder:"FILE" help:"The certificate serve was given (the same PARTNER_MOCK_TLS_CERT): probe https and accept exactly this certificate."`
	TLSSelfSigned bool   `name:"tls-self-signed" env:"PARTNER_MOCK_TLS_SELF_SIGNED" help:"serve makes its own certificate (the same PARTNER_MOCK_TLS_SELF_SIGNED): probe https, trusting the CA certificate at --tls-ca-out."`
	TLSCAOut      string `name:"tls-ca-out" env:"PARTNER_MOCK_TLS_CA_OUT" placeholder:"FILE" help:"Where serve wrote its CA certificate (the same PARTNER_MOCK_TLS_CA_OUT; default partner-mock-ca.pem)."`
}

// Run exits 0 when the URL answers 200 within the timeout, 1 when it does not, 2 for bad flags
// or a --cacert (or serve's certificate file) it cannot use.
func (c *healthcheckCmd) Run(e *env) error {
	target, err := c.target()
	if err != nil {
		return usageError{err}
	}
	if c.Timeout <= 0 {
		return usageError{fmt.Errorf("--timeout %s: want a positive duration, e.g. 2s", c.Timeout)}
	}
	ctx, cancel := context.WithTimeout(e.ctx, c.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return usageError{fmt.Errorf("--url %q: %w", target, err)}
	}
	tlsConfig, err := c.tlsConfig()
	if err != nil {
		return usageError{err}
	}
	// A fresh transport without proxies: a health probe must reach the local listener, never an
	// HTTP_PROXY a container happened to inherit.
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true, TLSClientConfig: tlsConfig}}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("unhealthy: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("unhealthy: GET %s answered %s: %s", target, resp.Status, body)
	}
	fmt.Fprintf(e.stdout, "healthy: GET %s answered %s\n", target, resp.Status)
	return nil
}

// target is the URL to probe: --url as given, or /healthz on the serve address.
func (c *healthcheckCmd) target() (string, error) {
	if c.URL != "" {
		u, err := url.Parse(c.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return "", fmt.Errorf("--url %q: want an http(s) URL, e.g. http://127.0.0.1:8000/healthz", c.URL)
		}
		return c.URL, nil
	}
	host, port, err := net.SplitHostPort(c.Addr)
	if err != nil {
		return "", fmt.Errorf("--addr %q: want HOST:PORT, e.g. 127.0.0.1:8000", c.Addr)
	}
	// serve listening on every interface is reached through loopback from inside the container.
	switch host {
	case "", "0.0.0.0":
		host = "127.0.0.1"
	case "::", "[::]":
		host = "::1"
	}
	scheme := "http"
	if c.TLSCert != "" || c.TLSSelfSigned {
		scheme = "https"
	}
	return (&url.URL{Scheme: scheme, Host: net.JoinHostPort(host, port), Path: "/healthz"}).String(), nil
}

// tlsConfig is what the probe trusts over https: --cacert when given, else serve's own
// certificate (pinned) or its self-signed CA, else the system's roots (nil).
func (c *healthcheckCmd) tlsConfig() (*tls.Config, error) {
	switch {
	case c.CACert != "":
		pool, err := loadCAFile("--cacert", c.CACert)
		if err != nil {
			return nil, err
		}
		return &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}, nil
	case c.TLSCert != "":
		return pinnedCertConfig("--tls-cert", c.TLSCert)
	case c.TLSSelfSigned:
		caFile := c.TLSCAOut
		if caFile == "" {
			caFile = defaultCAOut
		}
		pool, err := loadCAFile("--tls-ca-out", caFile)
		if err != nil {
			return nil, err
		}
		return &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}, nil
	}
	return nil, nil
}
