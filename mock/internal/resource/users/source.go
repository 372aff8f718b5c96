package users

import (
	"strings"

	"github.com/cryptofi/partner-mock/mock/internal/domain"
	"github.com/cryptofi/partner-mock/mock/internal/engine"
	"github.com/cryptofi/partner-mock/mock/internal/query"
)

// source shows a world's users to the engine: column c is product c's account, its value the
// account's KYC state (1 + its index), pending until the account's decision.
type source struct {
	w        *domain.World
	products []domain.Product
	// status maps a KYC state to its cell value; pending is the value before a decision.
	status  map[domain.KycStatus]uint8
	pending uint8
}

func newSource(w *domain.World, schema query.Schema) *source {
	s := &source{w: w, status: map[domain.KycStatus]uint8{}}
	for _, c := range schema.Columns {
		s.products = append(s.products, domain.Product(c.Name))
	}
	if len(schema.Columns) > 0 {
		for i, v := range schema.Columns[0].Values {
			s.status[domain.KycStatus(v)] = uint8(i + 1)
		}
	}
	s.pending = s.status[domain.StatusPending]
	return s
}

func (s *source) Len() int           { return s.w.UserLen() }
func (s *source) Time(i int32) int64 { return s.w.User(i).CreatedAt }

func (s *source) Cell(i int32, col int) engine.Cell {
	a, ok := s.w.User(i).Account(s.products[col])
	if !ok {
		return engine.Static(0)
	}
	after := s.status[a.Status]
	if a.DecidedAt == domain.Always {
		return engine.Static(after)
	}
	return engine.Cell{Before: s.pending, After: after, At: a.DecidedAt}
}

func (s *source) Group(int32, int) int32 { return 0 }
func (s *source) Groups(int) int         { return 0 }

// IDOrder is called when the table is built, on the world as built.
func (s *source) IDOrder() []int32 {
	users := s.w.Users
	id := func(i int32) string { return users[i].ID }
	cp := engine.CommonPrefix(len(users), id)
	return engine.SortByKey(len(users), func(i int32) uint64 { return engine.StringKey(users[i].ID, cp) }, s.CompareID)
}

func (s *source) ID(i int32) string { return s.w.User(i).ID }

func (s *source) CompareID(i, j int32) int {
	return strings.Compare(s.w.User(i).ID, s.w.User(j).ID)
}

func (s *source) Position(id string) (int32, bool) { return s.w.FindUser(id) }

func (s *source) GroupOf(int, string) (int32, bool) { return 0, false }
