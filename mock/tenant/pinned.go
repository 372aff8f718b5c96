package tenant

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/cryptofi/partner-mock/mock/domain"
)

// pinnedFile is the format of a pinned-users file. YAML is a superset of JSON, so one decoder
// reads both.
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

// ParsePinned decodes and checks a pinned-users file against the document's enums.
func ParsePinned(source string, data []byte, products, statuses []string) ([]domain.User, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var f pinnedFile
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("pinned users %s: %w", source, err)
	}
	users := make([]domain.User, 0, len(f.Users))
	ids := map[string]bool{}
	for i, pu := range f.Users {
		u, err := pu.toDomain(products, statuses)
		if err != nil {
			return nil, fmt.Errorf("pinned users %s: users[%d] (%q): %w", source, i, pu.ID, err)
		}
		if ids[u.ID] {
			return nil, fmt.Errorf("pinned users %s: users[%d]: duplicate user_account_id %q", source, i, u.ID)
		}
		ids[u.ID] = true
		users = append(users, u)
	}
	return users, nil
}

func (pu pinnedUser) toDomain(products, statuses []string) (domain.User, error) {
	if pu.ID == "" {
		return domain.User{}, errors.New("user_account_id: required")
	}
	if pu.CreatedAt.IsZero() {
		return domain.User{}, errors.New("created_at: required (RFC 3339, e.g. 2025-08-12T15:40:00Z)")
	}
	if len(pu.Accounts) == 0 {
		return domain.User{}, errors.New("accounts: at least one account is required")
	}
	u := domain.User{ID: pu.ID, CreatedAt: pu.CreatedAt.UnixMicro()}
	seen := map[string]bool{}
	for j, pa := range pu.Accounts {
		if !contains(products, pa.Product) {
			return u, fmt.Errorf("accounts[%d].product: %q is not one of %v", j, pa.Product, products)
		}
		if seen[pa.Product] {
			return u, fmt.Errorf("accounts[%d].product: %q appears twice; a user has at most one account per product", j, pa.Product)
		}
		seen[pa.Product] = true
		if !contains(statuses, pa.Status) {
			return u, fmt.Errorf("accounts[%d].kyc_status: %q is not one of %v", j, pa.Status, statuses)
		}
		v, err := domain.ParseMoney(pa.Value)
		if err != nil {
			return u, fmt.Errorf("accounts[%d].current_market_value: %w", j, err)
		}
		a := domain.Account{Product: domain.Product(pa.Product), Status: domain.KycStatus(pa.Status), Value: v}
		approved := a.Status == domain.StatusApproved
		switch {
		case approved && pa.ApprovedAt == nil:
			return u, fmt.Errorf("accounts[%d].kyc_approved_at: required when kyc_status is approved", j)
		case !approved && pa.ApprovedAt != nil:
			return u, fmt.Errorf("accounts[%d].kyc_approved_at: only approved accounts have one (kyc_status is %s)", j, pa.Status)
		case approved:
			if pa.ApprovedAt.Nanosecond() != 0 {
				return u, fmt.Errorf("accounts[%d].kyc_approved_at: whole seconds only (the API renders YYYY-MM-DDTHH:MM:SSZ)", j)
			}
			if pa.ApprovedAt.Before(pu.CreatedAt) {
				return u, fmt.Errorf("accounts[%d].kyc_approved_at: %s is before created_at %s", j, pa.ApprovedAt.UTC().Format(time.RFC3339), pu.CreatedAt.UTC().Format(time.RFC3339))
			}
			a.ApprovedAt = pa.ApprovedAt.Unix()
		}
		u.Accounts = append(u.Accounts, a)
	}
	u.Total = u.SumAccounts()
	if pu.Total != "" {
		t, err := domain.ParseMoney(pu.Total)
		if err != nil {
			return u, fmt.Errorf("total_current_market_value: %w", err)
		}
		if t != u.Total {
			return u, fmt.Errorf("total_current_market_value: %s is not the sum of the accounts' values (%s); fix it or leave it out", t, u.Total)
		}
	}
	return u, nil
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
