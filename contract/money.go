package contract

import (
	"encoding/json"
	"math/big"
	"time"
)

var moneyChecks = []Check{
	{Name: "money/two-decimals", Family: "money",
		Description: "every current_market_value and total_current_market_value is a string with exactly two decimal places",
		run:         moneyTwoDecimals},
	{Name: "money/total-is-sum", Family: "money",
		Description: "total_current_market_value is the exact sum of the accounts' current_market_value, all KYC states included",
		run:         moneyTotalIsSum},
	{Name: "money/kyc-approved-at", Family: "money",
		Description: "kyc_approved_at is present (a date-time, never null) exactly when kyc_status is approved",
		run:         moneyKycApprovedAt},
}

// moneySample is how many users the money checks inspect when they cannot afford everyone.
const moneySample = 400

func moneyTwoDecimals(t *T) {
	for _, s := range t.users() {
		u, err := decodeUser(s.raw)
		if err != nil {
			t.Errorf(s.ex, "%v", err)
			continue
		}
		for _, a := range u.Accounts {
			if _, err := parseMoney(a.CurrentMarketValue); err != nil {
				t.Errorf(s.ex, "user %q %s account: current_market_value: %v", u.UserAccountID, a.Product, err)
			}
		}
		if _, err := parseMoney(u.TotalCurrentMarketValue); err != nil {
			t.Errorf(s.ex, "user %q: total_current_market_value: %v", u.UserAccountID, err)
		}
	}
}

func moneyTotalIsSum(t *T) {
	for _, s := range t.users() {
		u, err := decodeUser(s.raw)
		if err != nil {
			t.Errorf(s.ex, "%v", err)
			continue
		}
		sum := new(big.Int)
		ok := true
		for _, a := range u.Accounts {
			v, err := parseMoney(a.CurrentMarketValue)
			if err != nil {
				ok = false
				break
			}
			sum.Add(sum, v)
		}
		total, err := parseMoney(u.TotalCurrentMarketValue)
		if !ok || err != nil {
			continue // money/two-decimals names it
		}
		if total.Cmp(sum) != 0 {
			t.Errorf(s.ex, "user %q: total_current_market_value %s is not the sum of the accounts, %s", u.UserAccountID, string(u.TotalCurrentMarketValue), cents(sum))
		}
	}
}

func moneyKycApprovedAt(t *T) {
	for _, s := range t.users() {
		u, err := decodeUser(s.raw)
		if err != nil {
			t.Errorf(s.ex, "%v", err)
			continue
		}
		// Decode again keeping each field raw: null and absent must be told apart.
		var rawUser struct {
			Accounts []map[string]json.RawMessage `json:"accounts"`
		}
		if err := json.Unmarshal(s.raw, &rawUser); err != nil || len(rawUser.Accounts) != len(u.Accounts) {
			t.Errorf(s.ex, "user %q: accounts do not decode", u.UserAccountID)
			continue
		}
		for i, a := range u.Accounts {
			a.KycApprovedAt = nil
			if v, ok := rawUser.Accounts[i]["kyc_approved_at"]; ok {
				a.KycApprovedAt = &v
			}
			approved := a.KycStatus == "approved"
			switch {
			case a.KycApprovedAt == nil && approved:
				t.Errorf(s.ex, "user %q %s account is approved but has no kyc_approved_at", u.UserAccountID, a.Product)
			case a.KycApprovedAt != nil && string(*a.KycApprovedAt) == "null":
				t.Errorf(s.ex, "user %q %s account has kyc_approved_at null; it must be absent unless approved", u.UserAccountID, a.Product)
			case a.KycApprovedAt != nil && !approved:
				t.Errorf(s.ex, "user %q %s account is %s but has kyc_approved_at %s", u.UserAccountID, a.Product, a.KycStatus, string(*a.KycApprovedAt))
			case a.KycApprovedAt != nil:
				var v string
				if json.Unmarshal(*a.KycApprovedAt, &v) != nil {
					t.Errorf(s.ex, "user %q %s account: kyc_approved_at %s is not a string", u.UserAccountID, a.Product, string(*a.KycApprovedAt))
				} else if _, err := time.Parse(time.RFC3339Nano, v); err != nil {
					t.Errorf(s.ex, "user %q %s account: kyc_approved_at %q is not an RFC 3339 date-time", u.UserAccountID, a.Product, v)
				}
			}
		}
	}
}

// cents renders an amount in cents as a two-decimal string.
func cents(v *big.Int) string {
	neg := v.Sign() < 0
	s := new(big.Int).Abs(v).String()
	for len(s) < 3 {
		s = "0" + s
	}
	out := s[:len(s)-2] + "." + s[len(s)-2:]
	if neg {
		out = "-" + out
	}
	return out
}
