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

// BenchmarkGenerateOrders1M measures the orders of a million-user population with the tenants'
// default year of future (its future's users included) at the default rate: the orders of a
// large tenant. The users are generated once, outside the measurement.
func BenchmarkGenerateOrders1M(b *testing.B) {
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
		book, err := GenerateOrders(op)
		if err != nil {
			b.Fatal(err)
		}
		if len(book.Orders) == 0 {
			b.Fatal("no orders")
		}
		orders = len(book.Orders)
	}
	b.ReportMetric(float64(orders), "orders/op")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(orders), "ns/order")
}
