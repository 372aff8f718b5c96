package main

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"
)

// BenchmarkDump100kUsers runs the whole dump command for a 100,000-user tenant, as a partner
// would: building the tenant (generation and indexing) and writing the file. The issue's
// target is under a second.
func BenchmarkDump100kUsers(b *testing.B) {
	for _, format := range []string{"json", "ndjson", "csv"} {
		b.Run(format, func(b *testing.B) {
			out := filepath.Join(b.TempDir(), "users."+format)
			args := []string{"dump", "--api-key", "k1", "--users", "100000", "--seed", "7", "--format", format, "--out", out}
			for b.Loop() {
				var stdout, stderr bytes.Buffer
				if code := run(context.Background(), args, &stdout, &stderr, nil); code != 0 {
					b.Fatalf("exit %d: %s", code, stderr.String())
				}
			}
			b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/dump")
		})
	}
}
