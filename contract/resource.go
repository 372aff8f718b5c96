package contract

import (
	"net/url"
	"strings"

	"github.com/cryptofi/partner-mock/spec"
)

// resource is one of the API's collections as the generic checks see it: a list path with the
// paging envelope, a detail path, an id field, a time field the list is filtered and sorted by,
// and the list's query parameters as the document declares them.
type resource struct {
	// name is the collection ("users", "orders"); noun names one record in messages.
	name, noun string
	// list is the list path relative to the base URL ("/users/"); detail is the detail path's
	// prefix, completed by an escaped id and a slash.
	list, detailPrefix string
	// idField is the key of the record's id; the list's ties are broken by it.
	idField string
	// timeField is the field the time range filters and the default order use; its bounds are
	// the parameters startParam (inclusive) and endParam (exclusive).
	timeField, startParam, endParam string
	// notFound is the detail of the 404 for an id this FI has no record for.
	notFound string
	// params are the list's query parameters in document order.
	params []spec.Param
}

// detail returns the detail path of the record id.
func (r *resource) detail(id string) string {
	return r.detailPrefix + url.PathEscape(id) + "/"
}

// param returns the list parameter called name.
func (r *resource) param(name string) (spec.Param, bool) {
	for _, p := range r.params {
		if p.Name == name {
			return p, true
		}
	}
	return spec.Param{}, false
}

// isList reports whether path is this resource's list path.
func (r *resource) isList(path string) bool { return path == r.list }

// newUsers describes the user collection from the document.
func newUsers(s *spec.Spec) *resource {
	return &resource{
		name: "users", noun: "user",
		list: spec.ListPath, detailPrefix: strings.TrimSuffix(spec.DetailPath, "{user_account_id}/"),
		idField: "user_account_id", timeField: "created_at",
		startParam: "created_at_start", endParam: "created_at_end",
		notFound: "User not found",
		params:   s.ListParams,
	}
}
