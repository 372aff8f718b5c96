package engine

import (
	"fmt"
	"math"

	"github.com/cryptofi/partner-mock/mock/internal/query"
)

// Schema describes a resource's records to the engine: its columns, group keys and rankings.
type Schema = query.Schema

// maxValues is how many values a column may have: cells store value indexes in a byte, 0 being
// "no value".
const maxValues = 254

// Always is the change instant of a cell whose value never changes.
const Always int64 = math.MinInt64

// Cell is a record's value in one column: Before until the instant At, After from At on.
// Values are 1 + an index into the column's values; 0 is no value (a user without an account
// for the product). A cell that never changes has At == Always, and Before is then ignored.
type Cell struct {
	Before, After uint8
	At            int64
}

// ValueAt returns the cell's value at instant at.
func (c Cell) ValueAt(at int64) uint8 {
	if at < c.At {
		return c.Before
	}
	return c.After
}

// Static returns a cell that holds v (1 + a value index, or 0) at every instant.
func Static(v uint8) Cell { return Cell{Before: v, After: v, At: Always} }

// Source gives the engine a resource's records, by position 0..Len()-1.
type Source interface {
	Len() int
	// Time is the record's time key in Unix microseconds: it exists from then on.
	Time(i int32) int64
	// Cell is the record's cell in column col.
	Cell(i int32, col int) Cell
	// Group is the record's group for group key key, in [0, Groups(key)).
	Group(i int32, key int) int32
	// Groups is the number of groups of key key.
	Groups(key int) int
	// IDOrder returns the positions in ascending id order.
	IDOrder() []int32
	// ID is the record's primary id.
	ID(i int32) string
	// CompareID compares the ids of records i and j as strings.
	CompareID(i, j int32) int
	// Position finds the record with primary id id.
	Position(id string) (int32, bool)
	// GroupOf finds the group called value of group key key.
	GroupOf(key int, value string) (int32, bool)
}

func checkSchema(s *Schema) error {
	if len(s.Rankings) == 0 || s.Rankings[0].ByID {
		return fmt.Errorf("engine: the first ranking must be the time key's")
	}
	for _, c := range s.Columns {
		if len(c.Values) > maxValues {
			return fmt.Errorf("engine: column %s has %d values; at most %d are supported", c.Name, len(c.Values), maxValues)
		}
	}
	return nil
}
