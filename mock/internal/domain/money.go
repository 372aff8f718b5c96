package domain

import (
	"fmt"
	"strconv"
	"strings"
)

// Money is an amount in integer cents. The API renders it as a decimal string with exactly two
// places; keeping cents avoids the rounding drift floats would bring to totals.
type Money int64

// String renders m as the API does: "1234.50", "-0.07".
func (m Money) String() string {
	return string(m.Append(nil))
}

// Append appends the two-decimal rendering of m to b.
func (m Money) Append(b []byte) []byte {
	return AppendDecimal(b, int64(m), 2)
}

// ParseMoney parses a decimal string with exactly two places ("34891.00") into cents.
func ParseMoney(s string) (Money, error) {
	neg := strings.HasPrefix(s, "-")
	body := strings.TrimPrefix(s, "-")
	whole, frac, ok := strings.Cut(body, ".")
	if !ok || len(frac) != 2 || whole == "" || !allDigits(whole) || !allDigits(frac) {
		return 0, fmt.Errorf("money %q: want a decimal with exactly two places, like 1234.50", s)
	}
	if len(whole) > 1 && whole[0] == '0' {
		return 0, fmt.Errorf("money %q: leading zeros are not allowed", s)
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w > (1<<62)/100 {
		return 0, fmt.Errorf("money %q: out of range", s)
	}
	f, _ := strconv.ParseInt(frac, 10, 64)
	v := w*100 + f
	if neg {
		v = -v
	}
	return Money(v), nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
