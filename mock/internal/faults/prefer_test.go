package faults

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParsePrefer(t *testing.T) {
	tests := []struct {
		name     string
		values   []string
		want     Prefs
		warnings []string
	}{
		{"nothing", nil, Prefs{}, nil},
		{"code", []string{"code=503"}, Prefs{Code: 503}, nil},
		{"every supported code", []string{"code=401", "code=403"}, Prefs{Code: 401}, []string{"ignored repeated preference 'code': only the first counts"}},
		{"delay", []string{"delay=250"}, Prefs{Delay: 250 * time.Millisecond, HasDelay: true}, nil},
		{"delay zero is honoured", []string{"delay=0"}, Prefs{HasDelay: true}, nil},
		{"delay capped", []string{"delay=45000"}, Prefs{Delay: MaxDelay, HasDelay: true}, []string{"delay='45000' capped at 30000 ms"}},
		{"huge delay capped", []string{"delay=999999999999"}, Prefs{Delay: MaxDelay, HasDelay: true}, []string{"delay='999999999999' capped at 30000 ms"}},
		{"fault", []string{"fault=truncated_body"}, Prefs{Fault: TruncatedBody}, nil},
		{"fault case-insensitive", []string{"Fault=Connection_Reset"}, Prefs{Fault: ConnectionReset}, nil},
		{"combined in one header", []string{"code=429, delay=10"}, Prefs{Code: 429, Delay: 10 * time.Millisecond, HasDelay: true}, nil},
		{"combined across headers", []string{"delay=10", "fault=malformed_json"}, Prefs{Delay: 10 * time.Millisecond, HasDelay: true, Fault: MalformedJSON}, nil},
		{"quoted values", []string{`code="404", fault="empty_response"`}, Prefs{Code: 404, Fault: EmptyResponse}, nil},
		{"whitespace around equals (BWS)", []string{"code = 502 ,  delay =5"}, Prefs{Code: 502, Delay: 5 * time.Millisecond, HasDelay: true}, nil},
		{"parameters are ignored", []string{"code=504; foo=bar; baz"}, Prefs{Code: 504}, nil},
		{"empty list elements are ignored", []string{",, code=500 ,"}, Prefs{Code: 500}, nil},
		{"unknown preferences warn", []string{"return=minimal, respond-async"}, Prefs{}, []string{
			"ignored unknown preference 'return'; this mock knows code, delay and fault",
			"ignored unknown preference 'respond-async'; this mock knows code, delay and fault"}},
		{"unsupported code", []string{"code=418"}, Prefs{}, []string{"ignored code='418': want one of 401, 403, 404, 429, 500, 502, 503, 504"}},
		{"code without value", []string{"code"}, Prefs{}, []string{"ignored code='': want one of 401, 403, 404, 429, 500, 502, 503, 504"}},
		{"negative delay", []string{"delay=-5"}, Prefs{}, []string{"ignored delay='-5': want milliseconds, 0 to 30000"}},
		{"fractional delay", []string{"delay=1.5"}, Prefs{}, []string{"ignored delay='1.5': want milliseconds, 0 to 30000"}},
		{"unknown fault", []string{"fault=meltdown"}, Prefs{}, []string{"ignored fault='meltdown': want connection_reset, empty_response, malformed_json or truncated_body"}},
		{"malformed name", []string{"=503"}, Prefs{}, []string{"ignored malformed preference '=503'"}},
		{"unterminated quote", []string{`code="503`}, Prefs{}, []string{`ignored malformed preference 'code=?503'`}},
		{"garbage after value", []string{"code=503 x"}, Prefs{}, []string{"ignored malformed preference 'code=503 x'"}},
		{"bad one does not spoil good ones", []string{"code=503, =, delay=1"}, Prefs{Code: 503, Delay: time.Millisecond, HasDelay: true}, []string{"ignored malformed preference '='"}},
		{"comma inside quotes stays", []string{`x="a,b", code=401`}, Prefs{Code: 401}, []string{"ignored unknown preference 'x'; this mock knows code, delay and fault"}},
		{"echo is sanitised and bounded", []string{`fault="a\"b` + strings.Repeat("z", 40) + `"`}, Prefs{}, []string{
			"ignored fault='a?b" + strings.Repeat("z", 29) + "...': want connection_reset, empty_response, malformed_json or truncated_body"}},
		{"control characters are malformed and not echoed", []string{"fault=\x01"}, Prefs{}, []string{"ignored malformed preference 'fault=?'"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ParsePrefer(tt.values)
			assert.Equal(t, tt.warnings, got.Warnings)
			got.Warnings = nil
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestParsePreferBoundsWarnings(t *testing.T) {
	// One unknown preference, then 999 repeats of it: 1000 problems.
	got := ParsePrefer([]string{strings.Repeat("x=1, ", 1000)})
	require.Len(t, got.Warnings, maxWarnings+1)
	assert.Equal(t, "996 more preference problems not listed", got.Warnings[maxWarnings])
}

func TestApplied(t *testing.T) {
	p := Prefs{Code: 503, Delay: 1500 * time.Millisecond, HasDelay: true, Fault: MalformedJSON}
	assert.Equal(t, "code=503, delay=1500, fault=malformed_json", p.Applied(true))
	assert.Equal(t, "code=503, delay=1500", p.Applied(false))
	assert.Equal(t, "", Prefs{}.Applied(true))
	assert.True(t, Prefs{}.Empty())
	assert.False(t, Prefs{HasDelay: true}.Empty())
}

func TestWarningValue(t *testing.T) {
	assert.Equal(t, `199 partner-mock "ignored x"`, WarningValue("ignored x"))
}

// FuzzParsePrefer checks that any header value parses without panicking into bounded,
// header-safe warnings and only supported controls.
func FuzzParsePrefer(f *testing.F) {
	for _, s := range []string{"code=503", "delay=100, fault=truncated_body", `code="404";x=y`, "=", `"`, "a=\"\\", strings.Repeat(",", 100)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		p := ParsePrefer([]string{v})
		assert.LessOrEqual(t, len(p.Warnings), maxWarnings+1)
		for _, w := range p.Warnings {
			assert.LessOrEqual(t, len(w), 200)
			assert.NotContains(t, w, `"`)
			assert.NotContains(t, w, `\`)
			for _, c := range []byte(w) {
				assert.True(t, c >= 0x20 && c < 0x7f, "printable ASCII only: %q", w)
			}
		}
		if p.Code != 0 {
			assert.Contains(t, Codes, p.Code)
		}
		if p.Fault != "" {
			assert.Contains(t, Faults, p.Fault)
		}
		assert.True(t, p.Delay >= 0 && p.Delay <= MaxDelay)
	})
}
