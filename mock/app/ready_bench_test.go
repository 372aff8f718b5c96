package app

import (
	"fmt"
	"testing"
	"time"

	"github.com/cryptofi/partner-mock/mock/internal/tenant"
)

// BenchmarkReadyFiveTenantsOf100k measures how long the mock takes to be ready to serve five
// tenants of 100,000 users each: config validation, generation, indexing and the HTTP handler,
// everything serve does before it listens. The target is under 2 s on the CI machine.
func BenchmarkReadyFiveTenantsOf100k(b *testing.B) {
	asOf := time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)
	formats := []string{"member-{n:06d}", "CIF#########", "CIF{n:09d}", "{n}", "M-########"}
	cfg := &tenant.Config{Source: "bench"}
	for i, f := range formats {
		cfg.Tenants = append(cfg.Tenants, tenant.TenantConfig{
			Name:     fmt.Sprintf("fi-%d", i),
			FIName:   fmt.Sprintf("FI %d", i),
			APIKeys:  []string{fmt.Sprintf("key-%d", i)},
			Seed:     uint64(i + 1),
			Users:    100_000,
			AsOf:     asOf,
			IDFormat: f,
		})
	}
	b.ReportAllocs()
	for b.Loop() {
		a, err := New(Config{Tenants: cfg})
		if err != nil {
			b.Fatal(err)
		}
		if n := len(a.Tenants.Tenants()); n != 5 {
			b.Fatalf("%d tenants", n)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/ready")
}
