package contract

import (
	"strings"

	"github.com/cryptofi/partner-mock/spec"
)

// userList is what the checks read from the document's user list operation: its parameters
// and the enums the filter checks walk.
type userList struct {
	*spec.Operation
	products, kycStatuses []string
}

// readUserList reads the user list operation of s; an empty one when s has none.
func readUserList(s *spec.Spec) userList {
	op, _ := s.Get("/users/")
	if op == nil {
		return userList{Operation: &spec.Operation{Path: "/users/"}}
	}
	u := userList{Operation: op}
	if p, ok := op.Param("product"); ok {
		u.products = p.Enum
	}
	for _, p := range op.Params {
		if strings.HasSuffix(p.Name, "_kyc_status") && p.Kind == spec.KindEnum {
			u.kycStatuses = p.Enum
			break
		}
	}
	return u
}
