package main

import (
	"bufio"
	"io"
	"os/exec"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// mockProcess is a running partner-mock.
type mockProcess struct {
	cmd    *exec.Cmd
	base   string
	stderr *syncBuffer
	exited chan struct{}
	err    error
}

var mockServingLine = regexp.MustCompile(`serving (http://[^/\s]+)/`)

// startMockProcess runs bin with args (its own stderr kept for the test to read) and waits for its start-up block to name the address.
func startMockProcess(t testing.TB, bin string, args ...string) *mockProcess {
	t.Helper()
	p := &mockProcess{cmd: exec.Command(bin, args...), stderr: &syncBuffer{}, exited: make(chan struct{})}
	p.cmd.Stderr = p.stderr
	stdout, err := p.cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, p.cmd.Start())
	t.Cleanup(func() {
		select {
		case <-p.exited:
		default:
			_ = p.cmd.Process.Kill()
			<-p.exited
		}
	})
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := mockServingLine.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case found <- m[1]:
				default:
				}
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
		p.err = p.cmd.Wait()
		close(p.exited)
	}()
	select {
	case p.base = <-found:
	case <-p.exited:
		t.Fatalf("partner-mock exited at start-up: %v\n%s", p.err, p.stderr.String())
	case <-time.After(60 * time.Second):
		t.Fatalf("partner-mock did not start in 60s:\n%s", p.stderr.String())
	}
	return p
}

// wait waits up to d for the process to exit and returns its exit code (-1 on timeout).
func (p *mockProcess) wait(d time.Duration) int {
	select {
	case <-p.exited:
		return p.cmd.ProcessState.ExitCode()
	case <-time.After(d):
		return -1
	}
}
