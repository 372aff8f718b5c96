package tenant

import (
	"github.com/cryptofi/partner-mock/mock/internal/domain"
	"github.com/cryptofi/partner-mock/mock/internal/engine"
	"github.com/cryptofi/partner-mock/mock/internal/render"
)

// PrerenderMaxUsers is the largest population whose user objects are rendered once at build
// time. A rendered user is about 250 bytes, so this caps the cost near 60 MB per tenant; larger
// tenants render each page as it is served (a few microseconds more per page), which keeps a
// million-user tenant's heap well under 300 MB.
const PrerenderMaxUsers = 250_000

// prerender renders the tenant's users once when the population is small enough, laid out in
// created_at order, the default sort.
func (t *Tenant) prerender(users []domain.User) {
	if len(users) > 0 && len(users) <= PrerenderMaxUsers {
		t.rendered = render.NewUsers(users, t.Index.Order(engine.SortCreatedAt))
	}
}

// AppendUser appends the JSON object of the user at position i of the index (Index.Position),
// exactly as render.AppendUser writes it.
func (t *Tenant) AppendUser(b []byte, i int32) []byte {
	if t.rendered != nil {
		return append(b, t.rendered.Bytes(i)...)
	}
	return render.AppendUser(b, t.Index.At(i))
}

// AppendList appends the list response whose items are the users at positions (see
// engine.Index.Find), exactly as render.AppendList writes it.
func (t *Tenant) AppendList(b []byte, positions []int32, env render.ListEnvelope) []byte {
	if t.rendered != nil {
		return t.rendered.AppendList(b, positions, env)
	}
	users := make([]*domain.User, len(positions))
	for i, p := range positions {
		users[i] = t.Index.At(p)
	}
	return render.AppendList(b, users, env, render.AppendUser)
}
