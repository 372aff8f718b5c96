package orders

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/cryptofi/partner-mock/mock/internal/domain"
	"github.com/cryptofi/partner-mock/mock/internal/engine"
	"github.com/cryptofi/partner-mock/mock/internal/problem"
	"github.com/cryptofi/partner-mock/mock/internal/query"
	"github.com/cryptofi/partner-mock/mock/internal/render"
	"github.com/cryptofi/partner-mock/mock/internal/resource"
)

// name is the resource's name, and owner its owner's: orders belong to users.
const (
	name  = "orders"
	owner = "users"
)

// maxListed caps the orders one problem lists by id.
const maxListed = 10

// Owner is the resource orders belong to.
func (orders) Owner() string { return owner }

// Put puts the order body describes, in the pinned-orders format, under order_id id, with
// every rule of the API's orders: its user exists and holds an account for its product that was
// approved no later than placed_at, and a recurring order joins a series of its user's buys of
// one symbol at a regular interval. placed_at may lie before or after the mock's time: the
// order shows from then.
func (orders) Put(ch *resource.Change, id string, body []byte) (bool, error) {
	w := ch.World
	po, err := ch.Formats.ParseOrder(body, id, func(uid string) (int, *domain.User) {
		p, ok := w.FindUser(uid)
		if !ok {
			return -1, nil
		}
		identity, _ := w.UserIdentity(uid)
		return int(identity), w.User(p)
	})
	if err != nil {
		return false, err
	}
	var problems problem.List
	old, exists := ch.View(name).Source().Position(po.ID.String())
	var before *domain.Order
	if exists {
		o := w.Order(old)
		before = &o
	} else {
		old = -1
	}
	series := int32(-1)
	if po.Series != nil {
		var known bool
		series, known = w.FindSeries(*po.Series)
		if known {
			problems.Add(joinSeries(ch, &po, series, old)...)
		} else {
			series = w.AddSeries(*po.Series)
		}
	}
	if before != nil && before.Series >= 0 && before.Series != series {
		problems.Add(leaveSeries(ch, before, old, "placing it outside its series")...)
	}
	symbol, err := w.SymbolCode(po.Symbol)
	if err != nil {
		problems.Addf("symbol", "%v", err)
	}
	if problems.Len() > 0 {
		return false, &problems
	}
	pos, err := w.PutOrder(po.Order(&w.Orders.Vocab, int32(po.User), symbol, series))
	if err != nil {
		return false, &problem.List{Items: []problem.Problem{{Msg: err.Error()}}}
	}
	ch.Add(name, pos)
	if exists {
		ch.Remove(name, old)
	}
	return !exists, nil
}

// Delete deletes the order with order_id id. Deleting an order inside a recurring series would
// leave the series irregular, so that is refused: delete its later orders first.
func (orders) Delete(ch *resource.Change, id string) error {
	w := ch.World
	p, ok := ch.View(name).Source().Position(id)
	if !ok {
		return resource.ErrNotFound
	}
	o := w.Order(p)
	if o.Series >= 0 {
		if ps := leaveSeries(ch, &o, p, "deleting it"); len(ps) > 0 {
			return &problem.List{Items: ps}
		}
	}
	w.DeleteOrder(o.ID)
	ch.Remove(name, p)
	return nil
}

// OwnerReplaced checks the orders of the user with user_account_id id against its new
// accounts in ch.World.
func (orders) OwnerReplaced(ch *resource.Change, id string) error {
	w := ch.World
	p, _ := w.FindUser(id)
	u := w.User(p)
	v := &w.Orders.Vocab
	var problems problem.List
	conflicts := 0
	for _, op := range userOrders(ch, id) {
		o := w.Order(op)
		product := v.Products[o.Product]
		j := slices.IndexFunc(u.Accounts, func(a domain.Account) bool { return a.Product == product })
		path, why := "", ""
		switch {
		case j < 0:
			path, why = "accounts", fmt.Sprintf("the user would have no %s account", product)
		case u.Accounts[j].Status != domain.StatusApproved:
			path, why = fmt.Sprintf("accounts[%d].kyc_status", j), fmt.Sprintf("its %s account would be %s, not approved", product, u.Accounts[j].Status)
		case u.Accounts[j].ApprovedAt > floorSeconds(o.PlacedAt):
			path, why = fmt.Sprintf("accounts[%d].kyc_approved_at", j), fmt.Sprintf("its %s account would be approved at %s, after the order was placed",
				product, render.AppendSeconds(nil, u.Accounts[j].ApprovedAt))
		default:
			continue
		}
		conflicts++
		if conflicts > maxListed {
			continue
		}
		problems.Addf(path, "order %s (%s, placed %s) is on this user's %s account, and %s; orders are placed on approved accounts only. "+
			"Delete the order first (DELETE /__admin/fis/%s/orders/%s), or keep the account approved by its placed_at",
			o.ID, product, render.AppendMicros(nil, o.PlacedAt), product, why, w.Name, o.ID)
	}
	if conflicts > maxListed {
		problems.Addf("accounts", "... and %d more of the user's orders conflict the same way", conflicts-maxListed)
	}
	return problems.Err()
}

// OwnerDeleted deletes the orders of the user with user_account_id id.
func (orders) OwnerDeleted(ch *resource.Change, id string) error {
	for _, p := range userOrders(ch, id) {
		ch.World.DeleteOrder(ch.World.Order(p).ID)
		ch.Remove(name, p)
	}
	return nil
}

// Over shows the orders of w, a later version of the world table was built on: the table's
// orders from its store and index, the added ones from w.
func (orders) Over(table *engine.Table, w *domain.World) (engine.Source, resource.Items) {
	s := *table.Source().(*source)
	s.w = w
	return &s, items{w: w}
}

// AppendRecord appends the order at position p in the pinned-orders format: the API object in
// the state it settles in.
func (orders) AppendRecord(b []byte, w *domain.World, p int32) []byte {
	o := w.Order(p)
	return AppendOrder(b, w, &o, math.MaxInt64)
}

// userOrders returns the positions of the orders of the user with user_account_id id before
// the change, whatever their placed_at, in placed_at order.
func userOrders(ch *resource.Change, id string) []int32 {
	_, page := ch.View(name).Find(&query.Query{
		At:     math.MaxInt64,
		Groups: []query.Group{{Key: 0, Value: id}},
		Limit:  math.MaxInt32,
	}, nil)
	return page
}

// seriesOrders returns the positions of the orders of series s before the change but skip:
// among the orders of the user with user_account_id uid when it has some, else among every
// order (a series is one user's, but the id may name another user's).
func seriesOrders(ch *resource.Change, s int32, uid string, skip int32) []int32 {
	w := ch.World
	var out []int32
	for _, p := range userOrders(ch, uid) {
		if p != skip && w.OrderSeries(p) == s {
			out = append(out, p)
		}
	}
	if len(out) > 0 {
		return out
	}
	v := ch.View(name)
	for p := range int32(v.Source().Len()) {
		if p != skip && w.OrderSeries(p) == s && !v.Removed(p) {
			out = append(out, p)
		}
	}
	return out
}

// joinSeries returns the problems of po joining series s, which has orders already; old is the
// position of the order po replaces, or -1 when none.
func joinSeries(ch *resource.Change, po *domain.PinnedOrder, s int32, old int32) []problem.Problem {
	w := ch.World
	uid := w.User(int32(po.User)).ID
	members := seriesOrders(ch, s, uid, old)
	if len(members) == 0 {
		return nil // every order of the series was deleted: the id is free again
	}
	first := w.Order(members[0])
	v := &w.Orders.Vocab
	sid := w.SeriesID(s)
	if first.User != int32(po.User) {
		return []problem.Problem{{Path: "recurring_order_id", Msg: fmt.Sprintf("%s is the series of user %s's orders (order %s among them); a series is one user's buys: use a new recurring_order_id",
			sid, w.User(first.User).ID, first.ID)}}
	}
	if v.Products[first.Product] != po.Product || w.Symbol(first.Symbol) != po.Symbol || v.Sides[first.Side] != po.Side {
		return []problem.Problem{{Path: "recurring_order_id", Msg: fmt.Sprintf("series %s is %s of %s on %s (order %s among them); an order of the series must be the same product, symbol and side",
			sid, v.Sides[first.Side], w.Symbol(first.Symbol), v.Products[first.Product], first.ID)}}
	}
	times := []int64{po.PlacedAt}
	for _, p := range members {
		times = append(times, w.Order(p).PlacedAt)
	}
	slices.Sort(times)
	if !domain.RegularSeries(times) {
		return []problem.Problem{{Path: "placed_at", Msg: fmt.Sprintf("with this order, series %s would be placed at %s: not a regular interval (a fixed gap, or the same day and time of consecutive months)",
			sid, listTimes(times))}}
	}
	return nil
}

// leaveSeries returns the problems of order o (at position p) leaving its series: the orders
// left must still be at a regular interval. doing says what takes it out.
func leaveSeries(ch *resource.Change, o *domain.Order, p int32, doing string) []problem.Problem {
	w := ch.World
	var times []int64
	for _, m := range seriesOrders(ch, o.Series, w.User(o.User).ID, p) {
		times = append(times, w.Order(m).PlacedAt)
	}
	slices.Sort(times)
	if domain.RegularSeries(times) {
		return nil
	}
	return []problem.Problem{{Msg: fmt.Sprintf("order %s is in recurring series %s, and %s would leave the series placed at %s: not a regular interval. "+
		"Delete the series' later orders first, from the last one back", o.ID, w.SeriesID(o.Series), doing, listTimes(times))}}
}

// listTimes renders instants for messages, the first few and the count.
func listTimes(times []int64) string {
	var parts []string
	for i, t := range times {
		if i == 5 {
			parts = append(parts, fmt.Sprintf("... (%d in all)", len(times)))
			break
		}
		parts = append(parts, string(render.AppendMicros(nil, t)))
	}
	return strings.Join(parts, ", ")
}

// floorSeconds converts Unix microseconds to the second they fall in, as the API renders them.
func floorSeconds(us int64) int64 {
	return time.UnixMicro(us).Unix()
}
