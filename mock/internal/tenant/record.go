package tenant

import (
	"fmt"
	"slices"
	"strings"

	"github.com/cryptofi/partner-mock/mock/internal/domain"
	"github.com/cryptofi/partner-mock/mock/internal/problem"
)

// ParseUser decodes and checks one user in the pinned-users format, given as a JSON object (an
// admin API body), with every rule a pinned-users file entry obeys. id is the user_account_id
// the request names: the body's must be the same, or absent. Problems name the body's fields
// by path ("accounts[1].kyc_approved_at"), without lines; the error is a *problem.List. Check
// the body is JSON first (CheckJSON): that is a different error.
func (rules PinnedRules) ParseUser(data []byte, id string) (domain.User, error) {
	var pu pinnedUser
	lines, problems := decodeJSON(data, &pu)
	problems = append(problems, samePathID(&pu.ID, id, "user_account_id")...)
	problems = afterDecode(problems, rules.checkUser(pu, "", lines, nil))
	if len(problems) > 0 {
		return domain.User{}, bodyError(problems)
	}
	return pu.toDomain(slices.Contains(rules.Vocab.KycStatuses, domain.StatusPending)), nil
}

// ParseOrder decodes and checks one order in the pinned-orders format, given as a JSON object,
// with every rule of a pinned-orders file entry but the series' (domain.RegularSeries), which need the
// other orders. id is the order_id the request names: the body's must be the same, or absent.
// user finds the order's user by user_account_id: its identity (PinnedOrder.User) and its
// current record, or -1 when the FI has none. Problems are as ParseUser's.
func (rules PinnedRules) ParseOrder(data []byte, id string, user func(id string) (int, *domain.User)) (PinnedOrder, error) {
	var po pinnedOrder
	lines, problems := decodeJSON(data, &po)
	problems = append(problems, samePathID(&po.ID, id, "order_id")...)
	users := orderOwners{find: user, who: "user", what: "user of this FI", hint: "put the user first (PUT /__admin/fis/{fi}/users/{user_account_id})"}
	o, checked := rules.checkOrder(po, "", lines, nil, users)
	problems = afterDecode(problems, checked)
	if len(problems) > 0 {
		return PinnedOrder{}, bodyError(problems)
	}
	return o, nil
}

// samePathID fills *body with path when the body leaves its id out, and reports a body id that
// differs from the path's.
func samePathID(body *string, path, field string) []problem.Problem {
	switch {
	case *body == "":
		*body = path
	case path != "" && *body != path:
		return []problem.Problem{{Path: field, Msg: fmt.Sprintf("%q differs from the %s in the request's path, %q; make them the same, or leave %s out of the body", *body, field, path, field)}}
	}
	return nil
}

// afterDecode returns the decoding problems followed by the checks' problems, leaving out those
// of fields that could not be decoded (a required field that was mistyped is not also
// missing).
func afterDecode(decoded, checked []problem.Problem) []problem.Problem {
	out := decoded
	for _, c := range checked {
		skip := false
		for _, d := range decoded {
			if d.Path == "" || c.Path == d.Path || strings.HasPrefix(c.Path, d.Path+".") || strings.HasPrefix(c.Path, d.Path+"[") {
				skip = true
				break
			}
		}
		if !skip {
			out = append(out, c)
		}
	}
	return out
}

// bodyError returns the problems of a request body, capped as a file's are.
func bodyError(problems []problem.Problem) *problem.List {
	for i := range problems {
		problems[i].Line = 0 // a body is one object; its fields' paths say where
	}
	if len(problems) > maxPinnedProblems {
		more := len(problems) - maxPinnedProblems
		problems = append(problems[:maxPinnedProblems], problem.Problem{Msg: fmt.Sprintf("... and %d more problems", more)})
	}
	return &problem.List{Items: problems}
}
