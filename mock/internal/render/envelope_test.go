package render

import (
	"math/big"
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
			got := appendEnvelope(nil, ListEnvelope{Total: 7, LastRecordNumber: tt.cursor, Returned: tt.returned, PerPage: 25})
			assert.Equal(t, tt.want, string(got))
		})
	}
}
