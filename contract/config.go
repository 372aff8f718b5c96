package contract

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/cryptofi/partner-mock/spec"
)

// Defaults of Config's optional settings.
const (
	DefaultMaxRequests  = 1000
	DefaultRate         = 10.0
	DefaultTimeout      = 10 * time.Second
	DefaultRetries      = 3
	DefaultMaxRetryWait = 30 * time.Second
)

// Config says where the suite runs and how carefully. BaseURL and APIKey are required; every
// other field has a documented zero value.
type Config struct {
	// BaseURL is the API's base URL including its base path ("http://127.0.0.1:8000/v1").
	BaseURL string
	// APIKey is a valid key of one FI.
	APIKey string
	// APIKey2 is a valid key of a second FI; empty skips the tenant isolation checks.
	APIKey2 string
	// MaxRequests caps the requests sent, retries included; 0 means DefaultMaxRequests. Checks
	// that would need more sample instead of walking everything, and say so.
	MaxRequests int
	// Rate caps requests per second; 0 means DefaultRate, except on a loopback host (the mock
	// on a laptop or in CI), which gets no limit. A negative value means no limit.
	Rate float64
	// Timeout bounds each attempt of each request; 0 means DefaultTimeout.
	Timeout time.Duration
	// Retries is how often a 429 or 503 is retried; 0 means DefaultRetries, negative none.
	Retries int
	// MaxRetryWait is the longest Retry-After the suite honours; a longer one ends the retries.
	// 0 means DefaultMaxRetryWait.
	MaxRetryWait time.Duration
	// Spec is the OpenAPI document responses are validated against; nil means the embedded one.
	Spec *spec.Spec
	// HTTPClient sends the requests; nil means a client that does not follow redirects (the
	// suite checks 307s itself). A given client's redirect policy is overridden likewise.
	HTTPClient *http.Client
	// Log receives one line per check as it finishes (progress); nil discards them. Keys are
	// redacted.
	Log io.Writer
	// LogLive says Log is a terminal: while a check runs, a line names it, and the check's
	// progress line then replaces it, so each check takes one line.
	LogLive bool
	// Only, when non-empty, runs just the checks whose name or family is listed.
	Only []string
	// Skip lists checks or families not to run (on a shared environment, say, a check its
	// operators asked to leave out). They are reported as skipped, "skipped by --skip".
	Skip []string
}

// normalized returns cfg with defaults filled in, or a usage error saying what to fix.
func (cfg Config) normalized() (Config, error) {
	var problems []string
	u, err := url.Parse(cfg.BaseURL)
	switch {
	case cfg.BaseURL == "":
		problems = append(problems, "base URL is required (e.g. http://127.0.0.1:8000/v1)")
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		problems = append(problems, fmt.Sprintf("base URL %q: want http(s)://host[:port]/path, e.g. http://127.0.0.1:8000/v1", cfg.BaseURL))
	case u.RawQuery != "" || u.Fragment != "":
		problems = append(problems, fmt.Sprintf("base URL %q: must not have a query or fragment", cfg.BaseURL))
	}
	cfg.BaseURL = strings.TrimSuffix(cfg.BaseURL, "/")
	if cfg.APIKey == "" {
		problems = append(problems, "API key is required")
	}
	if cfg.APIKey2 != "" && cfg.APIKey2 == cfg.APIKey {
		problems = append(problems, "the second API key must belong to another FI, but it equals the first")
	}
	known := map[string]bool{}
	for _, ch := range Checks() {
		known[ch.Name], known[ch.Family] = true, true
	}
	for _, list := range []struct {
		what  string
		names []string
	}{{"only", cfg.Only}, {"skip", cfg.Skip}} {
		for _, o := range list.names {
			if !known[o] {
				problems = append(problems, fmt.Sprintf("%s %q: no such check or family (the report lists the names, e.g. paging or auth/missing-key)", list.what, o))
			}
		}
	}
	if cfg.MaxRequests < 0 {
		problems = append(problems, fmt.Sprintf("max requests %d: want a positive number", cfg.MaxRequests))
	}
	if cfg.MaxRequests == 0 {
		cfg.MaxRequests = DefaultMaxRequests
	}
	if cfg.Timeout < 0 {
		problems = append(problems, fmt.Sprintf("timeout %s: want a positive duration", cfg.Timeout))
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.Retries == 0 {
		cfg.Retries = DefaultRetries
	}
	if cfg.Retries < 0 {
		cfg.Retries = 0
	}
	if cfg.MaxRetryWait <= 0 {
		cfg.MaxRetryWait = DefaultMaxRetryWait
	}
	if cfg.Rate == 0 && err == nil && u != nil {
		cfg.Rate = DefaultRate
		if isLoopback(u.Hostname()) {
			cfg.Rate = -1
		}
	}
	if len(problems) > 0 {
		return cfg, &ConfigError{Problems: problems}
	}
	if cfg.Spec == nil {
		s, err := spec.LoadEmbedded()
		if err != nil {
			return cfg, &ConfigError{Problems: []string{err.Error()}}
		}
		cfg.Spec = s
	}
	return cfg, nil
}

// isLoopback reports whether host is this machine, where no rate limit is needed.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// ConfigError lists what is wrong with a Config; the CLI exits 2 on it.
type ConfigError struct {
	Problems []string
}

func (e *ConfigError) Error() string {
	return "contract config: " + strings.Join(e.Problems, "; ")
}
