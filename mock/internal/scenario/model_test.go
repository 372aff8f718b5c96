package scenario_test

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/mock/internal/domain"
	"github.com/cryptofi/partner-mock/mock/internal/query"
	"github.com/cryptofi/partner-mock/mock/internal/resource/users"
	"github.com/cryptofi/partner-mock/mock/internal/tenant"
)

// model is what a tenant should hold, kept apart from how it is stored: users and orders by id.
type model struct {
	users  map[string]domain.User
	orders map[domain.UUID]modelOrder
}

type modelOrder struct {
	user      string
	product   domain.Product
	placed    int64
	recurring bool
}

func newModel(w *domain.World) *model {
	m := &model{users: map[string]domain.User{}, orders: map[domain.UUID]modelOrder{}}
	for _, u := range w.Users {
		m.users[u.ID] = u
	}
	for p := range int32(w.OrderLen()) {
		o := w.Order(p)
		m.orders[o.ID] = modelOrder{user: w.Users[o.User].ID, product: w.Orders.Vocab.Products[o.Product], placed: o.PlacedAt, recurring: o.Recurring()}
	}
	return m
}

func (m *model) clone() *model {
	c := &model{users: map[string]domain.User{}, orders: map[domain.UUID]modelOrder{}}
	for k, v := range m.users {
		c.users[k] = v
	}
	for k, v := range m.orders {
		c.orders[k] = v
	}
	return c
}

// conflicts counts the orders of user u that its new accounts would break.
func (m *model) conflicts(u domain.User) int {
	n := 0
	for _, o := range m.orders {
		if o.user != u.ID {
			continue
		}
		a, ok := u.Account(o.product)
		if !ok || a.Status != domain.StatusApproved || a.ApprovedAt > time.UnixMicro(o.placed).Unix() {
			n++
		}
	}
	return n
}

// userIDs lists the users that exist at at, newest first (ties by id).
func (m *model) userIDs(at int64, product domain.Product) []string {
	var us []domain.User
	for _, u := range m.users {
		if _, ok := u.Account(product); u.CreatedAt <= at && (product == "" || ok) {
			us = append(us, u)
		}
	}
	slices.SortFunc(us, func(a, b domain.User) int {
		return cmp.Or(cmp.Compare(b.CreatedAt, a.CreatedAt), cmp.Compare(b.ID, a.ID))
	})
	ids := []string{}
	for _, u := range us {
		ids = append(ids, u.ID)
	}
	return ids
}

// orderIDs lists the orders (of user, when set) that exist at at, newest first (ties by id).
func (m *model) orderIDs(at int64, user string) []string {
	type entry struct {
		id     domain.UUID
		placed int64
	}
	var es []entry
	for id, o := range m.orders {
		if o.placed <= at && (user == "" || o.user == user) {
			es = append(es, entry{id, o.placed})
		}
	}
	slices.SortFunc(es, func(a, b entry) int {
		return cmp.Or(cmp.Compare(b.placed, a.placed), slices.Compare(b.id[:], a.id[:]))
	})
	ids := []string{}
	for _, e := range es {
		ids = append(ids, e.id.String())
	}
	return ids
}

// TestRandomChangesMatchAModel makes random puts, deletes and resets and checks, after each,
// that lists, filters and details answer what a model of the tenant says, at several instants.
func TestRandomChangesMatchAModel(t *testing.T) {
	f := build(t, `tenants:
  - {name: m, fi_name: Model FI, api_keys: [k], seed: 11, users: 200, as_of: 2025-10-01T00:00:00Z, id_format: "u{n:04d}", orders_per_user: 2, future: 30d}
`)
	tn := f.tenants[0]
	vocab := tenant.PinnedRules{Vocab: domain.Vocab{Products: []domain.Product{"crypto", "securities", "roth_ira", "robo"},
		KycStatuses: []domain.KycStatus{"not_started", "pending", "approved", "rejected"}}}
	built := newModel(tn.World())
	m := built.clone()
	asOf := time.UnixMicro(tn.AsOf()).UTC()
	instants := []int64{tn.AsOf(), asOf.Add(-90 * 24 * time.Hour).UnixMicro(), asOf.Add(20 * 24 * time.Hour).UnixMicro()}
	rng := rand.New(rand.NewPCG(1, 2))
	ids := func() string { return fmt.Sprintf("u%04d", 1+rng.IntN(230)) } // past 200: new ids
	products := []string{"crypto", "securities", "roth_ira", "robo"}
	at := func(days int) string { return asOf.Add(time.Duration(days) * 24 * time.Hour).Format(time.RFC3339) }
	var orderSeq int

	for step := range 300 {
		var what string
		switch op := rng.IntN(100); {
		case op < 35: // put a user, new or replacing
			id := ids()
			created := -rng.IntN(400) + 10
			var accounts []string
			for _, p := range products {
				switch rng.IntN(4) {
				case 0:
					accounts = append(accounts, p+":approved:"+at(created+rng.IntN(5)))
				case 1:
					accounts = append(accounts, p+":rejected")
				case 2:
					accounts = append(accounts, p+":not_started")
				}
			}
			if len(accounts) == 0 {
				accounts = []string{"crypto:approved:" + at(created)}
			}
			body := userBody(id, at(created), accounts...)
			u, err := vocab.ParseUser([]byte(body), id)
			require.NoError(t, err)
			_, err = f.put(tn, "users", id, body)
			if n := m.conflicts(u); n > 0 {
				assert.Len(t, problemsOf(t, err), min(n, 11), "step %d: put %s breaks %d orders", step, id, n)
			} else {
				require.NoError(t, err, "step %d: put %s", step, id)
				m.users[id] = u
			}
			what = "put user " + id
		case op < 50: // delete a user
			id := ids()
			err := f.editor.Delete(tn, "users", id)
			if _, ok := m.users[id]; !ok {
				assert.Error(t, err)
			} else {
				require.NoError(t, err)
				delete(m.users, id)
				for oid, o := range m.orders {
					if o.user == id {
						delete(m.orders, oid)
					}
				}
			}
			what = "delete user " + id
		case op < 80: // put an order on an approved account
			id := ids()
			u, ok := m.users[id]
			if !ok {
				continue
			}
			var approved []domain.Account
			for _, a := range u.Accounts {
				if a.Status == domain.StatusApproved {
					approved = append(approved, a)
				}
			}
			if len(approved) == 0 {
				continue
			}
			a := approved[rng.IntN(len(approved))]
			orderSeq++
			oid := fmt.Sprintf("00000000-0000-4000-8000-%012d", orderSeq)
			placed := time.Unix(a.ApprovedAt, 0).Add(time.Duration(rng.IntN(60*24)) * time.Hour).UTC().Format(time.RFC3339)
			symbol := map[domain.Product]string{"crypto": "BTC", "securities": "AAPL", "roth_ira": "VTI", "robo": "VOO"}[a.Product]
			_, err := f.put(tn, "orders", oid, orderBody(oid, id, string(a.Product), symbol, placed))
			require.NoError(t, err, "step %d", step)
			uuid, _ := domain.ParseUUID(oid)
			ts, _ := time.Parse(time.RFC3339, placed)
			m.orders[uuid] = modelOrder{user: id, product: a.Product, placed: ts.UnixMicro()}
			what = "put order " + oid
		case op < 95: // delete a one-off order
			var oneOffs []domain.UUID
			for oid, o := range m.orders {
				if !o.recurring {
					oneOffs = append(oneOffs, oid)
				}
			}
			if len(oneOffs) == 0 {
				continue
			}
			slices.SortFunc(oneOffs, func(a, b domain.UUID) int { return slices.Compare(a[:], b[:]) })
			oid := oneOffs[rng.IntN(len(oneOffs))]
			require.NoError(t, f.editor.Delete(tn, "orders", oid.String()), "step %d", step)
			delete(m.orders, oid)
			what = "delete order " + oid.String()
		default:
			f.editor.Reset(tn)
			m = built.clone()
			what = "reset"
		}

		for _, at := range instants {
			_, got := find(tn, usersC, query.Query{At: at, Desc: true})
			require.Equal(t, m.userIDs(at, ""), orEmpty(got), "step %d (%s): users at %d", step, what, at)
			_, got = find(tn, usersC, query.Query{At: at, Desc: true, Conds: []query.Cond{{Column: 3 /* robo */, Value: query.Present}}})
			require.Equal(t, m.userIDs(at, "robo"), orEmpty(got), "step %d (%s): robo users at %d", step, what, at)
			_, got = find(tn, ordersC, query.Query{At: at, Desc: true})
			require.Equal(t, m.orderIDs(at, ""), orEmpty(got), "step %d (%s): orders at %d", step, what, at)
		}
		id := ids()
		_, got := find(tn, ordersC, query.Query{At: instants[2], Desc: true, Groups: []query.Group{{Key: 0, Value: id}}})
		require.Equal(t, m.orderIDs(instants[2], id), orEmpty(got), "step %d (%s): orders of %s", step, what, id)
		s := tn.Collections[usersC].Now()
		p, ok := s.Lookup(id, instants[2])
		u, want := m.users[id]
		require.Equal(t, want && u.CreatedAt <= instants[2], ok, "step %d (%s): detail of %s", step, what, id)
		if ok {
			assert.Equal(t, string(users.AppendUser(nil, &u, instants[2])), string(s.AppendItem(nil, p, instants[2])))
		}
	}
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
