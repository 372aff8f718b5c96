package app_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/mock/app"
	"github.com/cryptofi/partner-mock/mock/internal/domain"
	"github.com/cryptofi/partner-mock/mock/internal/engine"
	"github.com/cryptofi/partner-mock/mock/internal/params"
	"github.com/cryptofi/partner-mock/mock/internal/pyjson"
	"github.com/cryptofi/partner-mock/mock/internal/query"
	"github.com/cryptofi/partner-mock/mock/internal/resource"
	"github.com/cryptofi/partner-mock/spec"
)

// widgets is a third resource, written here with no edit anywhere else, to show that the seam
// is real: GET /widgets/ and /widgets/{widget_id}/, a color filter, ten widgets per FI made an
// hour apart before as_of.
type widgets struct{}

type widget struct {
	id    string
	made  int64
	color uint8 // 1 + index in the color enum
}

func (widgets) Name() string       { return "widgets" }
func (widgets) ListPath() string   { return "/widgets/" }
func (widgets) DetailPath() string { return "/widgets/{widget_id}/" }
func (widgets) NotFound() string   { return "Widget not found" }
func (widgets) Required() bool     { return false }

func (widgets) Bind(op *spec.Operation, _ *domain.Vocab) (query.Schema, []params.Rule, []string) {
	color, ok := op.Param("color")
	if !ok {
		return query.Schema{}, nil, []string{"no color parameter"}
	}
	return query.Schema{
			Columns:  []query.Column{{Name: "color", Values: color.Enum}},
			Rankings: []query.Ranking{{Name: "made_at"}},
		}, []params.Rule{
			{Name: "color", Role: params.RoleValue, Column: "color"},
			{Name: "per_page", Role: params.RolePerPage},
			{Name: "last_record_number", Role: params.RoleOffset},
			{Name: "sort_order", Role: params.RoleSortOrder},
		}, nil
}

func (widgets) Build(w *domain.World, schema query.Schema) (*resource.Collection, error) {
	src := &widgetSource{}
	for i := range 10 {
		src.ws = append(src.ws, widget{id: fmt.Sprintf("w-%02d", i), made: w.AsOf - int64(i+1)*3600e6, color: uint8(1 + (i+int(w.Seed))%2)})
	}
	src.colors = schema.Columns[0].Values
	t, err := engine.New(schema, src)
	if err != nil {
		return nil, err
	}
	return resource.NewCollection(t, src), nil
}

type widgetSource struct {
	ws     []widget
	colors []string
}

func (s *widgetSource) Len() int                          { return len(s.ws) }
func (s *widgetSource) Time(i int32) int64                { return s.ws[i].made }
func (s *widgetSource) Cell(i int32, _ int) engine.Cell   { return engine.Static(s.ws[i].color) }
func (s *widgetSource) Group(int32, int) int32            { return 0 }
func (s *widgetSource) Groups(int) int                    { return 0 }
func (s *widgetSource) ID(i int32) string                 { return s.ws[i].id }
func (s *widgetSource) CompareID(i, j int32) int          { return strings.Compare(s.ws[i].id, s.ws[j].id) }
func (s *widgetSource) GroupOf(int, string) (int32, bool) { return 0, false }
func (s *widgetSource) IDOrder() []int32 {
	return engine.SortByKey(len(s.ws), func(i int32) uint64 { return engine.StringKey(s.ws[i].id, 0) }, s.CompareID)
}
func (s *widgetSource) Position(id string) (int32, bool) {
	for i, w := range s.ws {
		if w.id == id {
			return int32(i), true
		}
	}
	return 0, false
}
func (s *widgetSource) AppendItem(b []byte, p int32, _ int64) []byte {
	b = append(b, `{"widget_id":`...)
	b = pyjson.AppendString(b, s.ws[p].id)
	b = append(b, `,"color":`...)
	b = pyjson.AppendString(b, s.colors[s.ws[p].color-1])
	return append(b, '}')
}
func (s *widgetSource) SettledAt(int32) int64 { return engine.Always }

// widgetsDocument is the embedded document with the widgets' two operations added.
func widgetsDocument(t *testing.T) []byte {
	t.Helper()
	var doc map[string]any
	require.NoError(t, json.Unmarshal(spec.Embedded(), &doc))
	paths := doc["paths"].(map[string]any)
	var list map[string]any
	require.NoError(t, json.Unmarshal([]byte(`{"get":{"summary":"Get Widget List","parameters":[
		{"name":"color","in":"query","required":false,"schema":{"anyOf":[{"type":"string","enum":["red","blue"],"title":"Color"},{"type":"null"}]}},
		{"name":"per_page","in":"query","required":false,"schema":{"type":"integer","maximum":100,"minimum":1,"default":25}},
		{"name":"last_record_number","in":"query","required":false,"schema":{"type":"integer","minimum":0,"default":0}},
		{"name":"sort_order","in":"query","required":false,"schema":{"type":"string","enum":["asc","desc"],"default":"desc"}}],
		"responses":{"200":{"description":"Successful Response"}}}}`), &list))
	var detail map[string]any
	require.NoError(t, json.Unmarshal([]byte(`{"get":{"summary":"Get Widget Detail","parameters":[
		{"name":"widget_id","in":"path","required":true,"schema":{"type":"string"}}],
		"responses":{"200":{"description":"Successful Response"}}}}`), &detail))
	paths["/widgets/"], paths["/widgets/{widget_id}/"] = list, detail
	data, err := json.Marshal(doc)
	require.NoError(t, err)
	return data
}

func TestAThirdResourcePlugsIntoTheSeam(t *testing.T) {
	a, err := app.New(app.Config{SpecData: widgetsDocument(t), SpecSource: "widgets.json", Resources: append(app.Resources(), widgets{})})
	require.NoError(t, err)
	srv := httptest.NewServer(a.Handler)
	t.Cleanup(srv.Close)
	get := func(path, key string) (int, string) {
		req, err := http.NewRequest("GET", srv.URL+path, nil)
		require.NoError(t, err)
		if key != "" {
			req.Header.Set("x-api-key", key)
		}
		res, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer res.Body.Close()
		body, err := io.ReadAll(res.Body)
		require.NoError(t, err)
		return res.StatusCode, string(body)
	}
	tests := []struct {
		name, path, key string
		status          int
		body            string
	}{
		{"list, newest first, filtered", "/v1/widgets/?color=red&per_page=2", "demo-key", 200,
			`{"items":[{"widget_id":"w-01","color":"red"},{"widget_id":"w-03","color":"red"}],"total_records":5,"last_record_number":2,"per_page":2}`},
		{"asc from the oldest", "/v1/widgets/?sort_order=asc&per_page=1", "demo-key", 200,
			`{"items":[{"widget_id":"w-09","color":"red"}],"total_records":10,"last_record_number":1,"per_page":1}`},
		{"another FI has its own widgets", "/v1/widgets/?color=red&per_page=1", "demo-key-2", 200,
			`{"items":[{"widget_id":"w-00","color":"red"}],"total_records":5,"last_record_number":1,"per_page":1}`},
		{"detail", "/v1/widgets/w-03/", "demo-key", 200, `{"widget_id":"w-03","color":"red"}`},
		{"its own 404", "/v1/widgets/w-99/", "demo-key", 404, `{"detail":"Widget not found"}`},
		{"pydantic's 422 from the document's enum", "/v1/widgets/?color=green", "demo-key", 422,
			`{"detail":[{"type":"enum","loc":["query","color"],"msg":"Input should be 'red' or 'blue'","input":"green","ctx":{"expected":"'red' or 'blue'"}}]}`},
		{"auth before validation", "/v1/widgets/?color=green", "", 401, `{"detail":"Not authenticated"}`},
		{"the other resources still serve", "/v1/users/member-001/", "demo-key", 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := get(tt.path, tt.key)
			assert.Equal(t, tt.status, status, body)
			if tt.body != "" {
				assert.Equal(t, tt.body, body)
			}
		})
	}
	assert.Equal(t, []string{"users", "orders", "widgets"}, a.ResourceNames())
}
