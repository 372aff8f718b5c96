package params_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/mock/internal/pydantic"
	"github.com/cryptofi/partner-mock/mock/internal/qs"
	"github.com/cryptofi/partner-mock/mock/internal/resource/users"
	"github.com/cryptofi/partner-mock/spec"
)

// FuzzParse checks the query parser on any raw query: it never panics, answers the same twice,
// and either returns a request within the document's bounds or errors that FastAPI would
// render: one per invalid parameter, in document order, with the raw input, as valid JSON.
// The committed corpus is under testdata/fuzz/FuzzParse; `go test` runs it.
func FuzzParse(f *testing.F) {
	p, op, problems := bind(spec.Embedded(), users.Resource)
	require.Empty(f, problems)
	order := map[string]int{}
	for i, sp := range op.Params {
		order[sp.Name] = i
	}
	f.Add("per_page=10&sort_order=asc")
	f.Add("created_at_start=2025-01-01T00:00:00Z&created_at_end=1700000000")
	f.Fuzz(func(t *testing.T, raw string) {
		req, errs := p.Parse(raw)
		req2, errs2 := p.Parse(raw)
		assert.Equal(t, errs, errs2, "deterministic")
		assert.Equal(t, req, req2, "deterministic")
		pairs := qs.Parse(raw)
		if errs == nil {
			assert.True(t, req.PerPage >= 1 && req.PerPage <= 100, "per_page %d", req.PerPage)
			require.NotNil(t, req.LastRecordNumber)
			assert.GreaterOrEqual(t, req.LastRecordNumber.Sign(), 0)
			return
		}
		last := -1
		for _, e := range errs {
			require.Len(t, e.Loc, 2)
			assert.Equal(t, "query", e.Loc[0])
			i, known := order[e.Loc[1]]
			require.True(t, known, "error for a parameter the document has: %q", e.Loc[1])
			assert.Greater(t, i, last, "document order, one error per parameter")
			last = i
			assert.NotEmpty(t, e.Type)
			assert.NotEmpty(t, e.Msg)
			v, present := qs.Last(pairs, e.Loc[1])
			assert.True(t, present)
			assert.Equal(t, v, e.Input, "the input is the raw value, the last one sent")
		}
		body := pydantic.AppendBody(nil, errs)
		var decoded struct {
			Detail []map[string]json.RawMessage `json:"detail"`
		}
		require.NoError(t, json.Unmarshal(body, &decoded), "%s", body)
		require.Len(t, decoded.Detail, len(errs))
		for _, d := range decoded.Detail {
			for _, k := range []string{"type", "loc", "msg", "input"} {
				assert.Contains(t, d, k)
			}
		}
	})
}
