//go:build !soakleak

package main

import "net/http"

// plantLeak returns h: the leak that `make soak` plants to check its own memory gate exists only
// in binaries built with -tags soakleak (leak_on.go).
func plantLeak(h http.Handler) http.Handler { return h }
