package tenant

import (
	"testing"

	"github.com/cryptofi/partner-mock/mock/internal/domain"
	"github.com/cryptofi/partner-mock/mock/internal/gen"
	"github.com/cryptofi/partner-mock/mock/internal/resource"
	userres "github.com/cryptofi/partner-mock/mock/internal/resource/users"
)

// BenchmarkParsePinned10k measures reading a pinned-users file of 10,000 users in the format of a
// JSON dump, the largest pinned file a partner is likely to write.
func BenchmarkParsePinned10k(b *testing.B) {
	const n = 10_000
	users, err := gen.Generate(gen.Params{
		Seed: 1, Users: n, AsOf: rules.AsOf,
		Products: rules.Vocab.Products, Statuses: rules.Vocab.KycStatuses,
	})
	if err != nil {
		b.Fatal(err)
	}
	w := &domain.World{Users: users, AsOf: rules.AsOf.UnixMicro()}
	dumper := userres.Resource.(resource.Dumper)
	data := []byte(`{"users":[` + "\n")
	for i := range users {
		if i > 0 {
			data = append(data, ",\n"...)
		}
		data = dumper.AppendDumpItem(data, w, int32(i), w.AsOf)
	}
	data = append(data, "\n]}\n"...)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		got, err := rules.Parse("bench.json", data)
		if err != nil {
			b.Fatal(err)
		}
		if len(got) != n {
			b.Fatalf("%d users", len(got))
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "users/s")
}
