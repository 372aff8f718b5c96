package app

import (
	"encoding/csv"
	"fmt"
	"io"
	"time"

	"github.com/cryptofi/partner-mock/mock/internal/domain"
	"github.com/cryptofi/partner-mock/mock/internal/engine"
	"github.com/cryptofi/partner-mock/mock/internal/render"
)

// createdAtLayout renders created_at: whole seconds as the API renders kyc_approved_at, with up
// to six fraction digits when a pinned user has them (the mock keeps microseconds).
const createdAtLayout = "2006-01-02T15:04:05.999999Z07:00"

// csvHeader is the CSV dump's header: one row per account, the user's columns repeated.
var csvHeader = []string{
	"user_account_id", "created_at", "total_current_market_value",
	"product", "kyc_status", "kyc_approved_at", "current_market_value",
}

// DumpFormats are the formats Dump writes.
var DumpFormats = []string{"json", "ndjson", "csv"}

// DumpCSVHeader is the CSV dump's header: one row per account, the user's columns repeated.
var DumpCSVHeader = csvHeader

// Dump writes the whole population of the tenant called name, sorted by created_at then
// user_account_id, to w in format (see writeDump).
func (a *App) Dump(w io.Writer, name, format string) error {
	t, ok := a.tenantNamed(name)
	if !ok {
		return fmt.Errorf("no tenant called %q", name)
	}
	return writeDump(w, format, t.Index.Users(engine.SortCreatedAt))
}

// writeDump writes users in format:
//
//   - json: {"users":[...]} with one user per line. Each user is the API's user object, byte for
//     byte, with "created_at" added as its last key, so the file is also a valid pinned-users
//     file.
//   - ndjson: the same objects, one per line.
//   - csv: a header and one row per account, in the API's account order.
func writeDump(w io.Writer, format string, users []*domain.User) error {
	switch format {
	case "json", "ndjson":
		return writeJSONDump(w, format == "json", users)
	case "csv":
		return writeCSVDump(w, users)
	}
	return fmt.Errorf("unknown format %q", format)
}

func writeJSONDump(w io.Writer, wrap bool, users []*domain.User) error {
	buf := make([]byte, 0, 1024)
	if wrap {
		buf = append(buf, `{"users":[`...)
		if len(users) > 0 {
			buf = append(buf, '\n')
		}
	}
	for i, u := range users {
		buf = appendDumpUser(buf, u)
		if wrap && i < len(users)-1 {
			buf = append(buf, ',')
		}
		buf = append(buf, '\n')
		if len(buf) > 512<<10 {
			if _, err := w.Write(buf); err != nil {
				return err
			}
			buf = buf[:0]
		}
	}
	if wrap {
		buf = append(buf, "]}\n"...)
	}
	_, err := w.Write(buf)
	return err
}

// appendDumpUser appends the API's user object with created_at as its last key.
func appendDumpUser(b []byte, u *domain.User) []byte {
	b = render.AppendUser(b, u)
	b = b[:len(b)-1] // the closing brace
	b = append(b, `,"created_at":"`...)
	b = u.CreatedTime().AppendFormat(b, createdAtLayout)
	return append(b, `"}`...)
}

func writeCSVDump(w io.Writer, users []*domain.User) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	row := make([]string, len(csvHeader))
	for _, u := range users {
		row[0] = u.ID
		row[1] = u.CreatedTime().Format(createdAtLayout)
		row[2] = u.Total.String()
		for _, a := range u.Accounts {
			row[3] = string(a.Product)
			row[4] = string(a.Status)
			row[5] = ""
			if a.Status == domain.StatusApproved {
				row[5] = time.Unix(a.ApprovedAt, 0).UTC().Format(time.RFC3339)
			}
			row[6] = a.Value.String()
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}
