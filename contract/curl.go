package contract

import "strings"

// Environment variables the CLI reads keys from; curl lines refer to them instead of the keys.
const (
	EnvKey        = "PARTNER_API_KEY"
	EnvKey2       = "PARTNER_API_KEY_2"
	EnvCompareKey = "PARTNER_API_COMPARE_KEY"
)

// curlLine returns a shell command that repeats the request. The key is never written: the
// command reads it from the environment variable the CLI reads it from.
func curlLine(ex *Exchange) string {
	return curlLineWith(ex, EnvKey)
}

func curlLineWith(ex *Exchange, keyVar string) string {
	var b strings.Builder
	b.WriteString("curl -sS -i")
	switch ex.Request.Cred {
	case CredPrimary:
		b.WriteString(` -H "x-api-key: $` + keyVar + `"`)
	case CredSecond:
		b.WriteString(` -H "x-api-key: $` + EnvKey2 + `"`)
	case CredEmpty:
		// curl sends an empty header for "name;".
		b.WriteString(" -H 'x-api-key;'")
	case CredUnknown:
		b.WriteString(" -H " + shellQuote("x-api-key: "+unknownKey))
	}
	b.WriteString(" " + shellQuote(ex.URL))
	return b.String()
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
