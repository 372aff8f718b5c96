package contract

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// WriteSummary writes the readable report: one line per check, then the failures with the
// curl line that reproduces each, then the totals. It is for a reader who did not watch the
// progress lines; WriteOutcome is the report that follows them.
func (r *Report) WriteSummary(w io.Writer) error {
	var b strings.Builder
	r.header(&b)
	b.WriteString("\n")
	for _, c := range r.Checks {
		fmt.Fprintf(&b, "%-4s %-36s %4d req %7s  %s\n", strings.ToUpper(string(c.Status)), c.Name, c.Requests, c.Duration.Round(time.Millisecond), c.Description)
		if c.Status == Skip {
			fmt.Fprintf(&b, "       skipped: %s\n", c.Reason)
		}
		for _, n := range c.Notes {
			fmt.Fprintf(&b, "       note: %s\n", n)
		}
	}
	r.failures(&b)
	r.totals(&b)
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteOutcome writes the report that ends a run whose progress lines (Config.Log) already
// named every check: it does not list them again, only what they did not say: each failure
// with the curl line that reproduces it, each skipped check with its reason, the notes (what
// was sampled, the windows compared), and the totals.
func (r *Report) WriteOutcome(w io.Writer) error {
	var b strings.Builder
	r.header(&b)
	var lines []string
	for _, c := range r.Checks {
		if c.Status == Skip {
			lines = append(lines, fmt.Sprintf("SKIP %s: %s\n", c.Name, c.Reason))
		}
	}
	for _, c := range r.Checks {
		for _, n := range c.Notes {
			lines = append(lines, fmt.Sprintf("NOTE %s: %s\n", c.Name, n))
		}
	}
	if len(lines) > 0 {
		b.WriteString("\n" + strings.Join(lines, ""))
	}
	r.failures(&b)
	r.totals(&b)
	_, err := io.WriteString(w, b.String())
	return err
}

func (r *Report) header(b *strings.Builder) {
	fmt.Fprintf(b, "contract suite against %s (population %d users)\n", r.Target, r.Population)
	if r.Window != "" {
		fmt.Fprintf(b, "walks and comparisons over %s\n", r.Window)
	}
}

// failures writes each failed check with its problems; problems found in the same answer
// share one reproduction line, printed after the last of them.
func (r *Report) failures(b *strings.Builder) {
	for _, c := range r.Checks {
		if c.Status != Fail {
			continue
		}
		fmt.Fprintf(b, "\nFAIL %s: %s\n", c.Name, c.Description)
		for i, f := range c.Failures {
			fmt.Fprintf(b, "  - %s\n", f.Message)
			if f.Curl != "" && (i+1 == len(c.Failures) || c.Failures[i+1].Curl != f.Curl) {
				fmt.Fprintf(b, "    reproduce: %s\n", f.Curl)
			}
		}
		if c.More > 0 {
			fmt.Fprintf(b, "  ... and %d more\n", c.More)
		}
	}
}

func (r *Report) totals(b *strings.Builder) {
	fmt.Fprintf(b, "\n%d passed, %d failed, %d skipped; %d requests (budget %d) in %s\n",
		r.Passed, r.Failed, r.Skipped, r.Requests, r.MaxRequests, r.Duration.Round(time.Millisecond))
	if r.Sampled {
		b.WriteString("some checks sampled the population instead of walking all of it (see the notes)\n")
	}
}

// ErrorReport is the report of a run that could not start or was cut short before any check
// ran (the target unreachable, a key rejected, a bad setting): one failed check, run/target,
// saying why, so the JUnit and JSON files CI collects exist and show the failure. cfg's keys
// and the other secrets given are redacted from it.
func ErrorReport(cfg Config, err error, secrets ...string) *Report {
	rd := newRedactor(append([]string{cfg.APIKey, cfg.APIKey2}, secrets...)...)
	msg := rd.String(err.Error())
	if cfg.MaxRequests <= 0 {
		cfg.MaxRequests = DefaultMaxRequests
	}
	return &Report{
		Target: rd.String(cfg.BaseURL), SecondKey: cfg.APIKey2 != "", MaxRequests: cfg.MaxRequests,
		Checks: []Result{{
			Name: "run/target", Family: "run", Status: Fail, Reason: msg,
			Description: "the suite reaches the target and the target accepts its settings",
			Failures:    []Failure{{Message: msg}},
		}},
		Failed: 1,
	}
}

// progressLabel is "[ 3/58]": where a check stands in the run.
func progressLabel(i, n int) string {
	w := len(strconv.Itoa(n))
	return fmt.Sprintf("[%*d/%d]", w, i+1, n)
}

// progressLine is the line Config.Log gets when a check finishes: its outcome, name, cost and,
// when it did not pass, why.
func progressLine(res Result, i, n int) string {
	line := fmt.Sprintf("%s %-4s %-40s %4d req %7s", progressLabel(i, n), strings.ToUpper(string(res.Status)), res.Name, res.Requests, res.Duration.Round(time.Millisecond))
	if res.Status != Pass && res.Reason != "" {
		line += "  " + clip(res.Reason, 160)
	}
	return line
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// The JUnit XML elements, as CI systems (GitHub, GitLab, Jenkins) read them.
type (
	junitSuites struct {
		XMLName  xml.Name     `xml:"testsuites"`
		Name     string       `xml:"name,attr"`
		Tests    int          `xml:"tests,attr"`
		Failures int          `xml:"failures,attr"`
		Skipped  int          `xml:"skipped,attr"`
		Time     string       `xml:"time,attr"`
		Suites   []junitSuite `xml:"testsuite"`
	}
	junitSuite struct {
		Name     string      `xml:"name,attr"`
		Tests    int         `xml:"tests,attr"`
		Failures int         `xml:"failures,attr"`
		Errors   int         `xml:"errors,attr"`
		Skipped  int         `xml:"skipped,attr"`
		Time     string      `xml:"time,attr"`
		Cases    []junitCase `xml:"testcase"`
	}
	junitCase struct {
		Name      string        `xml:"name,attr"`
		ClassName string        `xml:"classname,attr"`
		Time      string        `xml:"time,attr"`
		Failure   *junitFailure `xml:"failure,omitempty"`
		Skipped   *junitSkipped `xml:"skipped,omitempty"`
		SystemOut string        `xml:"system-out,omitempty"`
	}
	junitFailure struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr"`
		Text    string `xml:",chardata"`
	}
	junitSkipped struct {
		Message string `xml:"message,attr"`
	}
)

// WriteJUnit writes the report as JUnit XML: one testsuite per check family, one testcase
// per check.
func (r *Report) WriteJUnit(w io.Writer) error {
	out := junitSuites{Name: "partner-api-contract", Time: seconds(r.Duration)}
	index := map[string]int{}
	for _, c := range r.Checks {
		i, ok := index[c.Family]
		if !ok {
			i = len(out.Suites)
			index[c.Family] = i
			out.Suites = append(out.Suites, junitSuite{Name: "contract." + c.Family})
		}
		s := &out.Suites[i]
		tc := junitCase{Name: c.Name, ClassName: "contract." + c.Family, Time: seconds(c.Duration)}
		var notes []string
		notes = append(notes, c.Description, fmt.Sprintf("%d requests", c.Requests))
		notes = append(notes, c.Notes...)
		tc.SystemOut = strings.Join(notes, "\n")
		switch c.Status {
		case Fail:
			var text strings.Builder
			for _, f := range c.Failures {
				text.WriteString(f.Message + "\n")
				if f.Curl != "" {
					text.WriteString("  reproduce: " + f.Curl + "\n")
				}
			}
			if c.More > 0 {
				fmt.Fprintf(&text, "... and %d more\n", c.More)
			}
			tc.Failure = &junitFailure{Message: c.Reason, Type: "ContractViolation", Text: text.String()}
			s.Failures++
			out.Failures++
		case Skip:
			tc.Skipped = &junitSkipped{Message: c.Reason}
			s.Skipped++
			out.Skipped++
		}
		s.Tests++
		out.Tests++
		s.Cases = append(s.Cases, tc)
	}
	for i := range out.Suites {
		var d time.Duration
		for _, c := range r.Checks {
			if "contract."+c.Family == out.Suites[i].Name {
				d += c.Duration
			}
		}
		out.Suites[i].Time = seconds(d)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func seconds(d time.Duration) string {
	return fmt.Sprintf("%.3f", d.Seconds())
}
