package tenant

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/cryptofi/partner-mock/mock/internal/domain"
	"github.com/cryptofi/partner-mock/mock/internal/problem"
)

// pinnedFile is the format of a pinned-users file. YAML is a superset of JSON, so one decoder
// reads both; a JSON dump (partner-mock dump --format json) is itself a valid pinned-users file.
type pinnedFile struct {
	Users []pinnedUser `yaml:"users"`
}

type pinnedUser struct {
	ID        string          `yaml:"user_account_id"`
	CreatedAt time.Time       `yaml:"created_at"`
	Accounts  []pinnedAccount `yaml:"accounts"`
	// Total may be omitted; then it is computed.
	Total string `yaml:"total_current_market_value"`
}

type pinnedAccount struct {
	Product    string     `yaml:"product"`
	Status     string     `yaml:"kyc_status"`
	ApprovedAt *time.Time `yaml:"kyc_approved_at"`
	Value      string     `yaml:"current_market_value"`
}

// PinnedRules are what pinned records are checked against: the document's enums and the
// tenant's as_of, by which a pinned record's written state holds. A zero AsOf checks no instant
// against it.
type PinnedRules struct {
	Vocab domain.Vocab
	AsOf  time.Time
}

// maxPinnedProblems caps the problems reported for one pinned-users file, so a file in the
// wrong format does not flood the terminal.
const maxPinnedProblems = 20

// Parse decodes and checks a pinned-users file. Every problem names the line, the user and the
// field; the error is a *problem.List for source.
func (rules PinnedRules) Parse(source string, data []byte) ([]domain.User, error) {
	var f pinnedFile
	lines, problems := decodeFile(data, &f)
	if len(problems) == 0 {
		problems = checkPinned(f, lines, rules)
	}
	if len(problems) > 0 {
		sortProblems(problems)
		if len(problems) > maxPinnedProblems {
			more := len(problems) - maxPinnedProblems
			problems = append(problems[:maxPinnedProblems], problem.Problem{Msg: fmt.Sprintf("... and %d more problems", more)})
		}
		return nil, fileError(source, problems)
	}
	users := make([]domain.User, len(f.Users))
	pending := slices.Contains(rules.Vocab.KycStatuses, domain.StatusPending)
	for i, pu := range f.Users {
		users[i] = pu.toDomain(pending)
	}
	return users, nil
}

// checkPinned returns every problem of f's users.
func checkPinned(f pinnedFile, lines map[string]int, rules PinnedRules) []problem.Problem {
	var problems []problem.Problem
	ids := map[string]string{}
	for i, pu := range f.Users {
		problems = append(problems, rules.checkUser(pu, fmt.Sprintf("users[%d]", i), lines, ids)...)
	}
	return problems
}

// checkUser returns every problem of pu, the user at path (empty for a user alone). ids maps
// the ids of the users checked before to their paths, and gets pu's; nil checks no uniqueness.
func (rules PinnedRules) checkUser(pu pinnedUser, cur string, lines map[string]int, ids map[string]string) []problem.Problem {
	var problems []problem.Problem
	bad := func(field, format string, args ...any) {
		path := join(cur, field)
		problems = append(problems, problem.Problem{Line: lineOf(lines, path), Path: path, Msg: fmt.Sprintf(format, args...)})
	}
	asOf := rules.AsOf.UTC().Format(time.RFC3339)
	if msg := checkID(pu.ID); msg != "" {
		bad("user_account_id", "%s", msg)
	} else if first, dup := ids[pu.ID]; dup {
		bad("user_account_id", "%q is also the id of %s; ids must be unique", pu.ID, first)
	} else if ids != nil {
		ids[pu.ID] = cur
	}
	switch {
	case pu.CreatedAt.IsZero():
		bad("created_at", "required: when the user signed up, e.g. created_at: 2025-08-12T15:40:00Z")
	case pu.CreatedAt.Nanosecond()%1000 != 0:
		bad("created_at", "at most microsecond precision, got %s", pu.CreatedAt.Format(time.RFC3339Nano))
	case !rules.AsOf.IsZero() && !pu.CreatedAt.Before(rules.AsOf):
		bad("created_at", "%s is not before the tenant's as_of %s; move it earlier or raise as_of",
			pu.CreatedAt.UTC().Format(time.RFC3339Nano), asOf)
	}
	if len(pu.Accounts) == 0 {
		bad("accounts", "at least one account is required (the API has 1 to 4 per user)")
	}
	if len(pu.Accounts) > len(rules.Vocab.Products) {
		bad("accounts", "%d accounts, but there are only %d products; a user has at most one per product", len(pu.Accounts), len(rules.Vocab.Products))
	}
	var sum domain.Money
	sumOK := true
	products := map[string]int{}
	for j, pa := range pu.Accounts {
		at := fmt.Sprintf("accounts[%d]", j)
		switch {
		case !slices.Contains(rules.Vocab.Products, domain.Product(pa.Product)):
			bad(at+".product", "%q is not a product; want one of %s", pa.Product, joinValues(rules.Vocab.Products))
		default:
			if first, dup := products[pa.Product]; dup {
				bad(at+".product", "%s also appears in accounts[%d]; a user has at most one account per product", pa.Product, first)
			}
			products[pa.Product] = j
		}
		if !slices.Contains(rules.Vocab.KycStatuses, domain.KycStatus(pa.Status)) {
			bad(at+".kyc_status", "%q is not a KYC status; want one of %s", pa.Status, joinValues(rules.Vocab.KycStatuses))
		}
		if v, err := domain.ParseMoney(pa.Value); err != nil {
			bad(at+".current_market_value", "%v", err)
			sumOK = false
		} else if v < 0 {
			bad(at+".current_market_value", "%s is negative; a market value is 0.00 or more", v)
			sumOK = false
		} else {
			sum += v
		}
		approved := pa.Status == string(domain.StatusApproved)
		switch {
		case approved && pa.ApprovedAt == nil:
			bad(at+".kyc_approved_at", "required when kyc_status is approved, e.g. kyc_approved_at: 2025-08-14T17:02:31Z")
		case !approved && pa.ApprovedAt != nil:
			bad(at+".kyc_approved_at", "only approved accounts have one (kyc_status is %s); remove it", pa.Status)
		case approved:
			ts := pa.ApprovedAt.UTC().Format(time.RFC3339Nano)
			switch {
			case pa.ApprovedAt.Nanosecond() != 0:
				bad(at+".kyc_approved_at", "whole seconds only (the API renders YYYY-MM-DDTHH:MM:SSZ), got %s", ts)
			case !pu.CreatedAt.IsZero() && pa.ApprovedAt.Before(pu.CreatedAt):
				bad(at+".kyc_approved_at", "%s is before created_at %s; approval comes after sign-up",
					ts, pu.CreatedAt.UTC().Format(time.RFC3339Nano))
			case !rules.AsOf.IsZero() && pa.ApprovedAt.After(rules.AsOf):
				bad(at+".kyc_approved_at", "%s is after the tenant's as_of %s; move it earlier or raise as_of", ts, asOf)
			}
		}
	}
	if pu.Total != "" && sumOK {
		if t, err := domain.ParseMoney(pu.Total); err != nil {
			bad("total_current_market_value", "%v", err)
		} else if t != sum {
			bad("total_current_market_value", "%s is not the sum of the accounts' values (%s); fix it or leave it out to have it computed", t, sum)
		}
	}
	return problems
}

// checkID returns what is wrong with a pinned user's id, or "".
func checkID(id string) string {
	switch {
	case id == "":
		return "required, e.g. user_account_id: member-001"
	case strings.TrimSpace(id) != id:
		return fmt.Sprintf("%q starts or ends with a space; remove it", id)
	case strings.Contains(id, "/"):
		// Starlette's {user_account_id} never matches a slash, so the detail path could not
		// reach this user.
		return fmt.Sprintf("%q contains /, which GET /users/{user_account_id}/ cannot address", id)
	case strings.IndexFunc(id, unicode.IsControl) >= 0:
		return fmt.Sprintf("%q contains a control character", id)
	}
	return ""
}

// toDomain converts a checked pinned user. An approved account is pending until its
// kyc_approved_at when the document has a pending state, so a time before it shows the check
// still running; every other state holds from the user's creation.
func (pu pinnedUser) toDomain(pending bool) domain.User {
	u := domain.User{ID: pu.ID, CreatedAt: pu.CreatedAt.UnixMicro(), Accounts: make([]domain.Account, len(pu.Accounts))}
	for j, pa := range pu.Accounts {
		v, _ := domain.ParseMoney(pa.Value) // checked by checkPinned
		a := domain.Account{Product: domain.Product(pa.Product), Status: domain.KycStatus(pa.Status), Value: v, DecidedAt: domain.Always}
		if pa.ApprovedAt != nil {
			a.ApprovedAt = pa.ApprovedAt.Unix()
			if pending {
				a.DecidedAt = pa.ApprovedAt.UnixMicro()
			}
		}
		u.Accounts[j] = a
	}
	u.Total = u.SumAccounts()
	return u
}

// joinValues lists enum values for messages: "a, b, c".
func joinValues[T ~string](values []T) string {
	s := make([]string, len(values))
	for i, v := range values {
		s[i] = string(v)
	}
	return strings.Join(s, ", ")
}
