package tenant

import (
	"crypto/sha256"
	"crypto/subtle"
)

// Registry resolves API keys to tenants.
type Registry struct {
	tenants []*Tenant
	entries []keyEntry
}

type keyEntry struct {
	digest [sha256.Size]byte
	tenant *Tenant
	// pos is the key's index in its tenant's api_keys (see LookupKey).
	pos int
}

// NewRegistry indexes the keys of tenants. Keys are kept only as digests.
func NewRegistry(tenants []*Tenant) *Registry {
	r := &Registry{tenants: tenants}
	for _, t := range tenants {
		for j, k := range t.Config.APIKeys {
			r.entries = append(r.entries, keyEntry{digest: sha256.Sum256([]byte(k)), tenant: t, pos: j})
		}
	}
	return r
}

// Lookup returns the tenant of key. It compares digests of equal length against every entry
// without stopping early, so the time taken does not reveal how much of a key matched or which
// entry did.
func (r *Registry) Lookup(key string) (*Tenant, bool) {
	d := sha256.Sum256([]byte(key))
	var found *Tenant
	for i := range r.entries {
		if subtle.ConstantTimeCompare(d[:], r.entries[i].digest[:]) == 1 {
			found = r.entries[i].tenant
		}
	}
	return found, found != nil
}

// Tenants returns the tenants in config order.
func (r *Registry) Tenants() []*Tenant {
	return r.tenants
}
