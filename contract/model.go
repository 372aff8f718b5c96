package contract

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"regexp"
	"strings"
)

// listPage is the user list's envelope. Items stay raw so checks can compare them byte for
// byte and decode them as users.
type listPage struct {
	Items            []json.RawMessage `json:"items"`
	TotalRecords     int64             `json:"total_records"`
	LastRecordNumber int64             `json:"last_record_number"`
	PerPage          int64             `json:"per_page"`
}

// account and user are the user object. Money stays raw JSON: a number where a string belongs
// is one of the bugs the money checks name.
type account struct {
	CurrentMarketValue json.RawMessage  `json:"current_market_value"`
	KycApprovedAt      *json.RawMessage `json:"kyc_approved_at"`
	KycStatus          string           `json:"kyc_status"`
	Product            string           `json:"product"`
}

type user struct {
	Accounts                []account       `json:"accounts"`
	TotalCurrentMarketValue json.RawMessage `json:"total_current_market_value"`
	UserAccountID           string          `json:"user_account_id"`
}

func decodeList(body []byte) (*listPage, error) {
	var p listPage
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("list body is not the envelope: %v", err)
	}
	if p.Items == nil {
		return nil, fmt.Errorf("list body has no items array")
	}
	return &p, nil
}

func decodeUser(raw []byte) (*user, error) {
	var u user
	if err := json.Unmarshal(raw, &u); err != nil {
		return nil, fmt.Errorf("user object: %v", err)
	}
	return &u, nil
}

func (u *user) account(product string) (account, bool) {
	for _, a := range u.Accounts {
		if a.Product == product {
			return a, true
		}
	}
	return account{}, false
}

// ids returns the user_account_id of each item, in order.
func (p *listPage) ids() ([]string, error) {
	out := make([]string, 0, len(p.Items))
	for _, raw := range p.Items {
		var u struct {
			ID *string `json:"user_account_id"`
		}
		if err := json.Unmarshal(raw, &u); err != nil || u.ID == nil {
			return nil, fmt.Errorf("item without a string user_account_id: %s", clip(string(raw), 200))
		}
		out = append(out, *u.ID)
	}
	return out, nil
}

// detailString reads FastAPI's HTTPException body {"detail": "<string>"}.
func detailString(body []byte) (string, error) {
	var d map[string]json.RawMessage
	if err := json.Unmarshal(body, &d); err != nil {
		return "", fmt.Errorf("not a JSON object: %s", clip(string(body), 120))
	}
	raw, ok := d["detail"]
	if !ok || len(d) != 1 {
		return "", fmt.Errorf(`want exactly {"detail": "..."}, got %s`, clip(string(body), 120))
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", fmt.Errorf(`"detail" is not a string: %s`, clip(string(body), 120))
	}
	return s, nil
}

var moneyRE = regexp.MustCompile(`^-?[0-9]+\.[0-9]{2}$`)

// parseMoney reads a money value: a JSON string holding a decimal with exactly two places. It
// returns the value in cents, exactly.
func parseMoney(raw json.RawMessage) (*big.Int, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, fmt.Errorf("money %s is not a string (a JSON number loses cents to float rounding)", string(raw))
	}
	if !moneyRE.MatchString(s) {
		return nil, fmt.Errorf("money %q does not have exactly two decimal places", s)
	}
	cents, ok := new(big.Int).SetString(strings.Replace(s, ".", "", 1), 10)
	if !ok {
		return nil, fmt.Errorf("money %q is not a number", s)
	}
	return cents, nil
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
