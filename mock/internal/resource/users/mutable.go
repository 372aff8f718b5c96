package users

import (
	"math"

	"github.com/cryptofi/partner-mock/mock/internal/domain"
	"github.com/cryptofi/partner-mock/mock/internal/engine"
	"github.com/cryptofi/partner-mock/mock/internal/problem"
	"github.com/cryptofi/partner-mock/mock/internal/resource"
)

// name is the resource's name, which changes use to name it.
const name = "users"

// Put puts the user body describes, in the pinned-users format, under user_account_id id. A
// replaced user keeps its orders, so the resources whose records belong to users (orders) must
// accept the new accounts first (an order needs its product's account approved by its
// placed_at). created_at may lie before or after the mock's time: the user shows from then.
func (users) Put(ch *resource.Change, id string, body []byte) (bool, error) {
	u, err := ch.Formats.ParseUser(body, id)
	if err != nil {
		return false, err
	}
	pos, old, err := ch.World.PutUser(u)
	if err != nil {
		return false, &problem.List{Items: []problem.Problem{{Msg: err.Error()}}}
	}
	ch.Add(name, pos)
	if old < 0 {
		return true, nil
	}
	ch.Remove(name, old)
	return false, ch.OwnerReplaced(name, u.ID)
}

// Delete deletes the user with user_account_id id, and its orders.
func (users) Delete(ch *resource.Change, id string) error {
	if _, ok := ch.World.FindUser(id); !ok {
		return resource.ErrNotFound
	}
	if err := ch.OwnerDeleted(name, id); err != nil {
		return err
	}
	p, _ := ch.World.DeleteUser(id)
	ch.Remove(name, p)
	return nil
}

// Over shows the users of w, a later version of the world table was built on.
func (users) Over(table *engine.Table, w *domain.World) (engine.Source, resource.Items) {
	s := *table.Source().(*source)
	s.w = w
	return &s, items{w: w}
}

// AppendRecord appends the user at position p in the pinned-users format: the API object with
// created_at, each account in the state it settles in.
func (u users) AppendRecord(b []byte, w *domain.World, p int32) []byte {
	return u.AppendDumpItem(b, w, p, math.MaxInt64)
}
