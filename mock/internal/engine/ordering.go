package engine

import (
	"fmt"

	"github.com/cryptofi/partner-mock/mock/internal/domain"
)

// ordering is the population in one sort key's ascending order (ties by id), with a bitmap per
// filter literal so that any product/KYC combination is an AND of at most one bitmap per
// product. Descending is the same ordering scanned backwards.
type ordering struct {
	// pos maps a rank to the user's position in Index.users.
	pos []int32
	// has[p] holds the ranks of users with an account for product p; status[p][s] those whose
	// product p account is in status s. p and s index literals.products and literals.statuses.
	has    []bitmap
	status [][]bitmap
	// hasCount and statusCount are the bitmaps' sizes, which let a query read the sparsest
	// first.
	hasCount    []int
	statusCount [][]int
}

func newOrdering(pos []int32, lits *literals) ordering {
	np, ns := len(lits.products), len(lits.statuses)
	o := ordering{pos: pos, has: make([]bitmap, np), status: make([][]bitmap, np),
		hasCount: make([]int, np), statusCount: make([][]int, np)}
	for p := range np {
		o.has[p] = newBitmap(len(pos))
		o.status[p] = make([]bitmap, ns)
		o.statusCount[p] = make([]int, ns)
		for s := range ns {
			o.status[p][s] = newBitmap(len(pos))
		}
	}
	for r, i := range pos {
		for p, st := range lits.states[int(i)*np : int(i+1)*np] {
			if st == 0 {
				continue
			}
			o.has[p].set(r)
			o.status[p][st-1].set(r)
			o.hasCount[p]++
			o.statusCount[p][st-1]++
		}
	}
	return o
}

// literals numbers the products and KYC statuses present in the population, and records every
// user's state for every product.
type literals struct {
	products []domain.Product
	statuses []domain.KycStatus
	// states[i*len(products)+p] is 0 when user i has no account for product p, else 1 + the
	// index of its status.
	states []uint8
}

// maxStatuses is how many distinct KYC statuses a population may hold: states are bytes.
const maxStatuses = 254

func newLiterals(users []domain.User) (*literals, error) {
	l := &literals{}
	for i := range users {
		for _, a := range users[i].Accounts {
			if indexOf(l.products, a.Product) < 0 {
				l.products = append(l.products, a.Product)
			}
			if indexOf(l.statuses, a.Status) < 0 {
				l.statuses = append(l.statuses, a.Status)
			}
		}
	}
	if len(l.statuses) > maxStatuses {
		return nil, fmt.Errorf("index: %d distinct kyc statuses; at most %d are supported", len(l.statuses), maxStatuses)
	}
	np := len(l.products)
	l.states = make([]uint8, len(users)*np)
	for i := range users {
		for _, a := range users[i].Accounts {
			l.states[i*np+indexOf(l.products, a.Product)] = uint8(1 + indexOf(l.statuses, a.Status))
		}
	}
	return l, nil
}

// indexOf is a linear search: populations have a handful of products and statuses, for which it
// beats hashing.
func indexOf[T comparable](s []T, v T) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return -1
}
