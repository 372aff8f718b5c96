package domain

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAppendDecimal(t *testing.T) {
	tests := []struct {
		v      int64
		places uint8
		want   string
	}{
		{152300, 8, "0.00152300"},
		{123456789012, 8, "1234.56789012"},
		{7, 6, "0.000007"},
		{4237288, 6, "4.237288"},
		{-7, 2, "-0.07"},
		{123450, 2, "1234.50"},
		{0, 2, "0.00"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, string(AppendDecimal(nil, tt.v, tt.places)), "%d/10^%d", tt.v, tt.places)
	}
}

func TestParseDecimalRoundTrips(t *testing.T) {
	for _, s := range []string{"0.00152300", "1234.56789012", "0.00000001"} {
		v, err := ParseDecimal(s, 8)
		require.NoError(t, err, s)
		assert.Equal(t, s, string(AppendDecimal(nil, v, 8)))
	}
	for _, bad := range []string{"1.5", "01.00000000", ".00000001", "1.000000000", "-1.00000000", "1e2"} {
		_, err := ParseDecimal(bad, 8)
		assert.Error(t, err, bad)
	}
}

func TestUUIDRoundTrips(t *testing.T) {
	const s = "7f9c24e8-3b1a-4c5d-9e2f-0a1b2c3d4e5f"
	u, ok := ParseUUID(s)
	require.True(t, ok)
	assert.Equal(t, s, u.String())
	for _, bad := range []string{"7F9C24E8-3B1A-4C5D-9E2F-0A1B2C3D4E5F", "7f9c24e83b1a4c5d9e2f0a1b2c3d4e5f", "7f9c24e8-3b1a-4c5d-9e2f-0a1b2c3d4e5", "does-not-exist", "7f9c24e8-3b1a-4c5d-9e2f-0a1b2c3d4e5g"} {
		_, ok := ParseUUID(bad)
		assert.False(t, ok, bad)
	}
}

func TestStatusAtFollowsTheDecision(t *testing.T) {
	a := Account{Status: StatusApproved, DecidedAt: 100}
	assert.Equal(t, StatusPending, a.StatusAt(99))
	assert.Equal(t, StatusApproved, a.StatusAt(100))
	static := Account{Status: "not_started", DecidedAt: Always}
	assert.Equal(t, KycStatus("not_started"), static.StatusAt(-1<<62))
}
