package refdocs

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestParseDocstring(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want docstring
	}{
		{"prose alone", "Returns things.", docstring{Prose: []string{"Returns things."}}},
		{"empty", "", docstring{}},
		{
			"FastAPI's detail docstring",
			"Returns the user-detail payload for the given user account.\n\n:param user_account_id: Partner-supplied user identifier (e.g. CIF, member number).\n:param api_key: Resolved key.\n:return: User-detail response.\n:raises HTTPException: 404 Not Found when no user exists.",
			docstring{
				Prose: []string{"Returns the user-detail payload for the given user account."},
				Fields: []docField{
					{Kind: "param", Arg: "user_account_id", Text: "Partner-supplied user identifier (e.g. CIF, member number)."},
					{Kind: "param", Arg: "api_key", Text: "Resolved key."},
					{Kind: "return", Text: "User-detail response."},
					{Kind: "raises", Arg: "HTTPException", Text: "404 Not Found when no user exists."},
				},
			},
		},
		{
			"hard-wrapped prose and fields run on; a blank line ends a field",
			"  First line\n  goes on.\n\n  :param x: starts here\n      and goes on.\n\n  Back to prose.\n  - an item\n  - another",
			docstring{
				Prose:  []string{"First line goes on.", "Back to prose.\n- an item\n- another"},
				Fields: []docField{{Kind: "param", Arg: "x", Text: "starts here and goes on."}},
			},
		},
		{
			"a colon in the text and CRLF line ends",
			":Returns: a page: items and totals\r\n:rtype: Page",
			docstring{Fields: []docField{{Kind: "returns", Text: "a page: items and totals"}, {Kind: "rtype", Text: "Page"}}},
		},
		{"a time of day is prose", "Runs at 10:30: daily.", docstring{Prose: []string{"Runs at 10:30: daily."}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, parseDocstring(tt.in))
		})
	}
}

func TestSameName(t *testing.T) {
	for _, tt := range []struct {
		arg, name string
		want      bool
	}{
		{"api_key", "x-api-key", true},
		{"api_key", "APIKeyHeader", true},
		{"apiKey", "X-API-KEY", true},
		{"params", "x-api-key", false},
		{"user_account_id", "x-api-key", false},
		{"y", "x-api-key", false},
		{"", "x-api-key", false},
	} {
		assert.Equal(t, tt.want, sameName(tt.arg, tt.name), "%s ~ %s", tt.arg, tt.name)
	}
}

func TestStatusPrefix(t *testing.T) {
	for _, tt := range []struct {
		in, code, rest string
		ok             bool
	}{
		{"404 Not Found when no user exists for the given account ID.", "404", "When no user exists for the given account ID.", true},
		{"404: gone", "404", "Gone", true},
		{"409 when it clashes", "409", "When it clashes", true},
		{"404 Not Found", "", "", false},
		{"When nothing matches", "", "", false},
		{"4040 things", "", "", false},
	} {
		code, rest, ok := statusPrefix(tt.in)
		assert.Equal(t, []any{tt.code, tt.rest, tt.ok}, []any{code, rest, ok}, tt.in)
	}
}
