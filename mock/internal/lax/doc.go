// Package lax parses query-string values the way pydantic v2 lax mode parses a Python str into an
// int or a datetime, so the mock accepts, rejects and reports exactly what the live FastAPI
// service (FastAPI 0.115, pydantic 2.10, pydantic-core 2.27, speedate 0.15) does.
//
// The code is a port, not a reimplementation: each function names the pydantic-core, jiter or
// speedate function it follows, and keeps that function's order of checks, because the order
// decides which error a malformed value gets. Where those sources have quirks (an int "0-1" is
// -1, a float timestamp is scaled by 1000 twice, a datetime's own error is always replaced by
// the error of a date parse) the port keeps them on purpose: a partner's client is written
// against what the live API answers, not against what would be tidy.
package lax
