// Package startup records where the mock's start-up goes: named phases with their wall time
// and the CPU time the whole process spent during them (every core), for serve
// --profile-startup. A nil *Recorder records nothing, so code under test passes nil.
package startup

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode/utf8"
)

// Phase is one recorded step of the start-up.
type Phase struct {
	Name string
	// Depth nests a phase inside the one recorded before it at a smaller depth.
	Depth int
	// Start is when the phase began, from the recorder's origin.
	Start time.Duration
	// Wall is its length; CPU the process's CPU time (user and system, every thread) meanwhile.
	Wall, CPU time.Duration
}

// Recorder collects phases. It is safe for concurrent use; phases are listed in the order
// they began.
type Recorder struct {
	mu     sync.Mutex
	origin time.Time
	phases []Phase
}

// New returns a recorder whose phase start times count from now.
func New() *Recorder { return NewAt(time.Now()) }

// NewAt returns a recorder whose phase start times count from origin.
func NewAt(origin time.Time) *Recorder { return &Recorder{origin: origin} }

// Since returns the time since the recorder's origin.
func (r *Recorder) Since() time.Duration { return time.Since(r.origin) }

// Begin starts the phase name at depth and returns the function that ends it.
func (r *Recorder) Begin(depth int, name string) (end func()) {
	if r == nil {
		return func() {}
	}
	start, cpu := time.Now(), CPUTime()
	r.mu.Lock()
	i := len(r.phases)
	r.phases = append(r.phases, Phase{Name: name, Depth: depth, Start: start.Sub(r.origin)})
	r.mu.Unlock()
	return func() {
		wall, used := time.Since(start), CPUTime()-cpu
		r.mu.Lock()
		r.phases[i].Wall, r.phases[i].CPU = wall, used
		r.mu.Unlock()
	}
}

// Add records a phase measured elsewhere (the time before main, say).
func (r *Recorder) Add(p Phase) {
	if r == nil {
		return
	}
	r.mu.Lock()
	r.phases = append(r.phases, p)
	r.mu.Unlock()
}

// Phases returns a copy of the phases recorded so far.
func (r *Recorder) Phases() []Phase {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Phase(nil), r.phases...)
}

// Print writes the phases as a table: name (indented by depth), start, wall and CPU time.
func Print(w io.Writer, phases []Phase) {
	width := len("phase")
	for _, p := range phases {
		width = max(width, 2*p.Depth+utf8.RuneCountInString(p.Name))
	}
	fmt.Fprintf(w, "  %-*s  %10s  %10s  %10s\n", width, "phase", "starts at", "wall", "cpu")
	for _, p := range phases {
		name := strings.Repeat("  ", p.Depth) + p.Name
		pad := width - utf8.RuneCountInString(name)
		fmt.Fprintf(w, "  %s%s  %10s  %10s  %10s\n", name, strings.Repeat(" ", pad), ms(p.Start), ms(p.Wall), ms(p.CPU))
	}
}

func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 1, 64) + " ms"
}

// CPUTime returns the CPU time (user and system) the process has used so far, on every thread.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// SinceExec returns how long ago the process started (exec), from /proc, to the kernel's clock
// tick (10 ms on most Linux systems); false where /proc does not tell.
func SinceExec() (time.Duration, bool) {
	stat, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return 0, false
	}
	up, err := os.ReadFile("/proc/uptime")
	if err != nil {
		return 0, false
	}
	// The command name (field 2) may hold spaces; the fields after its closing parenthesis do
	// not. starttime is field 22: the 20th after the parenthesis.
	s := string(stat)
	rest := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	upFields := strings.Fields(string(up))
	if len(rest) < 20 || len(upFields) == 0 {
		return 0, false
	}
	ticks, err1 := strconv.ParseInt(rest[19], 10, 64)
	uptime, err2 := strconv.ParseFloat(upFields[0], 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	const clockTicks = 100 // USER_HZ: 100 on every Linux architecture Go supports
	d := time.Duration(uptime*float64(time.Second)) - time.Duration(ticks)*time.Second/clockTicks
	return max(d, 0), true
}
