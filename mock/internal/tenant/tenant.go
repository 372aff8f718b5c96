package tenant

import (
	"errors"
	"fmt"
	"hash/maphash"
	"io/fs"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/cryptofi/partner-mock/mock/internal/domain"
	"github.com/cryptofi/partner-mock/mock/internal/engine"
	"github.com/cryptofi/partner-mock/mock/internal/gen"
	"github.com/cryptofi/partner-mock/mock/internal/problem"
	"github.com/cryptofi/partner-mock/mock/internal/resource"
	"github.com/cryptofi/partner-mock/mock/internal/startup"
)

// Tenant is one FI's world and its resources' collections, ready to serve.
//
// The admin API changes a tenant while it serves. Requests read without locks: each reads one
// collection's records through one snapshot (Collection.Now), and the world through World.
// Changes are serialized by Edit and Reset.
type Tenant struct {
	Config TenantConfig
	// Collections hold the served resources' records, in the order Build was given them.
	Collections []*resource.Collection

	world atomic.Pointer[domain.World]
	// base is the world as built, which Reset goes back to.
	base *domain.World
	// mu serializes changes.
	mu sync.Mutex
}

// NewTenant returns a tenant serving the world w through collections, as built.
func NewTenant(cfg TenantConfig, w *domain.World, collections []*resource.Collection) *Tenant {
	t := &Tenant{Config: cfg, Collections: collections, base: w}
	t.world.Store(w)
	return t
}

// World returns the tenant's current world: the one its collections were built on, or the
// latest a change published. Its AsOf never changes.
func (t *Tenant) World() *domain.World { return t.world.Load() }

// AsOf returns the instant the tenant's data is generated up to (Unix microseconds), which a
// clock that is not set tells the tenant.
func (t *Tenant) AsOf() int64 { return t.base.AsOf }

// Edit runs change while no other Edit or Reset of t runs, with the current world. change
// publishes its collections' new records (Collection.Swap) and returns the world they are
// built on, which Edit then publishes as the current one; when it returns an error (or a nil
// world) nothing is published. Only the world change is given may be edited (World.Edit).
func (t *Tenant) Edit(change func(cur *domain.World) (*domain.World, error)) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	next, err := change(t.world.Load())
	if err != nil {
		return err
	}
	if next != nil {
		t.world.Store(next)
	}
	return nil
}

// Reset puts the tenant back as built: its generated and pinned records, without any change.
func (t *Tenant) Reset() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, c := range t.Collections {
		c.Reset()
	}
	t.world.Store(t.base)
}

// Hold runs read while no change of t runs, with the current world: read sees the world and the
// collections' records (Collection.Now) of one version. Requests need not hold it; they read
// one collection each.
func (t *Tenant) Hold(read func(w *domain.World)) {
	t.mu.Lock()
	defer t.mu.Unlock()
	read(t.world.Load())
}

// ReadFile reads a file named in a config (pinned users or orders), relative to the config.
type ReadFile func(name string) ([]byte, error)

// Build validates cfg and builds every tenant, concurrently: its world from the generator and
// the pinned files, then a collection per resource of bound. It either returns every tenant or
// an error listing every problem found; it never returns part of a config. The result does not
// depend on scheduling: each world is a pure function of its config, vocab and the generator
// version.
func Build(bound []*resource.Bound, vocab domain.Vocab, cfg *Config, read ReadFile) ([]*Tenant, error) {
	return BuildTimed(bound, vocab, cfg, read, nil)
}

// BuildTimed is Build, recording its phases in rec (nil records nothing).
func BuildTimed(bound []*resource.Bound, vocab domain.Vocab, cfg *Config, read ReadFile, rec *startup.Recorder) ([]*Tenant, error) {
	endCheck := rec.Begin(1, "check the config and read pinned files")
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	pinned, pinnedErr := cfg.Pinned(vocab, read)
	// The generator's own checks (id_format, its capacity) run before any generation, so one
	// run reports the pinned files' problems and the templates' together.
	params := make([]gen.Params, len(cfg.Tenants))
	var problems problem.List
	problems.Merge(pinnedErr)
	for i := range cfg.Tenants {
		var p []domain.User
		if pinnedErr == nil {
			p = pinned[i].Users
		}
		params[i] = genParams(vocab, cfg.Tenants[i], p)
		if err := params[i].Validate(); err != nil {
			problems.Merge(cfg.genError(i, err))
		}
	}
	if err := problems.Err(); err != nil {
		return nil, err
	}
	endCheck()
	out := make([]*Tenant, len(cfg.Tenants))
	errs := make([]error, len(cfg.Tenants))
	var wg sync.WaitGroup
	for i := range cfg.Tenants {
		wg.Go(func() {
			out[i], errs[i] = buildOne(cfg, i, params[i], vocab, pinned[i], bound, rec)
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

// Warm prepares every collection's answers at instant at (Unix microseconds).
func (t *Tenant) Warm(at int64) {
	for _, c := range t.Collections {
		c.Table().Warm(at)
	}
}

// Pinned are one tenant's pinned records.
type Pinned struct {
	Users  []domain.User
	Orders []PinnedOrder
}

// Pinned reads and checks the pinned users and orders of every tenant of a validated cfg
// against the document's enums and each tenant's as_of, by tenant index. Its error lists every
// problem, naming the config's line and the pinned files' own lines.
func (c *Config) Pinned(vocab domain.Vocab, read ReadFile) ([]Pinned, error) {
	if read == nil {
		read = func(name string) ([]byte, error) { return nil, errors.New("no file reader configured") }
	}
	out := make([]Pinned, len(c.Tenants))
	var problems problem.List
	for i, tc := range c.Tenants {
		rules := PinnedRules{Vocab: vocab, AsOf: tc.AsOf}
		usersOK := true
		if tc.PinnedUsers != "" {
			n, err := c.readPinned(i, "pinned_users", tc.PinnedUsers, read, func(name string, data []byte) (int, error) {
				users, err := rules.Parse(name, data)
				out[i].Users = users
				return len(users), err
			})
			problems.Merge(err)
			usersOK = err == nil
			if err == nil && n > tc.Users {
				problems.Merge(c.problem(fmt.Sprintf("tenants[%d].users", i),
					"%d is fewer than the %d pinned users in %s; users counts the whole population, pinned users included",
					tc.Users, len(out[i].Users), c.pinnedName(tc.PinnedUsers)))
			}
		}
		if tc.PinnedOrders != "" {
			switch {
			case !vocab.Orders:
				problems.Merge(c.problem(fmt.Sprintf("tenants[%d].pinned_orders", i), "the document declares no orders (GET /orders/); remove pinned_orders or serve a document that has them"))
			case usersOK:
				// Orders are checked against the pinned users, so only once those are good.
				_, err := c.readPinned(i, "pinned_orders", tc.PinnedOrders, read, func(name string, data []byte) (int, error) {
					orders, err := rules.ParseOrders(name, data, out[i].Users)
					out[i].Orders = orders
					return len(orders), err
				})
				problems.Merge(err)
			}
		}
	}
	if err := problems.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// readPinned reads the pinned file name given by tenant i's field and parses it with parse.
func (c *Config) readPinned(i int, field, name string, read ReadFile, parse func(name string, data []byte) (int, error)) (int, error) {
	path := fmt.Sprintf("tenants[%d].%s", i, field)
	full := c.pinnedName(name)
	data, err := read(name)
	if err != nil {
		return 0, c.problem(path, "cannot read %s: %v (a relative path is relative to the config file's directory)", full, unwrapPathError(err))
	}
	n, err := parse(full, data)
	if err != nil {
		l := c.problem(path, "%s has problems:", full)
		l.Merge(err)
		return 0, l
	}
	return n, nil
}

// problem returns a *problem.List for one problem at the field at path.
func (c *Config) problem(path, format string, args ...any) *problem.List {
	return fileError(c.source(), []problem.Problem{{Line: c.line(path), Path: path, Msg: fmt.Sprintf(format, args...)}})
}

// genParams returns the generator's parameters for a tenant with the given pinned users.
func genParams(vocab domain.Vocab, tc TenantConfig, pinned []domain.User) gen.Params {
	reserved := make(map[string]bool, len(pinned))
	for _, u := range pinned {
		reserved[u.ID] = true
	}
	return gen.Params{
		Seed:     tc.Seed,
		Users:    tc.Users - len(pinned),
		AsOf:     tc.AsOf,
		Future:   tc.future(),
		IDFormat: tc.IDFormat,
		Products: vocab.Products,
		Statuses: vocab.KycStatuses,
		Reserved: reserved,
	}
}

// genError turns the generator's error for tenant i into a *problem.List. The generator names its
// fields as the config does (id_format, users, as_of): each of its lines points at that field.
func (c *Config) genError(i int, err error) error {
	at := fmt.Sprintf("tenants[%d]", i)
	var problems []problem.Problem
	for _, msg := range strings.Split(err.Error(), "\n") {
		field, rest, ok := strings.Cut(msg, ": ")
		path := at + "." + field
		if !ok || !isField(field) {
			path, rest = at, msg
		}
		problems = append(problems, problem.Problem{Line: c.line(path), Path: path, Msg: rest})
	}
	return fileError(c.source(), problems)
}

// buildOne generates tenant i of cfg from its checked parameters, adds its pinned records and
// indexes every bound resource.
func buildOne(cfg *Config, i int, p gen.Params, vocab domain.Vocab, pinned Pinned, bound []*resource.Bound, rec *startup.Recorder) (*Tenant, error) {
	tc := cfg.Tenants[i]
	phase := func(name string) func() { return rec.Begin(2, "tenant "+tc.Name+": "+name) }
	end := phase("generate users")
	users, err := gen.Generate(p)
	end()
	if err != nil {
		return nil, cfg.genError(i, err)
	}
	generated := len(users)
	users = append(users, pinned.Users...)
	w := &domain.World{Name: tc.Name, Seed: tc.Seed, AsOf: tc.AsOf.UnixMicro(), Users: users, PinnedUsers: len(pinned.Users), PinnedOrders: len(pinned.Orders)}
	end = phase("index user ids")
	w.UserPosition, err = userPositions(users)
	end()
	if err != nil {
		// Unreachable: generated ids skip the pinned ones and pinned ids are checked unique.
		return nil, fmt.Errorf("%s: tenants[%d]: %w", cfg.source(), i, err)
	}
	if vocab.Orders {
		reserved := make(map[domain.UUID]bool, len(pinned.Orders))
		for _, o := range pinned.Orders {
			reserved[o.ID] = true
		}
		end = phase("generate orders")
		// Ordered by placed_at, the order every list reads them in: the indexes are then built
		// in sequential passes, and a page's orders lie together in memory.
		w.Orders, err = gen.GenerateOrderStore(gen.OrderParams{
			Seed: tc.Seed, AsOf: tc.AsOf, Future: p.Future, PerUser: tc.ordersPerUser(),
			Products: vocab.Products, Sides: vocab.OrderSides, Statuses: vocab.OrderStatuses,
			Users: users[:generated], WindowUsers: p.Users, Reserved: reserved,
		}, true)
		end()
		if err != nil {
			return nil, cfg.genError(i, err)
		}
		addPinnedOrders(w.Orders, pinned.Orders, int32(generated))
		if w.Orders.Len() >= bigOrderBook {
			// Generating a large book leaves as much garbage as the book itself (each chunk's
			// orders before they were put in time order, the sort's buffers). Collected now, the
			// indexes built next reuse that memory instead of growing the heap by as much.
			end = phase("collect the generation's garbage")
			runtime.GC()
			end()
		}
	}
	var collections []*resource.Collection
	for _, b := range bound {
		end := phase("index and render " + b.Name())
		c, err := b.Build(w, b.Schema)
		end()
		if err != nil {
			return nil, fmt.Errorf("%s: tenants[%d]: %w", cfg.source(), i, err)
		}
		collections = append(collections, c)
	}
	return NewTenant(tc, w, collections), nil
}

// bigOrderBook is the number of orders from which a tenant's build collects the garbage its
// generation left before building the indexes.
const bigOrderBook = 1 << 20

// userPositions returns a constant-time lookup of users by user_account_id.
func userPositions(users []domain.User) (func(string) (int32, bool), error) {
	seed := maphash.MakeSeed()
	ids, a, b, ok := engine.NewIDTable(len(users), func(i int32) uint64 { return maphash.String(seed, users[i].ID) },
		func(i, j int32) bool { return users[i].ID == users[j].ID })
	if !ok {
		return nil, fmt.Errorf("users %d and %d share the user_account_id %q", a, b, users[a].ID)
	}
	return func(id string) (int32, bool) {
		return ids.Find(maphash.String(seed, id), func(i int32) bool { return users[i].ID == id })
	}, nil
}

// isField reports whether name is a field of a tenant in the config file.
func isField(name string) bool {
	switch name {
	case "name", "fi_name", "api_keys", "seed", "users", "as_of", "id_format", "pinned_users", "pinned_orders", "future", "orders_per_user":
		return true
	}
	return false
}

// pinnedName returns how messages name a pinned-users file: the path the mock actually reads.
func (c *Config) pinnedName(name string) string {
	if c.Dir == "" || filepath.IsAbs(name) {
		return name
	}
	return filepath.Join(c.Dir, name)
}

// unwrapPathError drops the "open NAME:" prefix of an *fs.PathError: the message names the
// file already.
func unwrapPathError(err error) error {
	if pe, ok := errors.AsType[*fs.PathError](err); ok {
		return pe.Err
	}
	return err
}
