//go:build !race

package app_test

// largeUsers is the population of TestPropertiesAtScale: a million users, the scale the
// engine's fast paths are built for, with their three million orders.
const largeUsers = 1_000_000

// largeQueries is the number of user and of order queries TestPropertiesAtScale samples.
const largeQueries = 12
