package gen

import "testing"

// BenchmarkGenerateOrderStore1M measures what a tenant's start-up does with a million users'
// orders: generate them into the compact store, ordered by placed_at.
func BenchmarkGenerateOrderStore1M(b *testing.B) {
	p := testParams(1_000_000)
	p.Future = testFuture
	users, err := Generate(p)
	if err != nil {
		b.Fatal(err)
	}
	op := testOrderParams(p, users)
	var orders int
	b.ReportAllocs()
	for b.Loop() {
		s, err := GenerateOrderStore(op, true)
		if err != nil {
			b.Fatal(err)
		}
		orders = s.Len()
	}
	b.ReportMetric(float64(orders), "orders/op")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(orders), "ns/order")
}
