//go:build race

package app_test

// largeUsers is the population of TestPropertiesAtScale under the race detector, which slows
// generation and dumps about tenfold: a million users and their orders would take minutes.
const largeUsers = 100_000

// largeQueries is the number of user and of order queries TestPropertiesAtScale samples.
const largeQueries = 8
