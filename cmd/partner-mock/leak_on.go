//go:build soakleak

package main

import (
	"net/http"
	"sync"
)

// A deliberate leak, for the soak's self-check (TestSoakCatchesALeak): built only with -tags
// soakleak, never into the mock partners run. Every request keeps leakPerRequest more bytes
// alive for good, as a cache without eviction would.
const leakPerRequest = 4 << 10

var (
	leakMu sync.Mutex
	leaked [][]byte
)

func plantLeak(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, leakPerRequest)
		for i := range b {
			b[i] = byte(i) // touched, so resident
		}
		leakMu.Lock()
		leaked = append(leaked, b)
		leakMu.Unlock()
		h.ServeHTTP(w, r)
	})
}
