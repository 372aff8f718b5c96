// Package resource is the seam between the Partner API's resources (users, orders, ...) and the
// generic parts of the mock. A resource is described once, by a Resource: its paths, what each
// of its query parameters means (a params rule table), its engine schema, how it reads one
// tenant's world and renders its items, and its 404 text. The HTTP layer serves every resource
// the document declares through the same handlers; adding one means writing one package that
// implements Resource and listing it where the mock is assembled.
package resource

import (
	"github.com/cryptofi/partner-mock/mock/internal/domain"
	"github.com/cryptofi/partner-mock/mock/internal/params"
	"github.com/cryptofi/partner-mock/mock/internal/query"
	"github.com/cryptofi/partner-mock/spec"
)

// Resource describes one resource of the API.
type Resource interface {
	// Name is the resource's name, as in its path and in dump --resource ("users").
	Name() string
	// ListPath and DetailPath are its operations' paths relative to the base path, as the
	// document spells them ("/users/", "/users/{user_account_id}/").
	ListPath() string
	DetailPath() string
	// NotFound is the detail of the 404 for an id the tenant does not have ("User not found").
	NotFound() string
	// Required reports whether the mock cannot run without the resource: the other resources'
	// data is generated from it.
	Required() bool
	// Bind reads the resource's list operation: it returns the engine schema and the parameter
	// rules, adds to v the enums the data is generated from, and reports every problem that
	// keeps the mock from serving the operation.
	Bind(op *spec.Operation, v *domain.Vocab) (query.Schema, []params.Rule, []string)
	// Build indexes the resource's records in one tenant's world.
	Build(w *domain.World, schema query.Schema) (*Collection, error)
}

// Bound is a resource bound to the document: its operations, engine schema and query parser.
type Bound struct {
	Resource
	List, Detail *spec.Operation
	Schema       query.Schema
	Parser       *params.Parser
}

// Exampler is a Resource that picks the record the reference page (/docs) shows: a pinned
// one, which stays the same whatever the generator does.
type Exampler interface {
	// Example returns the position of the record to show, and the list query (a raw query
	// string) whose answer the page shows next to it; false when there is none to prefer.
	Example(w *domain.World) (p int32, query string, ok bool)
}

// Dumper is a Resource that partner-mock dump can write as CSV, and whose JSON dump may carry
// more than the API object (a user's created_at, which pinned files need).
type Dumper interface {
	// AppendDumpItem appends the record at position p in its state at instant at, as the API
	// object with any fields a dump adds.
	AppendDumpItem(b []byte, w *domain.World, p int32, at int64) []byte
	// CSVHeader names the CSV dump's columns.
	CSVHeader() []string
	// CSVRows calls emit with the CSV rows of the record at position p (a user has one per
	// account); emit may keep no row after it returns.
	CSVRows(w *domain.World, p int32, at int64, emit func(row []string) error) error
}
