package gen

import (
	"testing"
)

// BenchmarkGenerate1M measures a million-user population, the size of a large tenant.
func BenchmarkGenerate1M(b *testing.B) {
	p := testParams(1_000_000)
	b.ReportAllocs()
	for b.Loop() {
		users, err := Generate(p)
		if err != nil {
			b.Fatal(err)
		}
		if len(users) != p.Users {
			b.Fatalf("got %d users", len(users))
		}
	}
}
