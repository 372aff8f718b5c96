package resource

import (
	"errors"
	"fmt"
	"slices"

	"github.com/cryptofi/partner-mock/mock/internal/domain"
	"github.com/cryptofi/partner-mock/mock/internal/engine"
	"github.com/cryptofi/partner-mock/mock/internal/problem"
)

// Mutable is a Resource whose records the admin API can put and delete while the mock serves.
// A resource opts in by implementing it; the admin API serves PUT and DELETE
// /__admin/fis/{fi}/{name}/{id} for each one that does.
type Mutable interface {
	Resource
	// Put adds the record body describes, with primary id id, to ch, replacing the record with
	// that id if there is one, and reports whether it created one. body is a JSON object in the
	// format of the resource's pinned files; its id may be left out. Problems with the body, or
	// with what putting it would break, are a *problem.List whose paths name the body's
	// fields.
	Put(ch *Change, id string, body []byte) (created bool, err error)
	// Delete removes the record with primary id id from ch, with the records that depend on it
	// (Change.OwnerDeleted). It returns ErrNotFound when there is none.
	Delete(ch *Change, id string) error
	// Over returns the resource's records in w, a later version of the world table was built
	// on (domain.World.Edit): the source a view of table reads them through, and the items that
	// render them.
	Over(table *engine.Table, w *domain.World) (engine.Source, Items)
	// AppendRecord appends the record at position p of w as Put accepts it: its pinned format,
	// in the state it settles in.
	AppendRecord(b []byte, w *domain.World, p int32) []byte
}

// Dependent is a Mutable resource whose records belong to records of another resource, their
// owner (orders belong to users). The owner's Put and Delete ask it what their change does to
// its records, through Change.OwnerReplaced and Change.OwnerDeleted.
type Dependent interface {
	Mutable
	// Owner is the name of the resource its records belong to ("users").
	Owner() string
	// OwnerReplaced returns the problems that replacing the owner record with primary id id, as
	// it is in ch.World, makes for its records: a *problem.List, or nil when none.
	OwnerReplaced(ch *Change, id string) error
	// OwnerDeleted removes from ch the records that belong to the owner record with primary
	// id id.
	OwnerDeleted(ch *Change, id string) error
}

// ErrNotFound is the error of a change to a record that does not exist.
var ErrNotFound = errors.New("not found")

// Formats reads request bodies in the formats of the pinned files, with their checks
// (tenant.PinnedRules does).
type Formats interface {
	// ParseUser reads one user in the pinned-users format, with user_account_id id.
	ParseUser(body []byte, id string) (domain.User, error)
	// ParseOrder reads one order in the pinned-orders format, with order_id id; user finds its
	// user by user_account_id: its identity and record, or -1.
	ParseOrder(body []byte, id string, user func(id string) (int, *domain.User)) (domain.PinnedOrder, error)
}

// Change is one change to a tenant's records in progress: a new version of its world, and per
// collection the positions removed and added. Mutable resources make it; the admin API then
// publishes it, or drops it when it fails.
type Change struct {
	// World is the version being made (domain.World.Edit): records are put into it.
	World *domain.World
	// Formats reads and checks request bodies.
	Formats   Formats
	resources []*Bound
	views     []*engine.View
	removed   [][]int32
	added     [][]int32
}

// NewChange starts a change of world, a version made to change (domain.World.Edit), whose
// resources (bound in this order) show their records through views, with formats reading the
// request's body.
func NewChange(world *domain.World, formats Formats, resources []*Bound, views []*engine.View) *Change {
	return &Change{World: world, Formats: formats, resources: resources, views: views,
		removed: make([][]int32, len(resources)), added: make([][]int32, len(resources))}
}

// index returns the position of the resource called name.
func (ch *Change) index(name string) int {
	i := slices.IndexFunc(ch.resources, func(b *Bound) bool { return b.Name() == name })
	if i < 0 {
		// A resource's code names the resources it works with: a typo, not a request's fault.
		panic(fmt.Sprintf("resource: no resource called %q in this change", name))
	}
	return i
}

// Has reports whether the mock serves the resource called name.
func (ch *Change) Has(name string) bool {
	return slices.ContainsFunc(ch.resources, func(b *Bound) bool { return b.Name() == name })
}

// View returns the records of the resource called name as they were before the change.
func (ch *Change) View(name string) *engine.View { return ch.views[ch.index(name)] }

// Remove records that the change removes the record at position p of the resource called
// name.
func (ch *Change) Remove(name string, p int32) {
	i := ch.index(name)
	ch.removed[i] = append(ch.removed[i], p)
}

// Add records that the change adds the record at position p of the resource called name.
func (ch *Change) Add(name string, p int32) {
	i := ch.index(name)
	ch.added[i] = append(ch.added[i], p)
}

// Positions returns the positions the change removes from and adds to resource i (in the
// order the resources were bound).
func (ch *Change) Positions(i int) (removed, added []int32) { return ch.removed[i], ch.added[i] }

// OwnerReplaced asks every Dependent resource whose owner is the resource called owner what
// replacing its record id does to their records, and returns all their problems in one
// *problem.List.
func (ch *Change) OwnerReplaced(owner, id string) error {
	var problems problem.List
	for _, d := range ch.dependents(owner) {
		problems.Merge(d.OwnerReplaced(ch, id))
	}
	return problems.Err()
}

// OwnerDeleted removes the records of every Dependent resource that belong to record id of the
// resource called owner.
func (ch *Change) OwnerDeleted(owner, id string) error {
	for _, d := range ch.dependents(owner) {
		if err := d.OwnerDeleted(ch, id); err != nil {
			return err
		}
	}
	return nil
}

func (ch *Change) dependents(owner string) []Dependent {
	var out []Dependent
	for _, b := range ch.resources {
		if d, ok := b.Resource.(Dependent); ok && d.Owner() == owner {
			out = append(out, d)
		}
	}
	return out
}
