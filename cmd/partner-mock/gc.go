package main

import (
	"os"
	"runtime/debug"
	"runtime/metrics"
)

// requestGarbage is how much garbage serving may leave before a collection: the requests' own
// allocations, a few kilobytes each. A collection marks the whole live heap (about 130 ms of
// CPU for a million users with their orders on this project's 2-core machine), so this trades
// resident memory for collections: every 128 MB is one every few seconds at full load, a few
// microseconds a request.
const requestGarbage = 128 << 20

// tuneGC sets the garbage collector's pace for serving, unless GOGC says otherwise. By default
// Go collects when the heap has doubled since the last collection; a mock holding a million
// users' data (700 MB, nearly all of it live and never freed) would let requests leave 700 MB
// of garbage first, and every allocation would land on memory not touched since start-up
// (after debug.FreeOSMemory, memory the system has to fault in again). Collecting once
// requests have left about requestGarbage keeps their allocations on the same memory and
// resident memory near the data's size plus that. Small heaps keep Go's default.
func tuneGC() {
	if os.Getenv("GOGC") != "" {
		return
	}
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return
	}
	live := s[0].Value.Uint64()
	if live == 0 {
		return
	}
	percent := max(min(int(requestGarbage*100/live), 100), 10)
	debug.SetGCPercent(percent)
}
