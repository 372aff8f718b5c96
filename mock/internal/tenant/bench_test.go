package tenant

import (
	"fmt"
	"testing"
	"time"

	"github.com/cryptofi/partner-mock/mock/internal/domain"
	"github.com/cryptofi/partner-mock/mock/internal/gen"
	"github.com/cryptofi/partner-mock/mock/internal/render"
)

// BenchmarkParsePinned10k measures reading a pinned-users file of 10,000 users in the format of a
// JSON dump, the largest pinned file a partner is likely to write.
func BenchmarkParsePinned10k(b *testing.B) {
	const n = 10_000
	users, err := gen.Generate(gen.Params{
		Seed: 1, Users: n, AsOf: rules.AsOf,
		Products: toProducts(specProducts), Statuses: toStatuses(specStatuses),
	})
	if err != nil {
		b.Fatal(err)
	}
	data := []byte(`{"users":[` + "\n")
	for i := range users {
		if i > 0 {
			data = append(data, ",\n"...)
		}
		data = appendWithCreatedAt(data, &users[i])
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

// appendWithCreatedAt appends the user object as dump writes it.
func appendWithCreatedAt(b []byte, u *domain.User) []byte {
	b = render.AppendUser(b, u)
	return fmt.Appendf(b[:len(b)-1], `,"created_at":%q}`, u.CreatedTime().Format(time.RFC3339))
}
