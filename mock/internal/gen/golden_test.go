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
	"github.com/cryptofi/partner-mock/mock/internal/resource/users"
)

var updateGoldens = flag.Bool("update", false, "rewrite testdata/*.golden (refused unless gen.Version was bumped or the data is unchanged)")

// goldenUsers is the population size of the golden files: several chunks, the last one partial.
const goldenUsers = 10_000

// TestGoldenPopulations pins generated users to Version. The files hold the first users of a
// seed and the users around the first chunk boundary, exactly, plus a digest of the whole
// population, so any change to what a seed generates fails here until Version is bumped and the
// files are rewritten with -update.
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
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := testParams(goldenUsers)
			tt.edit(&p)
			generated, err := Generate(p)
			require.NoError(t, err)
			goldenfile.Check(t, filepath.Join("testdata", tt.name+".golden"), Version, renderGolden(generated), *updateGoldens)
		})
	}
}

// renderGolden renders users 0-29 and 4086-4105 (around the first chunk boundary) as the API's
// user objects in their settled state with created_at and each account's decision instant, one
// per line, then the SHA-256 of every user so rendered.
func renderGolden(all []domain.User) []byte {
	line := func(b []byte, i int) []byte {
		b = fmt.Appendf(b, "%d ", i)
		b = users.AppendUser(b, &all[i], 1<<62)
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
	h := sha256.New()
	var buf []byte
	for i := range all {
		buf = line(buf[:0], i)
		h.Write(buf)
	}
	return fmt.Appendf(out, "sha256 of all %d users: %x\n", len(all), h.Sum(nil))
}
