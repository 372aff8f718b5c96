package render

import (
	"fmt"
	"math/big"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cryptofi/partner-mock/mock/internal/domain"
)

// testUsers builds users of varied shapes: no accounts, approved ones, escapes in ids.
func testUsers(n int) []domain.User {
	statuses := []domain.KycStatus{"approved", "pending", "rejected", "not_started"}
	users := make([]domain.User, n)
	for i := range users {
		u := &users[i]
		u.ID = fmt.Sprintf("user-%d\"\\\n-é", i)
		for k := range i % 4 {
			u.Accounts = append(u.Accounts, domain.Account{
				Product: domain.Product(fmt.Sprint("p", k)), Status: statuses[(i+k)%4],
				Value: domain.Money(i*37 + k), ApprovedAt: int64(1_700_000_000 + i),
			})
		}
		u.Total = u.SumAccounts()
	}
	return users
}

func TestUsersRenderLikeAppendUser(t *testing.T) {
	for _, n := range []int{1, usersPerChunk - 1, usersPerChunk, usersPerChunk + 1, 3*usersPerChunk + 17} {
		t.Run(fmt.Sprint("users=", n), func(t *testing.T) {
			users := testUsers(n)
			reversed := make([]int32, n)
			for i := range reversed {
				reversed[i] = int32(n - 1 - i)
			}
			for _, layout := range [][]int32{nil, reversed} {
				r := NewUsers(users, layout)
				for i := range users {
					require.Equal(t, string(AppendUser(nil, &users[i])), string(r.Bytes(int32(i))), "user %d", i)
				}
			}
		})
	}
}

func TestUsersAppendListLikeAppendList(t *testing.T) {
	users := testUsers(5000)
	r := NewUsers(users, nil)
	env := ListEnvelope{Total: 5000, LastRecordNumber: big.NewInt(4099), PerPage: 25}
	for _, positions := range [][]int32{nil, {0}, {4095, 4096, 17, 4999}} {
		ptrs := make([]*domain.User, len(positions))
		for i, p := range positions {
			ptrs[i] = &users[p]
		}
		want := AppendList(nil, ptrs, env, AppendUser)
		assert.Equal(t, string(want), string(r.AppendList(nil, positions, env)), "positions %v", positions)
	}
}

func TestUsersBytesCannotGrowIntoTheNextUser(t *testing.T) {
	users := testUsers(3)
	r := NewUsers(users, nil)
	b := append(r.Bytes(0), 'x')
	assert.Equal(t, string(AppendUser(nil, &users[1])), string(r.Bytes(1)), "appending to one user's bytes copies")
	assert.Equal(t, byte('x'), b[len(b)-1])
}

func BenchmarkAppendUser(b *testing.B) {
	users := testUsers(25)
	buf := make([]byte, 0, 1<<14)
	b.ReportAllocs()
	for b.Loop() {
		buf = buf[:0]
		for i := range users {
			buf = AppendUser(buf, &users[i])
		}
	}
}

func BenchmarkUsersAppendList(b *testing.B) {
	users := testUsers(25)
	r := NewUsers(users, nil)
	positions := make([]int32, len(users))
	for i := range positions {
		positions[i] = int32(i)
	}
	env := ListEnvelope{Total: 25, LastRecordNumber: big.NewInt(25), PerPage: 25}
	buf := make([]byte, 0, 1<<14)
	b.ReportAllocs()
	for b.Loop() {
		buf = r.AppendList(buf[:0], positions, env)
	}
}
