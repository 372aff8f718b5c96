package contract_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/contract"
)

// BenchmarkSuiteAgainstTheMock measures a whole run against the mock over loopback HTTP: the
// time per run (ns/op) and the requests it sends (requests/op). The targets are under 10 s and
// under 1,000 requests.
func BenchmarkSuiteAgainstTheMock(b *testing.B) {
	a, err := newMockApp()
	require.NoError(b, err)
	url := serve(b, a.Handler)
	var requests int
	for b.Loop() {
		rep, err := contract.Run(context.Background(), contract.Config{BaseURL: url, APIKey: "demo-key", APIKey2: "demo-key-2"})
		require.NoError(b, err)
		require.True(b, rep.OK())
		requests = rep.Requests
	}
	b.ReportMetric(float64(requests), "requests/op")
}
