package app

import (
	"errors"
	"fmt"
	"strings"

	"github.com/cryptofi/partner-mock/mock/internal/domain"
	"github.com/cryptofi/partner-mock/mock/internal/params"
	"github.com/cryptofi/partner-mock/mock/internal/tenant"
	"github.com/cryptofi/partner-mock/spec"
)

// embeddedSource names the compiled-in document in messages.
const embeddedSource = "embedded openapi.json"

// loadSpec returns the document to serve and its query parser, with every problem that keeps
// the mock from serving it: the document's own (spec.Inspect) and the parser's (params.New). The
// spec is returned even when there are problems, as far as it could be read, so the tenants can
// be checked against its enums too.
func loadSpec(cfg Config) (s *spec.Spec, parser *params.Parser, source string, problems []string) {
	s, source = cfg.Spec, embeddedSource
	switch {
	case cfg.SpecData != nil:
		source = cfg.SpecSource
		if source == "" {
			source = "supplied document"
		}
		s, problems = spec.Inspect(source, cfg.SpecData)
	case s == nil:
		s, problems = spec.Inspect(source, spec.Embedded())
	default:
		// Already loaded by the caller; its problems, if any, were the caller's to report.
		source = "the given document"
	}
	if s == nil || len(s.ListParams) == 0 {
		return s, nil, source, problems
	}
	parser, err := params.New(s)
	if perr := (*params.Error)(nil); errors.As(err, &perr) {
		problems = appendNew(problems, perr.Problems...)
	} else if err != nil {
		problems = appendNew(problems, err.Error())
	}
	return s, parser, source, problems
}

// tenantProblems lists what in the tenants config conflicts with a document that has problems
// of its own (a pinned user's product or KYC state missing from its enums), with the config's
// own problems, so that one message covers the document and the tenants. When the document is
// fine, tenant.Build reports the tenants' problems itself.
func tenantProblems(s *spec.Spec, tc *tenant.Config, read tenant.ReadFile) []string {
	if err := tc.Validate(); err != nil {
		return lines(err)
	}
	if _, err := tc.Pinned(s.Products, s.KycStatuses, read); err != nil {
		return lines(err)
	}
	return nil
}

// pinnedUsers returns each tenant's pinned users, by tenant index, for the reference page's
// example. tc has been built already, so its pinned files are known to be good.
func pinnedUsers(s *spec.Spec, tc *tenant.Config, read tenant.ReadFile) [][]domain.User {
	pinned, err := tc.Pinned(s.Products, s.KycStatuses, read)
	if err != nil {
		return nil
	}
	return pinned
}

func lines(err error) []string {
	var out []string
	for _, l := range strings.Split(err.Error(), "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}

// appendNew appends the problems not already listed: the document and the parser can find the
// same fault, and saying it twice helps no one.
func appendNew(list []string, more ...string) []string {
	for _, m := range more {
		dup := false
		for _, l := range list {
			if l == m {
				dup = true
				break
			}
		}
		if !dup {
			list = append(list, m)
		}
	}
	return list
}

// StartupError is every problem that keeps the mock from starting with a document and a tenants
// config, reported together so one edit-and-retry fixes them all.
type StartupError struct {
	// Source names the document ("embedded openapi.json" or the --spec file).
	Source   string
	Problems []string
}

// Error lists the problems one per line under a heading that names the document.
func (e *StartupError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "the mock cannot serve %s; fix these and start again:", e.Source)
	for _, p := range e.Problems {
		b.WriteString("\n  - ")
		b.WriteString(p)
	}
	return b.String()
}
