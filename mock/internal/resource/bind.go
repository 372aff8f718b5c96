package resource

import (
	"fmt"

	"github.com/cryptofi/partner-mock/mock/internal/domain"
	"github.com/cryptofi/partner-mock/mock/internal/params"
	"github.com/cryptofi/partner-mock/spec"
)

// BindAll reads each resource's operations from s, in order: those s declares are served, and
// a required one s lacks is a problem. It returns the bound resources, the enums the data is
// generated from, and every problem found.
func BindAll(s *spec.Spec, rs []Resource) ([]*Bound, domain.Vocab, []string) {
	var bound []*Bound
	var vocab domain.Vocab
	var problems []string
	for _, r := range rs {
		list, lp := s.Get(r.ListPath())
		problems = append(problems, lp...)
		if list == nil {
			if r.Required() {
				problems = append(problems, fmt.Sprintf("no GET operation for the %s list path %q: the mock serves it and generates the other resources from it", r.Name(), r.ListPath()))
			}
			continue
		}
		detail, dp := s.Get(r.DetailPath())
		problems = append(problems, dp...)
		switch {
		case detail == nil:
			problems = append(problems, fmt.Sprintf("no GET operation for the %s detail path %q next to its list %q", r.Name(), r.DetailPath(), r.ListPath()))
		case len(detail.PathParams) != 1:
			problems = append(problems, fmt.Sprintf("GET %s: want one path parameter (the id), found %d", r.DetailPath(), len(detail.PathParams)))
			detail = nil
		}
		schema, rules, bp := r.Bind(list, &vocab)
		b := &Bound{Resource: r, List: list, Detail: detail, Schema: schema}
		var pp []string
		b.Parser, pp = params.New(list, rules, schema)
		for _, p := range append(bp, pp...) {
			problems = append(problems, fmt.Sprintf("GET %s: %s", r.ListPath(), p))
		}
		bound = append(bound, b)
	}
	return bound, vocab, problems
}
