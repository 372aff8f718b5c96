package spec

import (
	"fmt"
	"slices"
	"strings"
)

// readEnums sets Products and KycStatuses from the list parameters and reports the enums the
// generator could not fill accounts from: missing, empty, holding an empty or repeated value, or
// KYC filters that disagree on the states (the generator draws every account's state from one
// list).
func (s *Spec) readEnums() []string {
	var problems []string
	if len(s.ListParams) == 0 {
		// Either there is no list operation (already reported) or it has no query parameters;
		// in both cases the enums below cannot be found and saying so adds nothing useful.
		return nil
	}
	if p, ok := s.Param("product"); !ok || p.Kind != KindEnum {
		problems = append(problems, `query parameter "product": missing or not a string enum; the generator draws each account's product from it`)
	} else {
		s.Products = p.Enum
		problems = append(problems, enumProblems(`query parameter "product"`, p.Enum)...)
	}
	var first *Param
	for i := range s.ListParams {
		p := &s.ListParams[i]
		if !strings.HasSuffix(p.Name, "_kyc_status") || p.Kind != KindEnum {
			continue
		}
		if first == nil {
			first = p
			s.KycStatuses = p.Enum
			problems = append(problems, enumProblems(fmt.Sprintf("query parameter %q", p.Name), p.Enum)...)
			continue
		}
		if !slices.Equal(p.Enum, first.Enum) {
			problems = append(problems, fmt.Sprintf("query parameter %q: its KYC states %v differ from %q's %v; every KYC filter must use the same states",
				p.Name, p.Enum, first.Name, first.Enum))
		}
	}
	if first == nil {
		problems = append(problems, `no "<product>_kyc_status" query parameter with a string enum; the generator draws each account's KYC state from it`)
	}
	return problems
}

// enumProblems reports the values of an enum the generator cannot use.
func enumProblems(what string, values []string) []string {
	var problems []string
	seen := map[string]bool{}
	for _, v := range values {
		switch {
		case v == "":
			problems = append(problems, what+": enum holds an empty value")
		case seen[v]:
			problems = append(problems, fmt.Sprintf("%s: enum holds %q twice", what, v))
		}
		seen[v] = true
	}
	return problems
}
