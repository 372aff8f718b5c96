package params_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/mock/internal/domain"
	"github.com/cryptofi/partner-mock/mock/internal/params"
	"github.com/cryptofi/partner-mock/mock/internal/pydantic"
	"github.com/cryptofi/partner-mock/mock/internal/query"
	"github.com/cryptofi/partner-mock/mock/internal/resource"
	"github.com/cryptofi/partner-mock/mock/internal/resource/orders"
	"github.com/cryptofi/partner-mock/mock/internal/resource/users"
	"github.com/cryptofi/partner-mock/spec"
)

// bind returns the parser of r's list operation in the document data, with the problems of
// binding it.
func bind(data []byte, r resource.Resource) (*params.Parser, *spec.Operation, []string) {
	s, problems := spec.Inspect("test.json", data)
	if s == nil {
		return nil, nil, problems
	}
	var v domain.Vocab
	if r != users.Resource {
		// Orders' products are the users'.
		op, _ := s.Get(users.Resource.ListPath())
		users.Resource.Bind(op, &v)
	}
	op, ps := s.Get(r.ListPath())
	if op == nil {
		return nil, nil, append(problems, "no "+r.ListPath())
	}
	schema, rules, bps := r.Bind(op, &v)
	p, pps := params.New(op, rules, schema)
	return p, op, append(append(append(problems, ps...), bps...), pps...)
}

func newParser(t *testing.T) *params.Parser { return parserOf(t, users.Resource) }

func parserOf(t *testing.T, r resource.Resource) *params.Parser {
	t.Helper()
	p, _, problems := bind(spec.Embedded(), r)
	require.Empty(t, problems)
	return p
}

func micros(s string) *int64 {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	v := t.UnixMicro()
	return &v
}

func TestParseValid(t *testing.T) {
	p := newParser(t)
	empty := ""
	tests := []struct {
		name  string
		raw   string
		check func(t *testing.T, r params.Request)
	}{
		{"defaults come from the document", "", func(t *testing.T, r params.Request) {
			assert.Equal(t, 25, r.PerPage)
			assert.Equal(t, "0", r.LastRecordNumber.String())
			assert.Equal(t, query.Query{Ranking: 0, Desc: true, Limit: 25}, r.Query)
		}},
		{"last value of a repeated parameter wins", "per_page=0&per_page=5", func(t *testing.T, r params.Request) {
			assert.Equal(t, 5, r.PerPage)
		}},
		{"unknown parameters are ignored", "nope=1&per_page=3", func(t *testing.T, r params.Request) {
			assert.Equal(t, 3, r.PerPage)
		}},
		{"lax integers", "per_page=+1_0.00&last_record_number=%2007%20", func(t *testing.T, r params.Request) {
			assert.Equal(t, 10, r.PerPage)
			assert.Equal(t, "7", r.LastRecordNumber.String())
		}},
		{"a huge cursor is kept exact", "last_record_number=123456789012345678901234567890", func(t *testing.T, r params.Request) {
			assert.Equal(t, "123456789012345678901234567890", r.LastRecordNumber.String())
			assert.Equal(t, int64(1<<63-1), r.Query.Offset)
		}},
		{"empty user_account_id filters to the id \"\"", "user_account_id=", func(t *testing.T, r params.Request) {
			assert.Equal(t, &empty, r.Query.ID)
		}},
		{"filters", "product=crypto&robo_kyc_status=approved&crypto_kyc_status=pending&sort_order=asc&sort_key=user_account_id", func(t *testing.T, r params.Request) {
			// Columns are the products in document order; KYC values are the states'.
			assert.Equal(t, []query.Cond{{Column: 0, Value: query.Present}, {Column: 0, Value: 1}, {Column: 3, Value: 2}}, r.Query.Conds, "document order")
			assert.False(t, r.Query.Desc)
			assert.Equal(t, 1, r.Query.Ranking, "user_account_id")
		}},
		{"datetimes: date only, offsets, no zone is UTC", "created_at_start=2025-01-02&created_at_end=2025-01-02T10:00:00%2B05:30", func(t *testing.T, r params.Request) {
			assert.Equal(t, micros("2025-01-02T00:00:00Z"), r.Query.From)
			assert.Equal(t, micros("2025-01-02T04:30:00Z"), r.Query.Before)
		}},
		{"datetimes: unix seconds and fractions", "created_at_start=1700000000.25&created_at_end=2025-01-02%2010:00:00.123456789", func(t *testing.T, r params.Request) {
			assert.Equal(t, micros("2023-11-14T22:13:20.25Z"), r.Query.From)
			assert.Equal(t, micros("2025-01-02T10:00:00.123456Z"), r.Query.Before)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, errs := p.Parse(tt.raw)
			require.Empty(t, errs)
			tt.check(t, r)
		})
	}
}

func TestParseErrors(t *testing.T) {
	p := newParser(t)
	tests := []struct {
		name string
		raw  string
		want string
	}{
		{"a 30-digit per_page fails its bound with the raw input",
			"per_page=100000000000000000000000000000",
			`{"detail":[{"type":"less_than_equal","loc":["query","per_page"],"msg":"Input should be less than or equal to 100","input":"100000000000000000000000000000","ctx":{"le":100}}]}`},
		{"double underscore", "per_page=1__0",
			`{"detail":[{"type":"int_parsing","loc":["query","per_page"],"msg":"Input should be a valid integer, unable to parse string as an integer","input":"1__0"}]}`},
		{"percent-decoded input is echoed decoded", "sort_order=%3Casc%3E",
			`{"detail":[{"type":"enum","loc":["query","sort_order"],"msg":"Input should be 'asc' or 'desc'","input":"<asc>","ctx":{"expected":"'asc' or 'desc'"}}]}`},
		{"plus is a space", "sort_key=created+at",
			`{"detail":[{"type":"value_error","loc":["query","sort_key"],"msg":"Value error, sort_key must be one of: created_at, user_account_id","input":"created at","ctx":{"error":{}}}]}`},
		{"feb 29 in a non-leap year", "created_at_end=2025-02-29",
			`{"detail":[{"type":"datetime_from_date_parsing","loc":["query","created_at_end"],"msg":"Input should be a valid datetime or date, day value is outside expected range","input":"2025-02-29","ctx":{"error":"day value is outside expected range"}}]}`},
		{"bad year", "created_at_start=20x5-01-01",
			`{"detail":[{"type":"datetime_from_date_parsing","loc":["query","created_at_start"],"msg":"Input should be a valid datetime or date, invalid character in year","input":"20x5-01-01","ctx":{"error":"invalid character in year"}}]}`},
		{"the last repeated value is the one judged", "per_page=5&per_page=x",
			`{"detail":[{"type":"int_parsing","loc":["query","per_page"],"msg":"Input should be a valid integer, unable to parse string as an integer","input":"x"}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := p.Parse(tt.raw)
			require.NotEmpty(t, errs)
			assert.Equal(t, tt.want, string(pydantic.AppendBody(nil, errs)))
		})
	}
}

func TestNewRejectsDocumentsItCannotServe(t *testing.T) {
	raw := string(spec.Embedded())
	// A filter the mock does not know, and per_page without a default.
	raw = strings.Replace(raw, `"name": "sort_key"`, `"name": "sort_by"`, 1)
	raw = strings.Replace(raw, `"default": 25,`, ``, 1)
	_, _, problems := bind([]byte(raw), users.Resource)
	joined := strings.Join(problems, "\n")
	assert.Contains(t, joined, `query parameter "sort_by": the mock does not know how to apply this filter`)
	assert.Contains(t, joined, `query parameter "per_page": needs a default`)
}

func TestParseOrders(t *testing.T) {
	p := parserOf(t, orders.Resource)
	tests := []struct {
		name  string
		raw   string
		check func(t *testing.T, r params.Request)
	}{
		{"defaults", "", func(t *testing.T, r params.Request) {
			assert.Equal(t, query.Query{Desc: true, Limit: 25}, r.Query)
			assert.Equal(t, "0", r.LastRecordNumber.String())
		}},
		{"sort_key is an unknown parameter here, ignored", "sort_key=zz&per_page=3", func(t *testing.T, r params.Request) {
			assert.Equal(t, 3, r.PerPage)
			assert.Equal(t, 0, r.Query.Ranking)
		}},
		{"user_account_id names the user's group", "user_account_id=member-001", func(t *testing.T, r params.Request) {
			assert.Equal(t, []query.Group{{Key: 0, Value: "member-001"}}, r.Query.Groups)
		}},
		{"filters are columns in document order", "status=failed&side=sell&product=robo", func(t *testing.T, r params.Request) {
			assert.Equal(t, []query.Cond{{Column: 0, Value: 3}, {Column: 1, Value: 1}, {Column: 2, Value: 3}}, r.Query.Conds)
		}},
		{"placed_at range", "placed_at_start=2025-01-02&placed_at_end=1735900000", func(t *testing.T, r params.Request) {
			assert.Equal(t, micros("2025-01-02T00:00:00Z"), r.Query.From)
			assert.Equal(t, micros("2025-01-03T10:26:40Z"), r.Query.Before)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, errs := p.Parse(tt.raw)
			require.Empty(t, errs)
			tt.check(t, r)
		})
	}
}

func TestParseOrdersErrors(t *testing.T) {
	p := parserOf(t, orders.Resource)
	tests := []struct {
		name, raw, want string
	}{
		{"side is case-sensitive", "side=BUY",
			`{"detail":[{"type":"enum","loc":["query","side"],"msg":"Input should be 'buy' or 'sell'","input":"BUY","ctx":{"expected":"'buy' or 'sell'"}}]}`},
		{"an empty status is not a status", "status=",
			`{"detail":[{"type":"enum","loc":["query","status"],"msg":"Input should be 'pending', 'completed', 'cancelled' or 'failed'","input":"","ctx":{"expected":"'pending', 'completed', 'cancelled' or 'failed'"}}]}`},
		{"every error in document order", "sort_order=x&per_page=0&placed_at_end=2025-13-01&side=hold",
			`{"detail":[{"type":"enum","loc":["query","side"],"msg":"Input should be 'buy' or 'sell'","input":"hold","ctx":{"expected":"'buy' or 'sell'"}},{"type":"datetime_from_date_parsing","loc":["query","placed_at_end"],"msg":"Input should be a valid datetime or date, month value is outside expected range of 1-12","input":"2025-13-01","ctx":{"error":"month value is outside expected range of 1-12"}},{"type":"greater_than_equal","loc":["query","per_page"],"msg":"Input should be greater than or equal to 1","input":"0","ctx":{"ge":1}},{"type":"enum","loc":["query","sort_order"],"msg":"Input should be 'asc' or 'desc'","input":"x","ctx":{"expected":"'asc' or 'desc'"}}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := p.Parse(tt.raw)
			require.NotEmpty(t, errs)
			assert.Equal(t, tt.want, string(pydantic.AppendBody(nil, errs)))
		})
	}
}
