package engine

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/cryptofi/partner-mock/mock/domain"
)

// Index is one tenant's population, prepared for queries. It is immutable once built and safe
// for concurrent use.
type Index struct {
	users []domain.User
	byID  map[string]int32
	// orders holds, for each sort key, user positions in ascending order with ties broken by id.
	// Descending is the same slice read backwards, so asc is exactly the reverse of desc.
	orders map[SortKey][]int32
}

// New builds an Index over users. Ids must be unique.
func New(users []domain.User) (*Index, error) {
	ix := &Index{users: users, byID: make(map[string]int32, len(users))}
	for i := range users {
		id := users[i].ID
		if _, dup := ix.byID[id]; dup {
			return nil, fmt.Errorf("index: duplicate user_account_id %q", id)
		}
		ix.byID[id] = int32(i)
	}
	byID := identity(len(users))
	slices.SortFunc(byID, func(a, b int32) int { return strings.Compare(users[a].ID, users[b].ID) })
	// Created order reuses the id order as its tie-break: a stable sort on created_at keeps equal
	// timestamps in id order.
	byCreated := slices.Clone(byID)
	sort.SliceStable(byCreated, func(i, j int) bool {
		return users[byCreated[i]].CreatedAt < users[byCreated[j]].CreatedAt
	})
	ix.orders = map[SortKey][]int32{SortUserAccountID: byID, SortCreatedAt: byCreated}
	return ix, nil
}

func identity(n int) []int32 {
	s := make([]int32, n)
	for i := range s {
		s[i] = int32(i)
	}
	return s
}

// Len returns the number of users.
func (ix *Index) Len() int { return len(ix.users) }

// Get returns the user with the given id.
func (ix *Index) Get(id string) (*domain.User, bool) {
	i, ok := ix.byID[id]
	if !ok {
		return nil, false
	}
	return &ix.users[i], true
}

// Users returns the population in ascending order of key (ties by id). The slice is shared;
// callers must not modify the users.
func (ix *Index) Users(key SortKey) []*domain.User {
	order := ix.orders[key]
	out := make([]*domain.User, len(order))
	for i, p := range order {
		out[i] = &ix.users[p]
	}
	return out
}

// Query returns the page of users matching q.
func (ix *Index) Query(q Query) Page {
	if q.UserAccountID != nil {
		// An exact id matches at most one user: skip the scan.
		var page Page
		if u, ok := ix.Get(*q.UserAccountID); ok && q.Matches(u) {
			page.Total = 1
			if q.Offset == 0 && q.Limit > 0 {
				page.Users = []*domain.User{u}
			}
		}
		return page
	}
	order, ok := ix.orders[q.SortKey]
	if !ok {
		order = ix.orders[SortCreatedAt]
	}
	lo, hi := 0, len(order)
	if q.SortKey == SortCreatedAt {
		// created_at bounds are a contiguous run of the created order.
		if q.CreatedFrom != nil {
			lo = sort.Search(len(order), func(i int) bool { return ix.users[order[i]].CreatedAt >= *q.CreatedFrom })
		}
		if q.CreatedBefore != nil {
			hi = sort.Search(len(order), func(i int) bool { return ix.users[order[i]].CreatedAt >= *q.CreatedBefore })
		}
		if hi < lo {
			hi = lo
		}
	}
	var page Page
	var seen int64
	visit := func(p int32) {
		u := &ix.users[p]
		if !q.Matches(u) {
			return
		}
		page.Total++
		if seen >= q.Offset && len(page.Users) < q.Limit {
			page.Users = append(page.Users, u)
		}
		seen++
	}
	if q.Desc {
		for i := hi - 1; i >= lo; i-- {
			visit(order[i])
		}
	} else {
		for i := lo; i < hi; i++ {
			visit(order[i])
		}
	}
	return page
}
