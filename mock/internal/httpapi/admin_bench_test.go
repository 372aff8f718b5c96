package httpapi_test

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cryptofi/partner-mock/mock/app"
)

// BenchmarkAdminPutUser measures PUT /__admin/fis/{fi}/users/{id} on the demo tenant through the
// whole handler: auth, body, checks, the change, the answer.
func BenchmarkAdminPutUser(b *testing.B) {
	a, err := app.New(app.Config{AdminToken: adminToken})
	if err != nil {
		b.Fatal(err)
	}
	i := 0
	for b.Loop() {
		i++
		req := httptest.NewRequest("PUT", fmt.Sprintf("/__admin/fis/demo-credit-union/users/bench-%d", i%100), strings.NewReader(newUser))
		req.Header.Set("Authorization", "Bearer "+adminToken)
		rec := httptest.NewRecorder()
		a.Handler.ServeHTTP(rec, req)
		if rec.Code != 201 && rec.Code != 200 {
			b.Fatal(rec.Code, rec.Body.String())
		}
	}
}
