package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/spec"
)

// editedSpec writes a copy of the embedded document, changed by edit, and returns its path.
func editedSpec(t *testing.T, edit func(doc map[string]any)) string {
	t.Helper()
	var doc map[string]any
	require.NoError(t, json.Unmarshal(spec.Embedded(), &doc))
	edit(doc)
	data, err := json.MarshalIndent(doc, "", "  ")
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "openapi.json")
	require.NoError(t, os.WriteFile(path, data, 0o644))
	return path
}

func schemas(doc map[string]any) map[string]any {
	return doc["components"].(map[string]any)["schemas"].(map[string]any)
}

func listOperation(doc map[string]any) map[string]any {
	return doc["paths"].(map[string]any)["/users/"].(map[string]any)["get"].(map[string]any)
}

// queryParam returns the list parameter called name.
func queryParam(t *testing.T, doc map[string]any, name string) map[string]any {
	t.Helper()
	for _, p := range listOperation(doc)["parameters"].([]any) {
		if pm := p.(map[string]any); pm["name"] == name {
			return pm
		}
	}
	t.Fatalf("no parameter %q", name)
	return nil
}

func TestServeSpecFollowsTheSuppliedDocument(t *testing.T) {
	path := editedSpec(t, func(doc map[string]any) {
		kyc := schemas(doc)["KycStatus"].(map[string]any)
		kyc["enum"] = append(kyc["enum"].([]any), "under_review")
		perPage := queryParam(t, doc, "per_page")["schema"].(map[string]any)
		perPage["maximum"] = 50
		perPage["default"] = 20
		doc["servers"] = []any{map[string]any{"url": "https://partner-api.example/api/v2"}}
		// sort_key moves ahead of per_page: 422s list errors in the document's order.
		params := listOperation(doc)["parameters"].([]any)
		var moved []any
		var sortKey any
		for _, p := range params {
			if p.(map[string]any)["name"] == "sort_key" {
				sortKey = p
				continue
			}
			moved = append(moved, p)
		}
		listOperation(doc)["parameters"] = append([]any{sortKey}, moved...)
	})
	base, _, _ := startServe(t, "--spec", path)
	users := base + "/api/v2/users/"

	t.Run("the generator fills the new KYC state and the filter finds it", func(t *testing.T) {
		status, body := fetch(t, users+"?crypto_kyc_status=under_review&per_page=50", "demo-key")
		require.Equal(t, 200, status, body)
		var page struct {
			Items []struct {
				Accounts []struct {
					Product   string `json:"product"`
					KycStatus string `json:"kyc_status"`
				} `json:"accounts"`
			} `json:"items"`
			TotalRecords int `json:"total_records"`
			PerPage      int `json:"per_page"`
		}
		require.NoError(t, json.Unmarshal([]byte(body), &page))
		require.NotEmpty(t, page.Items, "some of 1,000 users hold a crypto account under review")
		assert.Equal(t, 50, page.PerPage)
		for _, u := range page.Items {
			found := false
			for _, a := range u.Accounts {
				if a.Product == "crypto" && a.KycStatus == "under_review" {
					found = true
				}
			}
			assert.True(t, found, "every item's crypto account is under review")
		}
		assert.Contains(t, body, `"kyc_status":"under_review","product":"crypto"`)
		assert.Less(t, page.TotalRecords, 1000, "the filter filters")
	})

	t.Run("per_page=60 gets FastAPI's less_than_equal body for 50", func(t *testing.T) {
		status, body := fetch(t, users+"?per_page=60", "demo-key")
		assert.Equal(t, 422, status)
		assert.Equal(t, `{"detail":[{"type":"less_than_equal","loc":["query","per_page"],"msg":"Input should be less than or equal to 50","input":"60","ctx":{"le":50}}]}`, body)
	})

	t.Run("the new state is in the enum error and the order is the document's", func(t *testing.T) {
		status, body := fetch(t, users+"?per_page=60&robo_kyc_status=zz&sort_key=zz", "demo-key")
		assert.Equal(t, 422, status)
		iKey, iRobo, iPage := strings.Index(body, `"sort_key"]`), strings.Index(body, `"robo_kyc_status"]`), strings.Index(body, `"per_page"]`)
		require.True(t, iKey >= 0 && iRobo >= 0 && iPage >= 0, body)
		assert.True(t, iKey < iRobo && iRobo < iPage, "sort_key, then robo_kyc_status, then per_page: %s", body)
		assert.Contains(t, body, `"msg":"Input should be 'not_started', 'pending', 'approved', 'rejected' or 'under_review'"`)
	})

	t.Run("defaults and base path follow the document", func(t *testing.T) {
		status, body := fetch(t, users, "demo-key")
		require.Equal(t, 200, status)
		assert.Contains(t, body, `"per_page":20}`)
		assert.Equal(t, 20, strings.Count(body, `"user_account_id"`))
		status, _ = fetch(t, base+"/v1/users/", "demo-key")
		assert.Equal(t, 404, status, "the embedded document's base path is gone")
	})

	t.Run("/openapi.json serves the supplied document", func(t *testing.T) {
		status, body := fetch(t, base+"/openapi.json", "")
		require.Equal(t, 200, status)
		assert.Contains(t, body, `"under_review"`)
		assert.Contains(t, body, `"servers":[{"url":"`+base+`/api/v2"}]`)
	})
}

func TestServeSpecAcceptsAnOpenAPI30YAMLDocument(t *testing.T) {
	base, _, _ := startServe(t, "--spec", filepath.Join("..", "..", "spec", "testdata", "openapi-3.0.yaml"))
	status, body := fetch(t, base+"/v1/users/?per_page=101", "demo-key")
	assert.Equal(t, 422, status)
	assert.Contains(t, body, `"ctx":{"le":100}`)
	status, _ = fetch(t, base+"/v1/users/member-001/", "demo-key")
	assert.Equal(t, 200, status)
}

func TestServeSpecListsEveryProblemAndExits2(t *testing.T) {
	path := editedSpec(t, func(doc map[string]any) {
		// 1. A filter the engine does not know.
		params := listOperation(doc)["parameters"].([]any)
		listOperation(doc)["parameters"] = append(params, map[string]any{
			"name": "favourite_colour", "in": "query", "required": false, "schema": map[string]any{"type": "string"},
		})
		// 2. roth_ira leaves the product enum: its KYC filter means nothing, and the pinned
		//    member-001 holds a Roth IRA.
		schemas(doc)["Product"].(map[string]any)["enum"] = []any{"crypto", "securities", "robo"}
		// 3. A KYC enum the generator cannot draw from.
		schemas(doc)["KycStatus"].(map[string]any)["enum"] = []any{"not_started", "pending", "approved", "rejected", "pending"}
		// 4. No detail path.
		delete(doc["paths"].(map[string]any), "/users/{user_account_id}/")
	})
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--spec", path}, &stdout, &stderr, nil)
	assert.Equal(t, 2, code)
	msg := stderr.String()
	assert.Equal(t, 1, strings.Count(msg, "cannot serve"), "one message: %s", msg)
	assert.Equal(t, 1, strings.Count(msg, "partner-mock serve:"), "one message: %s", msg)
	for _, want := range []string{
		path,
		`query parameter "favourite_colour": the mock does not know how to apply this filter`,
		`query parameter "roth_ira_kyc_status": "roth_ira" is not one of the columns it could filter (crypto, securities, robo)`,
		`enum holds "pending" twice`,
		`no GET operation for the users detail path "/users/{user_account_id}/"`,
	} {
		assert.Contains(t, msg, want)
	}
	assert.Regexp(t, `(?m)^  - pinned/demo-credit-union.yaml:\d+: users\[0\]\.accounts\[3\]\.product: "roth_ira"`, msg, "the pinned member-001's Roth IRA conflicts with the new enum")
	assert.Empty(t, stdout.String(), "nothing is served")
}

func TestServeSpecFileErrors(t *testing.T) {
	tests := []struct {
		name string
		file func(t *testing.T) string
		want string
	}{
		{"missing file", func(t *testing.T) string { return filepath.Join(t.TempDir(), "nope.json") }, "--spec: open "},
		{"not a document", func(t *testing.T) string {
			p := filepath.Join(t.TempDir(), "x.json")
			require.NoError(t, os.WriteFile(p, []byte(`{"openapi": `), 0o644))
			return p
		}, "not a readable OpenAPI document"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--spec", tt.file(t)}, &stdout, &stderr, nil)
			assert.Equal(t, 2, code)
			assert.Contains(t, stderr.String(), tt.want)
		})
	}
}

func TestServeSpecFromEnv(t *testing.T) {
	t.Setenv("PARTNER_MOCK_SPEC", filepath.Join(t.TempDir(), "absent.json"))
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0"}, &stdout, &stderr, nil)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr.String(), "absent.json")
}

func TestServeSpecWhoseOnlyProblemIsAPinnedUser(t *testing.T) {
	// roth_ira leaves the product enum along with its KYC filter: the document alone is
	// servable, but the built-in member-001 holds a Roth IRA.
	path := editedSpec(t, func(doc map[string]any) {
		schemas(doc)["Product"].(map[string]any)["enum"] = []any{"crypto", "securities", "robo"}
		var kept []any
		for _, p := range listOperation(doc)["parameters"].([]any) {
			if p.(map[string]any)["name"] != "roth_ira_kyc_status" {
				kept = append(kept, p)
			}
		}
		listOperation(doc)["parameters"] = kept
	})
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--spec", path}, &stdout, &stderr, nil)
	assert.Equal(t, 2, code)
	assert.Regexp(t, `accounts\[3\]\.product: "roth_ira"`, stderr.String())
	assert.Equal(t, 1, strings.Count(stderr.String(), "partner-mock serve:"), "one message")
}
