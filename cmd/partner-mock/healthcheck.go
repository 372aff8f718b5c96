package main

import (
	"context"
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
}

// Run exits 0 when the URL answers 200 within the timeout, 1 when it does not, 2 for bad flags.
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
	// A fresh transport without proxies: a health probe must reach the local listener, never an
	// HTTP_PROXY a container happened to inherit.
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
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
	return (&url.URL{Scheme: "http", Host: net.JoinHostPort(host, port), Path: "/healthz"}).String(), nil
}
