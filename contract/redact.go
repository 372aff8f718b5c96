package contract

import (
	"sort"
	"strings"
)

// Redacted replaces a key wherever it could appear in output.
const Redacted = "[REDACTED]"

// redactor removes secrets from text. Longer secrets are replaced first so a key that contains
// another ("demo-key-2" and "demo-key") is removed whole.
type redactor struct {
	secrets []string
}

func newRedactor(secrets ...string) redactor {
	var r redactor
	for _, s := range secrets {
		if s != "" {
			r.secrets = append(r.secrets, s)
		}
	}
	sort.Slice(r.secrets, func(i, j int) bool { return len(r.secrets[i]) > len(r.secrets[j]) })
	return r
}

// String returns s without any secret.
func (r redactor) String(s string) string {
	for _, k := range r.secrets {
		s = strings.ReplaceAll(s, k, Redacted)
	}
	return s
}
