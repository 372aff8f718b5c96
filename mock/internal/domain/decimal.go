package domain

import (
	"fmt"
	"strconv"
	"strings"
)

// AppendDecimal appends v/10^places as a decimal with exactly places digits after the point
// (places > 0): AppendDecimal(b, 152300, 8) appends "0.00152300".
func AppendDecimal(b []byte, v int64, places uint8) []byte {
	if v < 0 {
		b = append(b, '-')
		v = -v
	}
	pow := pow10[places]
	b = strconv.AppendInt(b, v/pow, 10)
	// The fraction's digits, zero-padded, written from the last.
	var buf [18]byte
	frac := v % pow
	for i := int(places) - 1; i >= 0; i-- {
		buf[i] = byte('0' + frac%10)
		frac /= 10
	}
	b = append(b, '.')
	return append(b, buf[:places]...)
}

// ParseDecimal parses a non-negative decimal with exactly places digits after the point
// ("0.00152300" with 8 places) into units of 10^-places.
func ParseDecimal(s string, places uint8) (int64, error) {
	whole, frac, ok := strings.Cut(s, ".")
	if !ok || len(frac) != int(places) || whole == "" || !allDigits(whole) || !allDigits(frac) {
		return 0, fmt.Errorf("%q: want a decimal with exactly %d places, like %s", s, places, AppendDecimal(nil, 15, places))
	}
	if len(whole) > 1 && whole[0] == '0' {
		return 0, fmt.Errorf("%q: leading zeros are not allowed", s)
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	f, _ := strconv.ParseInt(frac, 10, 64)
	var pow int64 = 1
	for range places {
		pow *= 10
	}
	if err != nil || w > (1<<62)/pow {
		return 0, fmt.Errorf("%q: out of range", s)
	}
	return w*pow + f, nil
}
