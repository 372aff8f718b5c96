package render

import (
	"fmt"
	"math/big"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEnvelopeCursorArithmetic(t *testing.T) {
	huge, ok := new(big.Int).SetString("123456789012345678901234567890", 10)
	require.True(t, ok)
	maxInt64 := big.NewInt(1<<63 - 1)
	tests := []struct {
		name     string
		cursor   *big.Int
		returned int
		want     string
	}{
		{"first page", big.NewInt(0), 25, `],"total_records":7,"last_record_number":25,"per_page":25}`},
		{"past the end echoes the cursor", big.NewInt(40), 0, `],"total_records":7,"last_record_number":40,"per_page":25}`},
		{"a cursor beyond 64 bits is echoed exactly", huge, 0, `],"total_records":7,"last_record_number":123456789012345678901234567890,"per_page":25}`},
		{"a sum that would overflow int64 stays exact", maxInt64, 2, `],"total_records":7,"last_record_number":9223372036854775809,"per_page":25}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := AppendEnvelope(nil, Envelope{Total: 7, LastRecordNumber: tt.cursor, Returned: tt.returned, PerPage: 25})
			assert.Equal(t, tt.want, string(got))
		})
	}
}

func TestStoreKeepsEachRenderingApart(t *testing.T) {
	for _, n := range []int{1, itemsPerChunk - 1, itemsPerChunk, itemsPerChunk + 1, 3*itemsPerChunk + 17} {
		item := func(b []byte, p int32) []byte {
			return append(b, fmt.Sprintf(`{"p":%d,"pad":%q}`, p, strings.Repeat("x", int(p)%7))...)
		}
		reversed := make([]int32, n)
		for i := range reversed {
			reversed[i] = int32(n - 1 - i)
		}
		for _, layout := range [][]int32{nil, reversed} {
			s := NewStore(n, layout, item)
			for p := range int32(n) {
				got := s.Bytes(p)
				require.Equal(t, string(item(nil, p)), string(got), "n=%d p=%d", n, p)
				assert.Equal(t, len(got), cap(got), "an append to one rendering cannot overwrite the next")
			}
		}
	}
}

func TestAppendMicrosFloorsToTheSecond(t *testing.T) {
	assert.Equal(t, "2025-10-01T00:00:00Z", string(AppendMicros(nil, 1759276800_999999)))
	assert.Equal(t, "1969-12-31T23:59:59Z", string(AppendMicros(nil, -1)))
}
