package gen

import (
	"crypto/sha256"
	"flag"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/mock/internal/domain"
	goldenfile "github.com/cryptofi/partner-mock/mock/internal/golden"
	"github.com/cryptofi/partner-mock/mock/internal/resource/orders"
	"github.com/cryptofi/partner-mock/mock/internal/resource/users"
)

var updateGoldens = flag.Bool("update", false, "rewrite testdata/*.golden (refused unless gen.Version was bumped or the data is unchanged)")

// goldenUsers is the population size of the golden files: several chunks, the last one partial.
const goldenUsers = 10_000

// settled is an instant after every generated change: records render in their final state.
const settled = 1 << 62

// TestGoldenPopulations pins generated users to Version. The files hold the first users of a
// seed, the users around the first chunk boundary and the first users of the future, exactly,
// plus a digest of the whole population, so any change to what a seed generates fails here
// until Version is bumped and the files are rewritten with -update.
func TestGoldenPopulations(t *testing.T) {
	tests := []struct {
		name string
		edit func(p *Params)
	}{
		{name: "sequence-ids", edit: func(p *Params) {}},
		{name: "hashed-ids-with-reserved", edit: func(p *Params) {
			p.Seed = 7
			p.IDFormat = "CIF#########"
			p.Reserved = map[string]bool{"CIF000000001": true}
		}},
		{name: "sequence-ids-future-365d", edit: func(p *Params) { p.Future = testFuture }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := testParams(goldenUsers)
			tt.edit(&p)
			generated, err := Generate(p)
			require.NoError(t, err)
			goldenfile.Check(t, filepath.Join("testdata", tt.name+".golden"), Version, renderGolden(generated, p.Users), *updateGoldens)
		})
	}
}

// renderGolden renders users 0-29, 4086-4105 (around the first chunk boundary) and the first
// ten users of the future (from position window on) as the API's user objects in their settled
// state with created_at and each account's decision instant, one per line, then the SHA-256 of
// every user so rendered.
func renderGolden(all []domain.User, window int) []byte {
	line := func(b []byte, i int) []byte {
		b = fmt.Appendf(b, "%d ", i)
		b = users.AppendUser(b, &all[i], settled)
		b = fmt.Appendf(b, " created_at=%s decided=", all[i].CreatedTime().Format("2006-01-02T15:04:05Z"))
		for _, a := range all[i].Accounts {
			b = fmt.Appendf(b, "%d,", a.DecidedAt)
		}
		return append(b, '\n')
	}
	var out []byte
	for i := range 30 {
		out = line(out, i)
	}
	for i := chunkSize - 10; i < chunkSize+10; i++ {
		out = line(out, i)
	}
	for i := window; i < min(window+10, len(all)); i++ {
		out = line(out, i)
	}
	h := sha256.New()
	var buf []byte
	for i := range all {
		buf = line(buf[:0], i)
		h.Write(buf)
	}
	return fmt.Appendf(out, "sha256 of all %d users: %x\n", len(all), h.Sum(nil))
}

// TestGoldenOrders pins generated orders to Version, as TestGoldenPopulations pins users: the
// first orders, those around the first chunk boundary of users and the first orders of the
// future's users exactly, plus a digest of the whole book.
func TestGoldenOrders(t *testing.T) {
	p := testParams(goldenUsers)
	p.Future = testFuture
	all, err := Generate(p)
	require.NoError(t, err)
	store, err := GenerateOrderStore(testOrderParams(p, all), false)
	require.NoError(t, err)
	goldenfile.Check(t, filepath.Join("testdata", "orders.golden"), Version, renderOrdersGolden(all, store, p.Users), *updateGoldens)
}

// renderOrdersGolden renders orders 0-29, the ten orders on either side of the first order of a
// user past the first chunk, and the first ten orders of the future's users (from user position
// window on) as the API's order objects in their settled state with the instant they settle,
// one per line, then the SHA-256 of every order so rendered.
func renderOrdersGolden(all []domain.User, store *domain.OrderStore, window int) []byte {
	w := &domain.World{Users: all, Orders: store}
	book := store.Book()
	line := func(b []byte, i int) []byte {
		o := &book.Orders[i]
		b = fmt.Appendf(b, "%d ", i)
		b = orders.AppendOrder(b, w, o, settled)
		return fmt.Appendf(b, " settled=%d\n", o.SettledAt)
	}
	first := func(user int) int {
		for i, o := range book.Orders {
			if int(o.User) >= user {
				return i
			}
		}
		return len(book.Orders)
	}
	var out []byte
	for i := range min(30, len(book.Orders)) {
		out = line(out, i)
	}
	boundary := first(chunkSize)
	for i := max(boundary-10, 0); i < min(boundary+10, len(book.Orders)); i++ {
		out = line(out, i)
	}
	future := first(window)
	for i := future; i < min(future+10, len(book.Orders)); i++ {
		out = line(out, i)
	}
	h := sha256.New()
	var buf []byte
	for i := range book.Orders {
		buf = line(buf[:0], i)
		h.Write(buf)
	}
	return fmt.Appendf(out, "sha256 of all %d orders in %d series: %x\n", len(book.Orders), len(book.Series), h.Sum(nil))
}
