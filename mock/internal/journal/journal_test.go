package journal

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fixedClock is a mock clock that advances one millisecond per reading.
type fixedClock struct{ n atomic.Int64 }

func (c *fixedClock) now() time.Time {
	return time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(c.n.Add(1)) * time.Millisecond)
}

func entry(fi, path string, status int) Entry {
	return Entry{FI: fi, Method: "GET", Path: path, Status: status}
}

func paths(es []Entry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Path)
	}
	return out
}

func TestListIsNewestFirstLimitedAndFiltered(t *testing.T) {
	j := New((&fixedClock{}).now, Config{Size: 10})
	j.Add(entry("a", "/1", 200))
	j.Add(entry("b", "/2", 200))
	j.Add(entry("", "/3", 401))
	j.Add(entry("a", "/4", 503))

	tests := []struct {
		name  string
		limit int
		fi    string
		want  []string
	}{
		{"everything", 0, "", []string{"/4", "/3", "/2", "/1"}},
		{"negative limit is no limit", -1, "", []string{"/4", "/3", "/2", "/1"}},
		{"limit", 2, "", []string{"/4", "/3"}},
		{"limit above the count", 50, "", []string{"/4", "/3", "/2", "/1"}},
		{"one FI", 0, "a", []string{"/4", "/1"}},
		{"one FI, limited", 1, "a", []string{"/4"}},
		{"an FI with no requests", 0, "zzz", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, paths(j.List(tt.limit, tt.fi)))
		})
	}
	got := j.List(0, "")
	require.Len(t, got, 4)
	assert.Equal(t, []uint64{4, 3, 2, 1}, []uint64{got[0].Seq, got[1].Seq, got[2].Seq, got[3].Seq})
	assert.Equal(t, Entry{Seq: 4, FI: "a", Method: "GET", Path: "/4", Status: 503}, got[0])
	assert.Equal(t, 4, j.Len())
}

func TestTheRingKeepsTheNewest(t *testing.T) {
	j := New((&fixedClock{}).now, Config{Size: 3})
	for i := 1; i <= 8; i++ {
		j.Add(entry("a", "/"+strconv.Itoa(i), 200))
	}
	assert.Equal(t, []string{"/8", "/7", "/6"}, paths(j.List(0, "")))
	assert.Equal(t, 3, j.Len())
	assert.Equal(t, 3, j.Size())
}

func TestClear(t *testing.T) {
	j := New((&fixedClock{}).now, Config{Size: 3})
	j.Add(entry("a", "/1", 200))
	j.Add(entry("a", "/2", 200))
	j.Clear()
	assert.Empty(t, j.List(0, ""))
	assert.Zero(t, j.Len())
	j.Add(entry("a", "/3", 200))
	got := j.List(0, "")
	require.Len(t, got, 1)
	assert.Equal(t, "/3", got[0].Path)
	assert.Equal(t, uint64(3), got[0].Seq, "numbers go on after Clear")
}

func TestSize(t *testing.T) {
	for _, tt := range []struct{ size, want int }{{0, DefaultSize}, {-5, DefaultSize}, {1, 1}, {MaxSize + 1, MaxSize}} {
		assert.Equal(t, tt.want, New(time.Now, Config{Size: tt.size}).Size(), "Size %d", tt.size)
	}
}

func TestNowIsTheInjectedClock(t *testing.T) {
	at := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	j := New(func() time.Time { return at }, Config{})
	assert.Equal(t, at, j.Now())
}

func TestLongFieldsAreCutAndMemoryStaysBounded(t *testing.T) {
	j := New((&fixedClock{}).now, Config{Size: 4})
	long := strings.Repeat("x", 100_000)
	for i := range 20 {
		j.Add(Entry{Method: long, FI: long, Path: "/" + long, Query: "q=" + long, Faults: Faults{Prefer: long}, Status: i})
	}
	got := j.List(0, "")
	require.Len(t, got, 4)
	e := got[0]
	assert.True(t, e.Truncated)
	assert.Len(t, e.Method, MaxMethodBytes)
	assert.Len(t, e.FI, MaxFIBytes)
	assert.Len(t, e.Path, MaxPathBytes)
	assert.Len(t, e.Query, MaxQueryBytes)
	assert.Len(t, e.Faults.Prefer, MaxPreferBytes)
	assert.True(t, strings.HasPrefix(e.Query, "q=xxx"))

	limit := MaxMethodBytes + MaxFIBytes + MaxPathBytes + MaxQueryBytes + MaxPreferBytes
	for i := range j.slots {
		assert.LessOrEqual(t, cap(j.slots[i].buf), 2*limit, "slot %d holds at most its caps (plus append's slack)", i)
		assert.LessOrEqual(t, len(j.slots[i].buf), limit)
	}
	j.Add(entry("a", "/short", 200))
	assert.False(t, j.List(1, "")[0].Truncated)
}

func TestAddAllocatesNothingOnceWarm(t *testing.T) {
	j := New((&fixedClock{}).now, Config{Size: 64})
	e := Entry{Time: time.Now(), FI: "demo-credit-union", Method: "GET", Path: "/v1/users/", Query: "per_page=25&sort_order=asc",
		Status: 200, Duration: time.Millisecond, Faults: Faults{Latency: time.Millisecond, Prefer: "delay=10"}}
	for range 128 {
		j.Add(e)
	}
	assert.Zero(t, testing.AllocsPerRun(1000, func() { j.Add(e) }))
}

// TestConcurrentWritersAndReaders runs writers and readers together (under -race in CI): every
// listed entry is whole (its fields were written together), and every list is in order.
func TestConcurrentWritersAndReaders(t *testing.T) {
	j := New((&fixedClock{}).now, Config{Size: 100})
	const writers, perWriter, readers = 4, 2000, 3
	var wg sync.WaitGroup
	var stop atomic.Bool
	for w := range writers {
		wg.Go(func() {
			for i := range perWriter {
				fi := "fi-" + strconv.Itoa(w)
				j.Add(Entry{FI: fi, Method: "GET", Path: fmt.Sprintf("/%d/%d", w, i), Query: "w=" + strconv.Itoa(w), Status: 200 + w, Duration: time.Duration(i)})
			}
		})
	}
	var lists atomic.Int64
	var rwg sync.WaitGroup
	for r := range readers {
		rwg.Go(func() {
			for !stop.Load() {
				fi := ""
				if r == 1 {
					fi = "fi-2"
				}
				got := j.List(30, fi)
				lists.Add(1)
				for k, e := range got {
					var w, i int
					_, err := fmt.Sscanf(e.Path, "/%d/%d", &w, &i)
					if !assert.NoError(t, err) {
						return
					}
					assert.Equal(t, "fi-"+strconv.Itoa(w), e.FI, "a whole entry")
					assert.Equal(t, "w="+strconv.Itoa(w), e.Query)
					assert.Equal(t, 200+w, e.Status)
					assert.Equal(t, time.Duration(i), e.Duration)
					if fi != "" {
						assert.Equal(t, fi, e.FI)
					}
					if k > 0 {
						assert.Less(t, e.Seq, got[k-1].Seq, "newest first")
					}
				}
				if r == 2 && lists.Load()%50 == 0 {
					j.Clear()
				}
			}
		})
	}
	wg.Wait()
	stop.Store(true)
	rwg.Wait()
	got := j.List(0, "")
	assert.LessOrEqual(t, len(got), 100)
	assert.Equal(t, uint64(writers*perWriter), got[0].Seq, "every Add was counted")
	t.Logf("%d lists read while %d entries were added", lists.Load(), writers*perWriter)
}

func TestAppendJSON(t *testing.T) {
	at := time.Date(2025, 10, 1, 12, 30, 45, 123_456_789, time.FixedZone("X", 2*3600))
	es := []Entry{
		{Seq: 7, Time: at, FI: "demo-credit-union", Method: "GET", Path: "/v1/users/", Query: "per_page=2&x=%22", Status: 503,
			Duration: 812_345_678 * time.Nanosecond, Faults: Faults{Latency: 20 * time.Millisecond, KeyLatency: 792_400 * time.Microsecond,
				Error: Key, Prefer: "delay=0"}},
		{Seq: 6, Time: at.Add(-time.Second), Method: "GET", Path: "/v1/users/\"odd\"\n", Status: 401, Duration: 1500},
		{Seq: 5, Time: at, FI: "b", Method: "GET", Path: "/v1/users/", Status: 429, Faults: Faults{RateLimit: Chaos}, Truncated: true},
		{Seq: 4, Time: at, FI: "b", Method: "GET", Path: "/v1/users/", Status: 500, Faults: Faults{Status: 500}},
	}
	got := string(AppendJSON(nil, es))
	want := `[` +
		`{"seq":7,"time":"2025-10-01T10:30:45.123Z","fi":"demo-credit-union","method":"GET","path":"/v1/users/","query":"per_page=2&x=%22",` +
		`"status":503,"duration_ms":812.346,"truncated":false,"faults":{"latency_ms":20.000,"key_latency_ms":792.400,"error":"key","prefer":"delay=0"}},` +
		`{"seq":6,"time":"2025-10-01T10:30:44.123Z","fi":"","method":"GET","path":"/v1/users/\"odd\"\n","query":"",` +
		`"status":401,"duration_ms":0.002,"truncated":false,"faults":{}},` +
		`{"seq":5,"time":"2025-10-01T10:30:45.123Z","fi":"b","method":"GET","path":"/v1/users/","query":"",` +
		`"status":429,"duration_ms":0.000,"truncated":true,"faults":{"rate_limit":"chaos"}},` +
		`{"seq":4,"time":"2025-10-01T10:30:45.123Z","fi":"b","method":"GET","path":"/v1/users/","query":"",` +
		`"status":500,"duration_ms":0.000,"truncated":false,"faults":{"status":500}}` +
		`]`
	assert.Equal(t, want, got)
	var decoded []map[string]any
	require.NoError(t, json.Unmarshal([]byte(got), &decoded), "valid JSON")
	assert.Len(t, decoded, 4)
	assert.Equal(t, "[]", string(AppendJSON(nil, nil)))
}

// BenchmarkAdd is the journal's cost on a request's hot path.
func BenchmarkAdd(b *testing.B) {
	j := New((&fixedClock{}).now, Config{})
	e := Entry{Time: time.Now(), FI: "demo-credit-union", Method: "GET", Path: "/v1/users/", Query: "per_page=25&sort_order=asc",
		Status: 200, Duration: time.Millisecond}
	b.ReportAllocs()
	for b.Loop() {
		j.Add(e)
	}
}

// BenchmarkAddParallel is Add with every core adding at once: the mutex contended.
func BenchmarkAddParallel(b *testing.B) {
	j := New((&fixedClock{}).now, Config{})
	e := Entry{Time: time.Now(), FI: "demo-credit-union", Method: "GET", Path: "/v1/users/", Query: "per_page=25&sort_order=asc",
		Status: 200, Duration: time.Millisecond}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			j.Add(e)
		}
	})
}

// BenchmarkListFull is a reader taking the whole default-size journal.
func BenchmarkListFull(b *testing.B) {
	j := New((&fixedClock{}).now, Config{})
	for i := range DefaultSize {
		j.Add(Entry{FI: "demo-credit-union", Method: "GET", Path: "/v1/users/", Query: "per_page=" + strconv.Itoa(i), Status: 200})
	}
	b.ReportAllocs()
	for b.Loop() {
		if len(j.List(0, "")) != DefaultSize {
			b.Fatal("short list")
		}
	}
}
