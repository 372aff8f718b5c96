package refdocs

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/spec"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func TestPageMatchesGolden(t *testing.T) {
	s, err := spec.LoadEmbedded()
	require.NoError(t, err)
	p, err := New(s, Config{
		Source: "embedded openapi.json",
		Keys:   []Key{{FIName: "Demo Credit Union", Key: "demo-key", Users: 1000}, {FIName: "Partner FI", Users: 5}},
		Examples: map[string]Example{
			"/users/":                   {Query: "user_account_id=member-001", Body: []byte(`{"items":[],"total_records":0,"last_record_number":0,"per_page":25}`)},
			"/users/{user_account_id}/": {PathParams: map[string]string{"user_account_id": "member-001"}, Body: []byte(`{"accounts":[],"total_current_market_value":"0.00","user_account_id":"member-001"}`)},
		},
	})
	require.NoError(t, err)
	var got bytes.Buffer
	require.NoError(t, p.Render(&got, "http://127.0.0.1:8000/"))

	golden := filepath.Join("testdata", "embedded.golden.html")
	if *update {
		require.NoError(t, os.WriteFile(golden, got.Bytes(), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err, "run go test ./mock/refdocs -update to create it")
	assert.Equal(t, string(want), got.String(), "run go test ./mock/refdocs -update after an intended change")

	var again bytes.Buffer
	require.NoError(t, p.Render(&again, "http://127.0.0.1:8000/"))
	assert.Equal(t, got.String(), again.String(), "rendering is deterministic")
}

func TestRangeOf(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	tests := []struct {
		name   string
		schema *openapi3.Schema
		want   string
	}{
		{"none", &openapi3.Schema{}, ""},
		{"inclusive both", &openapi3.Schema{Min: f(1), Max: f(100)}, "1 <= value <= 100"},
		{"lower only", &openapi3.Schema{Min: f(0)}, "0 <= value"},
		{"3.1 exclusive", &openapi3.Schema{ExclusiveMin: openapi3.ExclusiveBound{Value: f(0)}, ExclusiveMax: openapi3.ExclusiveBound{Value: f(10)}}, "0 < value < 10"},
		{"3.0 boolean exclusive", &openapi3.Schema{Min: f(0), ExclusiveMin: openapi3.ExclusiveBound{Bool: new(true)}, Max: f(2.5)}, "0 < value <= 2.5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, rangeOf(tt.schema))
		})
	}
}

func TestCurlQuotesForTheShell(t *testing.T) {
	assert.Equal(t, `curl -H 'x-api-key: it'\''s' 'http://h/v1/users/?a=b'`, curl("GET", "http://h/v1/users/", "a=b", "x-api-key", "it's"))
	assert.Equal(t, `curl -X POST 'http://h/x'`, curl("POST", "http://h/x", "", "", "k"))
}
