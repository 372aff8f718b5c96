package httpapi

import "sync"

// maxPooledBuffer is the largest response buffer kept for reuse; a rare huge body is left to
// the garbage collector rather than pinned in the pool.
const maxPooledBuffer = 256 << 10

// buffers recycles response bodies. A body is written to the connection before its handler
// returns, so the buffer is free again once writeJSON is done with it.
var buffers = sync.Pool{New: func() any { b := make([]byte, 0, 16<<10); return &b }}

func getBuffer() *[]byte { return buffers.Get().(*[]byte) }

func putBuffer(b *[]byte) {
	if cap(*b) <= maxPooledBuffer {
		buffers.Put(b)
	}
}
