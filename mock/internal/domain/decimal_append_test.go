package domain

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestAppendDecimalDigits checks AppendDecimal against the plain definition: the integer part,
// a point, and the fraction zero-padded to places digits.
func TestAppendDecimalDigits(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 100_000 {
		places := uint8(1 + r.IntN(18))
		v := r.Int64N(1 << 62)
		if r.IntN(4) == 0 {
			v = r.Int64N(1000)
		}
		if r.IntN(3) == 0 {
			v = -v
		}
		sign, abs := "", v
		if v < 0 {
			sign, abs = "-", -v
		}
		pow := int64(1)
		for range places {
			pow *= 10
		}
		frac := strconv.FormatInt(abs%pow, 10)
		want := sign + strconv.FormatInt(abs/pow, 10) + "." + strings.Repeat("0", int(places)-len(frac)) + frac
		require.Equal(t, want, string(AppendDecimal(nil, v, places)), "%d with %d places", v, places)
	}
}
