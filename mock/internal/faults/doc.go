// Package faults decides which failures the mock injects, without any HTTP machinery: it parses
// the Prefer header's controls (RFC 7240: code, delay, fault), parses the global chaos settings
// (latency, error rate, per-key rate limit), and makes seeded, replayable chaos decisions. The
// HTTP layer (package httpapi) turns these decisions into what a client observes.
package faults
