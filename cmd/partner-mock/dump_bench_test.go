package main

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/cryptofi/partner-mock/mock/app"
	"github.com/cryptofi/partner-mock/mock/engine"
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

// BenchmarkDumpWrite100kUsers measures only the writing part of a 100,000-user dump.
func BenchmarkDumpWrite100kUsers(b *testing.B) {
	var cfg app.Config
	src := tenantSource{APIKey: ptr("k1"), Users: ptr(100_000), Seed: ptr(uint64(7))}
	if err := src.apply(&cfg); err != nil {
		b.Fatal(err)
	}
	a, err := app.New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	users := a.Tenants.Tenants()[0].Index.Users(engine.SortCreatedAt)
	for _, format := range []string{"json", "ndjson", "csv"} {
		b.Run(format, func(b *testing.B) {
			var w countingWriter
			for b.Loop() {
				w = 0
				if err := writeDump(&w, format, users); err != nil {
					b.Fatal(err)
				}
			}
			b.SetBytes(int64(w))
		})
	}
}

// countingWriter discards what it is given and counts the bytes.
type countingWriter int64

func (w *countingWriter) Write(p []byte) (int, error) {
	*w += countingWriter(len(p))
	return len(p), nil
}
