package domain

import "encoding/hex"

// UUID is a 128-bit identifier, rendered as the lowercase 8-4-4-4-12 hex form.
type UUID [16]byte

// uuidLen is the length of a UUID's text form.
const uuidLen = 36

// String returns the lowercase text form of u.
func (u UUID) String() string { return string(u.Append(nil)) }

// Append appends the lowercase text form of u to b.
func (u UUID) Append(b []byte) []byte {
	var buf [uuidLen]byte
	hex.Encode(buf[0:8], u[0:4])
	buf[8] = '-'
	hex.Encode(buf[9:13], u[4:6])
	buf[13] = '-'
	hex.Encode(buf[14:18], u[6:8])
	buf[18] = '-'
	hex.Encode(buf[19:23], u[8:10])
	buf[23] = '-'
	hex.Encode(buf[24:36], u[10:16])
	return append(b, buf[:]...)
}

// ParseUUID reads the lowercase text form of a UUID. Anything else, upper case included, is
// not a UUID the API ever gives out, so it does not parse.
func ParseUUID(s string) (UUID, bool) {
	var u UUID
	if len(s) != uuidLen || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return u, false
	}
	j := 0
	for i := 0; i < uuidLen; {
		if s[i] == '-' {
			i++
			continue
		}
		hi, ok1 := lowerHex(s[i])
		lo, ok2 := lowerHex(s[i+1])
		if !ok1 || !ok2 {
			return UUID{}, false
		}
		u[j] = hi<<4 | lo
		j++
		i += 2
	}
	return u, true
}

func lowerHex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	}
	return 0, false
}
