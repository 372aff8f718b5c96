package users

import (
	"github.com/cryptofi/partner-mock/mock/internal/domain"
	"github.com/cryptofi/partner-mock/mock/internal/render"
)

// createdAtLayout renders created_at in dumps: whole seconds as the API renders date-times,
// with up to six fraction digits when a pinned user has them (the mock keeps microseconds).
const createdAtLayout = "2006-01-02T15:04:05.999999Z07:00"

// AppendDumpItem appends the user object with created_at as its last key, which makes a JSON
// dump a valid pinned-users file.
func (users) AppendDumpItem(b []byte, w *domain.World, p int32, at int64) []byte {
	u := w.User(p)
	b = AppendUser(b, u, at)
	b = b[:len(b)-1] // the closing brace
	b = append(b, `,"created_at":"`...)
	b = u.CreatedTime().AppendFormat(b, createdAtLayout)
	return append(b, `"}`...)
}

// csvHeader is the CSV dump's header: one row per account, the user's columns repeated.
var csvHeader = []string{
	"user_account_id", "created_at", "total_current_market_value",
	"product", "kyc_status", "kyc_approved_at", "current_market_value",
}

func (users) CSVHeader() []string { return csvHeader }

func (users) CSVRows(w *domain.World, p int32, at int64, emit func([]string) error) error {
	u := w.User(p)
	row := make([]string, len(csvHeader))
	row[0] = u.ID
	row[1] = u.CreatedTime().Format(createdAtLayout)
	row[2] = u.Total.String()
	for i := range u.Accounts {
		a := &u.Accounts[i]
		status := a.StatusAt(at)
		row[3], row[4], row[5] = string(a.Product), string(status), ""
		if status == domain.StatusApproved {
			row[5] = string(render.AppendSeconds(nil, a.ApprovedAt))
		}
		row[6] = a.Value.String()
		if err := emit(row); err != nil {
			return err
		}
	}
	return nil
}
