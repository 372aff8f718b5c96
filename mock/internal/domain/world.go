package domain

// Vocab holds the document's enums the data is generated from, in document order. Orders is
// false when the document declares no orders: none are generated then.
type Vocab struct {
	Products      []Product
	KycStatuses   []KycStatus
	OrderSides    []OrderSide
	OrderStatuses []OrderStatus
	Orders        bool
}

// World is one FI's data: every record it will ever show, from which each resource's answers at
// any instant are computed.
//
// A world as built holds the generated and pinned records. The admin API changes it by making
// new versions (Edit): a version shares the records of the one it came from and adds its own
// after them, so a record's position never changes and never names another record. Read the
// records through User, Order, SeriesID and Symbol, which see every version's additions; Users
// and Orders hold the records as built only.
type World struct {
	// Name identifies the FI (the tenant's name).
	Name string
	// Seed and AsOf are the tenant's generation inputs; AsOf is in Unix microseconds.
	Seed uint64
	AsOf int64
	// Users are the users as built: the generated users followed by the PinnedUsers pinned
	// ones.
	Users       []User
	PinnedUsers int
	// UserPosition finds a user of Users by user_account_id. FindUser sees the changes too.
	UserPosition func(id string) (int32, bool)
	// Orders are the orders as built: the generated orders followed by the PinnedOrders pinned
	// ones; nil when the document declares no orders.
	Orders       *OrderStore
	PinnedOrders int

	// edits are the changes made to the world as built; nil when there are none.
	edits *edits
}

// User returns the user at position p, which may be one a change added.
func (w *World) User(p int32) *User {
	if int(p) < len(w.Users) {
		return &w.Users[p]
	}
	return &w.edits.users[int(p)-len(w.Users)]
}

// UserLen returns the number of user positions: the users as built and those changes added,
// replaced and deleted ones included.
func (w *World) UserLen() int {
	if w.edits == nil {
		return len(w.Users)
	}
	return len(w.Users) + len(w.edits.users)
}

// FindUser returns the position of the user with user_account_id id in this version.
func (w *World) FindUser(id string) (int32, bool) {
	if w.edits != nil {
		if r, ok := w.edits.userAt[id]; ok {
			return r.pos, r.pos >= 0
		}
	}
	return w.UserPosition(id)
}

// UserIdentity returns the identity of the user with user_account_id id: the position of its
// first record, which its orders name (Order.User) and keep when the user is replaced.
func (w *World) UserIdentity(id string) (int32, bool) {
	if w.edits != nil {
		if r, ok := w.edits.userAt[id]; ok {
			return r.identity, r.pos >= 0
		}
	}
	return w.UserPosition(id)
}

// Order returns the order at position p, which may be one a change added.
func (w *World) Order(p int32) Order {
	if n := w.Orders.Len(); int(p) >= n {
		return w.edits.orders[int(p)-n]
	}
	return w.Orders.Order(p)
}

// OrderSeries returns the series of the order at position p (Order.Series), without decoding
// the rest of it.
func (w *World) OrderSeries(p int32) int32 {
	if n := w.Orders.Len(); int(p) >= n {
		return w.edits.orders[int(p)-n].Series
	}
	return w.Orders.SeriesOf(p)
}

// OrderLen returns the number of order positions, replaced and deleted ones included.
func (w *World) OrderLen() int {
	if w.edits == nil {
		return w.Orders.Len()
	}
	return w.Orders.Len() + len(w.edits.orders)
}

// OrderEdit returns the position a change gave the order with order_id id, or -1 when a change
// deleted it; edited is false when no change touched it (then the orders as built tell).
func (w *World) OrderEdit(id UUID) (pos int32, edited bool) {
	if w.edits == nil {
		return 0, false
	}
	pos, edited = w.edits.orderAt[id]
	return pos, edited
}

// SeriesID returns the recurring_order_id of series s (Order.Series).
func (w *World) SeriesID(s int32) UUID {
	if n := len(w.Orders.Series); int(s) >= n {
		return w.edits.series[int(s)-n]
	}
	return w.Orders.Series[s]
}

// FindSeries returns the index of the series with recurring_order_id id. It reads every
// series, so it is for changes, not for requests.
func (w *World) FindSeries(id UUID) (int32, bool) {
	for s, u := range w.Orders.Series {
		if u == id {
			return int32(s), true
		}
	}
	if w.edits != nil {
		for s, u := range w.edits.series {
			if u == id {
				return int32(len(w.Orders.Series) + s), true
			}
		}
	}
	return 0, false
}

// Symbol returns the symbol an order's code names (Order.Symbol).
func (w *World) Symbol(code uint16) string {
	if w.edits != nil && w.edits.symbols != nil {
		return w.edits.symbols[code]
	}
	return w.Orders.Vocab.Symbols[code]
}

// Changed returns the number of records changes have put or deleted since the world was built
// (a replaced record counts once).
func (w *World) Changed() int {
	if w.edits == nil {
		return 0
	}
	return len(w.edits.userAt) + len(w.edits.orderAt)
}
