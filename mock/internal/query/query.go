// Package query is the question a list request asks of one resource's records, apart from how
// the request was written (package params reads it from a query string) and how it is answered
// (package engine). Columns, groups and rankings are numbered as the resource's engine schema
// numbers them.
package query

// Present is the Cond value that keeps records having any value in the column: a user holding
// an account for a product, whatever its KYC state.
const Present = -1

// Cond keeps records whose Column holds Value (an index into the column's values) at the
// query's instant, or any value when Value is Present.
type Cond struct {
	Column int
	Value  int
}

// Group keeps records whose group Key is the group named Value: the orders of one user.
type Group struct {
	Key   int
	Value string
}

// Query is one list request after validation. Nil pointers and empty slices are absent
// filters; filters AND together.
type Query struct {
	// At is the mock time the answer describes, in Unix microseconds: only records that exist at
	// At count, each in its state at At.
	At int64
	// ID keeps the one record with this primary id.
	ID     *string
	Groups []Group
	Conds  []Cond
	// From (inclusive) and Before (exclusive) bound the records' time key, in Unix microseconds.
	From, Before *int64
	// Ranking is the order of the answer: an index into the schema's rankings, 0 being the time
	// key's. Ties never happen: every ranking ends with the id.
	Ranking int
	Desc    bool
	// Offset is the number of matches to skip; Limit the most to return.
	Offset int64
	Limit  int
}

// Schema names what a resource's queries refer to by number: its literal columns (query.Cond),
// group keys (query.Group) and rankings (Query.Ranking).
type Schema struct {
	Columns []Column
	Groups  []string
	// Rankings are the orders a query may ask for. The first is always the time key's; ties in
	// it are broken by id.
	Rankings []Ranking
}

// Column is one literal column: its name and the values a cell may hold, numbered as
// Cond.Value numbers them.
type Column struct {
	Name   string
	Values []string
}

// Ranking is one order of the records.
type Ranking struct {
	Name string
	// ByID orders by the id alone; otherwise by the time key, ties by id.
	ByID bool
}

// ColumnIndex returns the index of the column called name, or -1.
func (s *Schema) ColumnIndex(name string) int {
	for i, c := range s.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}
