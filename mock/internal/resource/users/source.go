package users

import (
	"slices"
	"strings"

	"github.com/cryptofi/partner-mock/mock/internal/domain"
	"github.com/cryptofi/partner-mock/mock/internal/engine"
	"github.com/cryptofi/partner-mock/mock/internal/query"
	"github.com/cryptofi/partner-mock/mock/internal/radix"
)

// source shows a world's users to the engine: column c is product c's account, its value the
// account's KYC state (1 + its index), pending until the account's decision.
//
// Each user's cells are worked out once, when the source is made: the engine reads every cell
// of a million users several times while it builds its indexes, and finding the account of a
// product and the code of a state by name each time costs more than the rest of the build.
type source struct {
	w    *domain.World
	cols int
	// after holds each user's value in each column (index p*cols+c), after its decision;
	// account the index of the account it comes from in the user's Accounts.
	after, account []uint8
	pending        uint8
	// products and statuses name the columns and their values, for the users changes added.
	products []domain.Product
	statuses []domain.KycStatus
}

func newSource(w *domain.World, schema query.Schema) *source {
	s := &source{w: w, cols: len(schema.Columns)}
	products := make([]domain.Product, s.cols)
	for c, col := range schema.Columns {
		products[c] = domain.Product(col.Name)
	}
	var statuses []domain.KycStatus
	if s.cols > 0 {
		for _, v := range schema.Columns[0].Values {
			statuses = append(statuses, domain.KycStatus(v))
		}
	}
	s.pending = code(statuses, domain.StatusPending)
	s.products, s.statuses = products, statuses
	users := w.Users
	s.after, s.account = make([]uint8, len(users)*s.cols), make([]uint8, len(users)*s.cols)
	radix.Parallel(len(users), func(lo, hi int) {
		for p := lo; p < hi; p++ {
			for i := range users[p].Accounts {
				a := &users[p].Accounts[i]
				c := slices.Index(products, a.Product)
				if c < 0 || i > 255 {
					continue
				}
				s.after[p*s.cols+c] = code(statuses, a.Status)
				s.account[p*s.cols+c] = uint8(i)
			}
		}
	})
	return s
}

// code returns 1 + the index of v in values, or 0.
func code[T comparable](values []T, v T) uint8 {
	return uint8(slices.Index(values, v) + 1)
}

func (s *source) Len() int           { return s.w.UserLen() }
func (s *source) Time(i int32) int64 { return s.w.User(i).CreatedAt }

func (s *source) Cell(i int32, col int) engine.Cell {
	if k := int(i)*s.cols + col; k < len(s.after) {
		// A user of the world as built: its cell was worked out with the source.
		after := s.after[k]
		if after == 0 {
			return engine.Static(0)
		}
		return s.cell(after, s.w.Users[i].Accounts[s.account[k]].DecidedAt)
	}
	a, ok := s.w.User(i).Account(s.products[col])
	if !ok {
		return engine.Static(0)
	}
	return s.cell(code(s.statuses, a.Status), a.DecidedAt)
}

// cell is the cell of an account in the state whose code is after, decided at decided.
func (s *source) cell(after uint8, decided int64) engine.Cell {
	if after == 0 || decided == domain.Always {
		return engine.Static(after)
	}
	return engine.Cell{Before: s.pending, After: after, At: decided}
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
