// Package scenario changes a running mock's tenants: it puts and deletes records of the
// resources that allow it (resource.Mutable) and puts tenants back as built. The admin API
// (/__admin/) is its one caller; it knows nothing of HTTP.
//
// A change is made off to the side and published whole. Under the tenant's lock
// (tenant.Tenant.Edit), it takes a new version of the tenant's world (domain.World.Edit), lets
// the resource put or delete records in it (which may ask the resources whose records depend
// on them), then gives every mutable collection a view of its table with the records removed
// and added (engine.View.Change) over the new world, and swaps it in (resource.Collection.Swap).
// Requests never wait: each reads one collection through one snapshot, the old records or the
// new ones. A change that fails publishes nothing.
package scenario

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/cryptofi/partner-mock/mock/internal/domain"
	"github.com/cryptofi/partner-mock/mock/internal/engine"
	"github.com/cryptofi/partner-mock/mock/internal/resource"
	"github.com/cryptofi/partner-mock/mock/internal/tenant"
)

// The errors of a change besides its problems (a *problem.List, which says what is wrong with
// the request or what the change would break).
var (
	// ErrNotFound is a delete of a record the tenant does not have.
	ErrNotFound = resource.ErrNotFound
	// ErrMalformed is a body that is not JSON; the error also holds a *problem.List saying
	// where.
	ErrMalformed = errors.New("the body is not JSON")
	// ErrNoResource is a change to a resource the mock does not serve, or that cannot change.
	ErrNoResource = errors.New("no such resource")
)

// Editor changes the tenants built from one set of bound resources.
type Editor struct {
	resources []*resource.Bound
	vocab     domain.Vocab
}

// New returns the editor of tenants whose collections serve resources, in this order, with the
// document's enums vocab.
func New(resources []*resource.Bound, vocab domain.Vocab) *Editor {
	return &Editor{resources: resources, vocab: vocab}
}

// Resources returns the names of the resources whose records can change, in order.
func (e *Editor) Resources() []string {
	var names []string
	for _, b := range e.resources {
		if _, ok := b.Resource.(resource.Mutable); ok {
			names = append(names, b.Name())
		}
	}
	return names
}

// Put is what a put made.
type Put struct {
	// Created is true when no record had the id; false when one was replaced.
	Created bool
	// Record is the record as put, in the resource's pinned format (resource.Mutable.AppendRecord).
	Record []byte
}

// Put puts the record body describes (a JSON object in the resource's pinned format) into t's
// resource called name under id, replacing the record with that id if there is one.
func (e *Editor) Put(t *tenant.Tenant, name, id string, body []byte) (Put, error) {
	i, m, err := e.mutable(name)
	if err != nil {
		return Put{}, err
	}
	if err := tenant.CheckJSON(body); err != nil {
		return Put{}, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	var out Put
	err = e.change(t, func(ch *resource.Change) error {
		created, err := m.Put(ch, id, body)
		if err != nil {
			return err
		}
		_, added := ch.Positions(i)
		out = Put{Created: created, Record: m.AppendRecord(nil, ch.World, added[len(added)-1])}
		return nil
	})
	return out, err
}

// Delete deletes the record with id from t's resource called name, with the records that depend
// on it (a user's orders). It returns ErrNotFound when there is none.
func (e *Editor) Delete(t *tenant.Tenant, name, id string) error {
	_, m, err := e.mutable(name)
	if err != nil {
		return err
	}
	return e.change(t, func(ch *resource.Change) error { return m.Delete(ch, id) })
}

// Reset puts t back as built: its generated and pinned records, without any change.
func (e *Editor) Reset(t *tenant.Tenant) { t.Reset() }

// mutable returns the index and the Mutable of the resource called name.
func (e *Editor) mutable(name string) (int, resource.Mutable, error) {
	i := slices.IndexFunc(e.resources, func(b *resource.Bound) bool { return b.Name() == name })
	if i >= 0 {
		if m, ok := e.resources[i].Resource.(resource.Mutable); ok {
			return i, m, nil
		}
	}
	return 0, nil, fmt.Errorf("%w %q: the records that can change are %s", ErrNoResource, name, strings.Join(e.Resources(), ", "))
}

// change makes one change of t with do and publishes it when do succeeds.
func (e *Editor) change(t *tenant.Tenant, do func(ch *resource.Change) error) error {
	return t.Edit(func(cur *domain.World) (*domain.World, error) {
		w := cur.Edit()
		views := make([]*engine.View, len(t.Collections))
		for j, c := range t.Collections {
			views[j] = c.Now().View()
		}
		ch := resource.NewChange(w, tenant.PinnedRules{Vocab: e.vocab}, e.resources, views)
		if err := do(ch); err != nil {
			return nil, err
		}
		// Dependent records go first (orders before their users), so a request in between sees
		// a user without some orders rather than orders without their user.
		for j := len(t.Collections) - 1; j >= 0; j-- {
			m, ok := e.resources[j].Resource.(resource.Mutable)
			if !ok {
				continue
			}
			c := t.Collections[j]
			src, items := m.Over(c.Table(), w)
			removed, added := ch.Positions(j)
			c.Swap(views[j].Change(src, removed, added), items)
		}
		return w, nil
	})
}
