package client_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/spec/client"
)

// serverFromDocument reads servers[0].url from the mock's /openapi.json: the address a client
// generated from that document talks to.
func serverFromDocument(t *testing.T, base string) string {
	t.Helper()
	resp, err := http.Get(base + "/openapi.json")
	require.NoError(t, err)
	defer resp.Body.Close()
	var doc struct {
		Servers []struct{ URL string } `json:"servers"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&doc))
	require.Len(t, doc.Servers, 1)
	return doc.Servers[0].URL
}

func withKey(key string) client.ClientOption {
	return client.WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
		req.Header.Set("x-api-key", key)
		return nil
	})
}

func ptr[T any](v T) *T { return &v }

func TestGeneratedClientListsUsersFromTheMock(t *testing.T) {
	base := startMock(t)
	server := serverFromDocument(t, base)
	assert.Equal(t, base+"/v1", server, "the document points the client at the mock")
	c, err := client.NewClientWithResponses(server, withKey("demo-key"))
	require.NoError(t, err)
	ctx := context.Background()

	first, err := c.GetUserListUsersGetWithResponse(ctx, &client.GetUserListUsersGetParams{
		Product: ptr(client.Robo), RoboKycStatus: ptr(client.KycStatusApproved), PerPage: ptr(5),
	})
	require.NoError(t, err)
	require.Equal(t, 200, first.StatusCode(), "%s", first.Body)
	require.NotNil(t, first.JSON200)
	page := first.JSON200
	assert.Len(t, page.Items, 5)
	assert.Equal(t, 5, page.PerPage)
	assert.Equal(t, 5, page.LastRecordNumber)
	assert.Greater(t, page.TotalRecords, 5)
	for _, u := range page.Items {
		robo := false
		for _, a := range u.Accounts {
			if a.Product == client.Robo && a.KycStatus == client.KycStatusApproved {
				robo = true
				assert.NotNil(t, a.KycApprovedAt, "approved accounts carry kyc_approved_at")
			}
		}
		assert.True(t, robo, "%s holds an approved robo account", u.UserAccountId)
	}

	next, err := c.GetUserListUsersGetWithResponse(ctx, &client.GetUserListUsersGetParams{
		Product: ptr(client.Robo), RoboKycStatus: ptr(client.KycStatusApproved), PerPage: ptr(5),
		LastRecordNumber: ptr(page.LastRecordNumber),
	})
	require.NoError(t, err)
	require.NotNil(t, next.JSON200)
	require.NotEmpty(t, next.JSON200.Items)
	assert.NotEqual(t, page.Items[0].UserAccountId, next.JSON200.Items[0].UserAccountId, "the cursor pages on")

	detail, err := c.GetUserDetailUsersUserAccountIdGetWithResponse(ctx, "member-001")
	require.NoError(t, err)
	require.NotNil(t, detail.JSON200)
	assert.Equal(t, "98745.85", detail.JSON200.TotalCurrentMarketValue)
	assert.Len(t, detail.JSON200.Accounts, 4)

	bad, err := c.GetUserListUsersGetWithResponse(ctx, &client.GetUserListUsersGetParams{PerPage: ptr(101)})
	require.NoError(t, err)
	require.NotNil(t, bad.JSON422, "the 422 decodes into the generated HTTPValidationError")
	require.Len(t, *bad.JSON422.Detail, 1)
	assert.Equal(t, "less_than_equal", (*bad.JSON422.Detail)[0].Type)
}

// TestGeneratedClientListsOrders uses the generated client on the orders endpoints, as a
// partner's integration would: a user's orders, then one of them by id.
func TestGeneratedClientListsOrders(t *testing.T) {
	ctx := context.Background()
	c, err := client.NewClientWithResponses(startMock(t)+"/v1", withKey("demo-key"))
	require.NoError(t, err)
	list, err := c.GetOrderListOrdersGetWithResponse(ctx, &client.GetOrderListOrdersGetParams{
		UserAccountId: ptr("member-001"), Status: ptr(client.OrderStatusCompleted), PerPage: ptr(10),
	})
	require.NoError(t, err)
	require.NotNil(t, list.JSON200, "%s", list.Body)
	require.NotEmpty(t, list.JSON200.Items)
	for _, o := range list.JSON200.Items {
		assert.Equal(t, "member-001", o.UserAccountId)
		assert.Equal(t, client.OrderStatusCompleted, o.Status)
		assert.NotNil(t, o.CompletedAt, "completed orders carry completed_at")
	}
	detail, err := c.GetOrderDetailOrdersOrderIdGetWithResponse(ctx, list.JSON200.Items[0].OrderId)
	require.NoError(t, err)
	require.NotNil(t, detail.JSON200)
	assert.Equal(t, list.JSON200.Items[0], *detail.JSON200, "the detail is the list item")
}
