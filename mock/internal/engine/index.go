package engine

import (
	"errors"
	"slices"
	"sync"

	"github.com/cryptofi/partner-mock/mock/internal/domain"
)

// Index is one tenant's population, prepared for queries. It is immutable once built and safe
// for concurrent use.
//
// Every filter's meaning is Query.Matches; the index only finds the same users faster. Each
// sort key has an ordering (ranks in ascending order, ties by id; descending reads it
// backwards) with one bitmap per product and per product+status, so product and KYC filters are
// ANDs of bitmaps. A created_at range is a run of ranks in the created order, and a createdMask
// bitmap in the id order. Query scans the matching words once, counting every match and picking
// the page on the way, so its cost depends on the population, not on the page depth.
type Index struct {
	users   []domain.User
	ids     idTable
	lits    *literals
	orders  map[SortKey]*ordering
	created *createdMask
	// createdAt holds the created_at values in created order, for binary searches that do not
	// chase pointers.
	createdAt []int64
}

// New builds an Index over users. Ids must be unique. The index keeps users; callers must not
// modify them afterwards.
func New(users []domain.User) (*Index, error) {
	ix := &Index{users: users}
	var idErr, litErr error
	var wg sync.WaitGroup
	wg.Go(func() { ix.ids, idErr = newIDTable(users) })
	wg.Go(func() { ix.lits, litErr = newLiterals(users) })
	byID := sortByID(users)
	byCreated := sortByCreated(users, byID)
	wg.Wait()
	if err := errors.Join(idErr, litErr); err != nil {
		return nil, err
	}
	var id, cr ordering
	wg.Go(func() { id = newOrdering(byID, ix.lits) })
	wg.Go(func() { cr = newOrdering(byCreated, ix.lits) })
	ix.created = newCreatedMask(byID, byCreated)
	ix.createdAt = make([]int64, len(byCreated))
	for r, p := range byCreated {
		ix.createdAt[r] = users[p].CreatedAt
	}
	wg.Wait()
	ix.lits.states = nil // only the orderings needed them
	ix.orders = map[SortKey]*ordering{SortUserAccountID: &id, SortCreatedAt: &cr}
	return ix, nil
}

// Len returns the number of users.
func (ix *Index) Len() int { return len(ix.users) }

// At returns the user at position i of the slice New was given. Page.Positions index it.
func (ix *Index) At(i int32) *domain.User { return &ix.users[i] }

// Get returns the user with the given id, in constant time.
func (ix *Index) Get(id string) (*domain.User, bool) {
	i, ok := ix.Position(id)
	if !ok {
		return nil, false
	}
	return &ix.users[i], true
}

// Position returns the position of the user with the given id in the slice New was given, in
// constant time.
func (ix *Index) Position(id string) (int32, bool) {
	return ix.ids.find(id, ix.users)
}

// Users returns the population in ascending order of key (ties by id). The slice is shared;
// callers must not modify the users.
func (ix *Index) Users(key SortKey) []*domain.User {
	order := ix.ordering(key).pos
	out := make([]*domain.User, len(order))
	for i, p := range order {
		out[i] = &ix.users[p]
	}
	return out
}

// Order returns the positions (see At) of the population in ascending order of key, ties by
// id. The slice is shared; callers must not modify it.
func (ix *Index) Order(key SortKey) []int32 {
	return ix.ordering(key).pos
}

func (ix *Index) ordering(key SortKey) *ordering {
	return ix.orders[ix.sortKey(key)]
}

// sortKey resolves the keys the index has no ordering for to the default, created_at.
func (ix *Index) sortKey(key SortKey) SortKey {
	if _, ok := ix.orders[key]; ok {
		return key
	}
	return SortCreatedAt
}

// Query returns the page of users matching q.
func (ix *Index) Query(q Query) Page {
	total, positions := ix.Find(q, make([]int32, 0, min(max(q.Limit, 0), 1024)))
	page := Page{Total: total}
	if len(positions) > 0 {
		page.Users = make([]*domain.User, len(positions))
		page.Positions = positions
		for i, p := range positions {
			page.Users[i] = &ix.users[p]
		}
	}
	return page
}

// Find is Query without allocations: it returns the number of matches and appends the
// positions (see At) of the page's users, in page order, to into.
func (ix *Index) Find(q Query, into []int32) (total int, page []int32) {
	page = into
	if q.UserAccountID != nil {
		// An exact id matches at most one user: skip the scan.
		if i, ok := ix.Position(*q.UserAccountID); ok && q.Matches(&ix.users[i]) {
			if q.Offset == 0 && q.Limit > 0 {
				page = append(page, i)
			}
			return 1, page
		}
		return 0, page
	}
	key := ix.sortKey(q.SortKey)
	o := ix.orders[key]
	var setsBuf [8]bitmap
	sets, ok := ix.literalSets(o, &q, setsBuf[:0])
	if !ok {
		return 0, page // a filter names a product or status no user has
	}
	lo, hi := 0, len(o.pos)
	if q.CreatedFrom != nil || q.CreatedBefore != nil {
		a, b := ix.createdRanks(&q)
		if key == SortCreatedAt {
			lo, hi = a, b
		} else if a > 0 || b < len(o.pos) {
			mask := ix.created.get(a, b)
			defer ix.created.put(mask)
			sets = append(sets, *mask)
		}
	}
	if len(sets) == 0 {
		// No filter left but the rank range: the page is a slice of the ordering.
		return max(hi-lo, 0), appendRanks(page, o, lo, hi, &q)
	}
	s := scanner{sets: sets, lo: lo, hi: hi, desc: q.Desc, offset: q.Offset, limit: q.Limit}
	first := len(page)
	total, page = s.run(page)
	for i, r := range page[first:] {
		page[first+i] = o.pos[r]
	}
	return total, page
}

// literalSets appends to sets the bitmaps a query's product and KYC filters AND together in o:
// one per filtered product, since a KYC status implies the product. It returns false when
// nothing can match.
func (ix *Index) literalSets(o *ordering, q *Query, sets []bitmap) ([]bitmap, bool) {
	if q.Product == nil && len(q.Kyc) == 0 {
		return sets, true
	}
	kycOn := func(p domain.Product) bool {
		for _, f := range q.Kyc {
			if f.Product == p {
				return true
			}
		}
		return false
	}
	var counts [8]int // sizes of sets, to order them sparsest first
	add := func(b bitmap, n int) {
		i := len(sets)
		sets = append(sets, b)
		for ; i > 0 && i < len(counts) && counts[i-1] > n; i-- {
			sets[i], sets[i-1] = sets[i-1], sets[i]
			counts[i] = counts[i-1]
		}
		if i < len(counts) {
			counts[i] = n
		}
	}
	if q.Product != nil && !kycOn(*q.Product) {
		p := indexOf(ix.lits.products, *q.Product)
		if p < 0 {
			return nil, false
		}
		add(o.has[p], o.hasCount[p])
	}
	for _, f := range q.Kyc {
		p, s := indexOf(ix.lits.products, f.Product), indexOf(ix.lits.statuses, f.Status)
		if p < 0 || s < 0 {
			return nil, false
		}
		add(o.status[p][s], o.statusCount[p][s])
	}
	return sets, true
}

// createdRanks returns the run [a, b) of created-order ranks whose created_at is in the query's
// range.
func (ix *Index) createdRanks(q *Query) (a, b int) {
	a, b = 0, len(ix.createdAt)
	if q.CreatedFrom != nil {
		a, _ = slices.BinarySearch(ix.createdAt, *q.CreatedFrom)
	}
	if q.CreatedBefore != nil {
		b, _ = slices.BinarySearch(ix.createdAt, *q.CreatedBefore)
	}
	return a, max(a, b)
}

// appendRanks appends the positions of the page of the whole rank run [lo, hi) of o.
func appendRanks(page []int32, o *ordering, lo, hi int, q *Query) []int32 {
	n := int64(hi - lo)
	if q.Offset >= n || q.Limit <= 0 {
		return page
	}
	for j := range min(int64(q.Limit), n-q.Offset) {
		r := lo + int(q.Offset+j)
		if q.Desc {
			r = hi - 1 - int(q.Offset+j)
		}
		page = append(page, o.pos[r])
	}
	return page
}
