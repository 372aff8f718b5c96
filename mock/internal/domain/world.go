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
type World struct {
	// Name identifies the FI (the tenant's name).
	Name string
	// Seed and AsOf are the tenant's generation inputs; AsOf is in Unix microseconds.
	Seed uint64
	AsOf int64
	// Users are the generated users followed by the PinnedUsers pinned ones.
	Users       []User
	PinnedUsers int
	// UserPosition finds a user by user_account_id.
	UserPosition func(id string) (int32, bool)
	// Orders are the generated orders followed by the PinnedOrders pinned ones; nil when the
	// document declares no orders.
	Orders       *OrderStore
	PinnedOrders int
}
