package problem

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRendering(t *testing.T) {
	tests := []struct {
		name string
		list List
		want string
	}{
		{"file, line and field", List{Items: []Problem{{File: "t.yaml", Line: 3, Path: "tenants[0].users", Msg: "must be positive"}}},
			"t.yaml:3: tenants[0].users: must be positive"},
		{"no line", List{Items: []Problem{{File: "t.yaml", Msg: "empty"}, {Path: "--users", Msg: "want 0 to 10"}}},
			"t.yaml: empty\n--users: want 0 to 10"},
		{"heading", List{Heading: "cannot serve x:", Items: []Problem{{Msg: "a"}, {Msg: "b"}}},
			"cannot serve x:\n  - a\n  - b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.list.Error())
		})
	}
}

func TestMergeKeepsEveryProblemOnce(t *testing.T) {
	var l List
	l.Addf("", "first")
	inner := &List{Items: []Problem{{Msg: "first"}, {File: "p.yaml", Line: 2, Msg: "second"}}}
	l.Merge(fmt.Errorf("wrapped: %w", inner))
	l.Merge(errors.New("third\n\nfourth"))
	l.Merge(nil)
	require.Equal(t, 4, l.Len())
	assert.Equal(t, "first\np.yaml:2: second\nthird\nfourth", l.Error())
}

func TestErrIsNilWhenEmpty(t *testing.T) {
	var l List
	assert.NoError(t, l.Err())
	l.Addf("x", "bad")
	assert.Error(t, l.Err())
}
