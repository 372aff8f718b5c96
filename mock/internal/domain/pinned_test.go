package domain

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestRegularSeries(t *testing.T) {
	day := int64(24 * time.Hour / time.Microsecond)
	jan := time.Date(2025, 1, 15, 9, 30, 0, 0, time.UTC)
	monthly := func(months ...int) []int64 {
		var out []int64
		for _, m := range months {
			out = append(out, jan.AddDate(0, m, 0).UnixMicro())
		}
		return out
	}
	tests := []struct {
		name  string
		times []int64
		want  bool
	}{
		{"none", nil, true},
		{"two are always regular", []int64{0, 5 * day}, true},
		{"weekly", []int64{0, 7 * day, 14 * day, 21 * day}, true},
		{"a gap missing", []int64{0, 7 * day, 21 * day}, false},
		{"monthly", monthly(0, 1, 2, 3), true},
		{"monthly from its second order", monthly(1, 2, 3), true},
		{"a month missing", monthly(0, 1, 3), false},
		{"two at the same instant", []int64{0, 0, 0}, false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, RegularSeries(tt.times), tt.name)
	}
}
