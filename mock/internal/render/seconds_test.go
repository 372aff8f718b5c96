package render

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestAppendSecondsIsTimeFormat checks the direct civil-date rendering against package time,
// over the whole range it covers, its edges and beyond them.
func TestAppendSecondsIsTimeFormat(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	probes := []int64{0, -1, 1, 86399, 86400, -86400, -86401, 951782400, 951868800, 4107542399, 4107542400,
		-62167219200, -62167219201, 253402300799, 253402300800, math.MinInt64 / 2, math.MaxInt64 / 2}
	for range 200_000 {
		probes = append(probes, r.Int64N(253402300800+62167219200)-62167219200)
	}
	for _, sec := range probes {
		want := time.Unix(sec, 0).UTC().Format(DateTimeLayout)
		require.Equal(t, want, string(AppendSeconds(nil, sec)), "second %d", sec)
	}
	for range 10_000 {
		us := r.Int64N(1 << 60)
		if r.IntN(2) == 0 {
			us = -us
		}
		sec := us / 1_000_000
		if us%1_000_000 < 0 {
			sec-- // truncated toward the earlier second
		}
		require.Equal(t, time.Unix(sec, 0).UTC().Format(DateTimeLayout), string(AppendMicros(nil, us)), "microsecond %d", us)
	}
}
