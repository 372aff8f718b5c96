# partner-mock: `make run` serves the mock on its defaults; `make test` runs every test; `make help`
# lists every target. Nothing here installs software: scripts/install-tools.sh does (for CI,
# .ci/run calls it), and a target that needs a missing tool says which command installs it.
GO ?= go

.PHONY: help run build test vet fmt-check tidy-check docs-check actionlint lint-spec docker e2e \
	e2e-docs contract soak bench

# The Docker image's name (make docker, make e2e, the compose files and deploy/kubernetes use it)
# and the version the binary prints.
IMAGE ?= partner-mock:dev
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
# actionlint lints .github/workflows; pinned, fetched through the Go module proxy by `go run`.
ACTIONLINT ?= github.com/rhysd/actionlint/cmd/actionlint@v1.7.12
# Spectral, pinned in spec/lint/package-lock.json, installed by npm ci into spec/lint/node_modules.
SPECTRAL := spec/lint/node_modules/.bin/spectral
# Where make e2e-docs keeps its screenshot, PDF print and DOM of /docs.
E2E_DOCS_ARTIFACTS ?= $(CURDIR)/dist/e2e-docs
# Flags for `make run`, e.g. make run ARGS="--tls-self-signed".
ARGS ?=

# help: lists the targets with the comment above each (this one included).
help:
	@awk '/^# [a-z0-9-]+: / && NR > 1 { p = 1; sub(/^# /, ""); print; next } \
		p && /^# / { sub(/^# /, "    "); print; next } { p = 0 }' $(MAKEFILE_LIST)

# run: builds bin/partner-mock and serves the mock on its defaults (flags in ARGS). The first
# build compiles every dependency and takes a minute or two; later ones take seconds.
run:
	@if [ -x bin/partner-mock ]; then echo "make run: rebuilding bin/partner-mock (seconds, unless the sources or dependencies changed)"; \
	else echo "make run: building bin/partner-mock for the first time: the dependencies compile once, which takes a minute or two"; fi
	@$(MAKE) --no-print-directory build
	@echo "make run: bin/partner-mock serve $(ARGS)"
	@exec bin/partner-mock serve $(ARGS)

# build: compiles bin/partner-mock, stamped with VERSION.
build:
	$(GO) build -ldflags "-X main.version=$(VERSION)" -o bin/partner-mock ./cmd/partner-mock

# test: vet, gofmt, go mod tidy, the docs' links, actionlint and Spectral, then every Go test with
# the race detector.
test: vet fmt-check tidy-check docs-check actionlint lint-spec
	$(GO) test -race ./...

# vet: go vet, with the build tags of the soak and perf harnesses too.
vet:
	$(GO) vet ./...
	$(GO) vet -tags soak ./cmd/partner-mock/
	$(GO) vet -tags perf ./mock/internal/engine/ ./mock/internal/httpapi/

# fmt-check: fails when a committed Go file is not gofmt'ed.
fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

# tidy-check: fails when go mod tidy would change go.mod or go.sum.
tidy-check:
	@$(GO) mod tidy -diff || { echo "go.mod/go.sum are not tidy: run go mod tidy"; exit 1; }

# docs-check: fails when a relative link in README.md or docs/ does not resolve inside the
# repository (so the docs work in a fresh clone).
docs-check:
	@bash scripts/check-links.sh

# actionlint: lints .github/workflows with the pinned actionlint.
actionlint:
	$(GO) run $(ACTIONLINT) -no-color -shellcheck= -pyflakes= .github/workflows/*.yml

# The CLI needs no install scripts (one dependency's is a telemetry ping), so none are run.
$(SPECTRAL): spec/lint/package.json spec/lint/package-lock.json
	npm ci --prefix spec/lint --ignore-scripts --no-audit --no-fund
	@touch $@

# lint-spec: lints the embedded OpenAPI document with Spectral and spec/.spectral.yaml; any
# warning or error fails.
lint-spec: $(SPECTRAL)
	$(SPECTRAL) lint --ruleset spec/.spectral.yaml --fail-severity warn spec/openapi.json

# docker: builds the image IMAGE from a static binary (no cgo), without paths or debug info, and
# without Gin's msgpack support (unused).
docker:
	CGO_ENABLED=0 $(GO) build -tags nomsgpack -trimpath -ldflags "-s -w -X main.version=$(VERSION)" -o dist/docker/partner-mock ./cmd/partner-mock
	docker build -f docker/Dockerfile --build-arg VERSION=$(VERSION) -t $(IMAGE) dist/docker

# e2e: the image end to end (docker/e2e.sh: size, start to healthy, contract, stop, HTTPS, and the
# compose commands of docs/docker-kubernetes.md with every compose installed), then /docs in
# headless Chromium. Needs a Docker engine (bash docker/engine.sh starts one).
e2e: docker e2e-docs
	IMAGE=$(IMAGE) HOST_BIN=dist/docker/partner-mock bash docker/e2e.sh

# e2e-docs: /docs in headless Chromium (Debian's chromium: scripts/install-tools.sh chromium):
# asserts on the rendered text and keeps a screenshot, a PDF print and the DOM in
# E2E_DOCS_ARTIFACTS.
e2e-docs:
	E2E_ARTIFACTS=$(E2E_DOCS_ARTIFACTS) $(GO) test -tags chromium -count=1 -run TestDocsPageInHeadlessChromium -v ./cmd/partner-mock/

# contract: the contract suite (docs/contract-suite.md) against PARTNER_API_BASE_URL with
# PARTNER_API_KEY (and PARTNER_API_KEY_2) when set, otherwise against the mock in-process.
contract:
	@if [ -n "$$PARTNER_API_BASE_URL" ]; then $(GO) run ./cmd/partner-mock contract; \
	else $(GO) test -count=1 -run 'TestSuite$$' -v ./contract; fi

# soak: 60 s of mixed valid, invalid and Prefer traffic from 16 loopback clients against the built
# binary serving a 100,000-user tenant; prints requests served, unexpected outcomes (must be 0)
# and resident memory second by second. The memory gate reads the second half of the load, once
# the heap has settled: it fails when memory still grows there (more than 3%, or 4 MiB). Then the
# same soak, 30 s, against a binary with a planted leak (-tags soakleak) must fail that gate.
# Stops by itself; not part of `make test`. SOAK_DURATION=10s make soak for a quick try.
soak:
	$(GO) test -tags soak -count=1 -run '^TestSoak' -v -timeout 10m ./cmd/partner-mock/

# bench: one table of every figure of docs/performance.md, each next to its target, all
# measured in this run on this machine (mock/internal/engine/perf_test.go and
# mock/internal/httpapi/perf_test.go, build tag perf): start-up to /healthz and resident memory
# for a 1,000,000-user tenant, the start-up's phases, the engine's Find over every filter
# combination, HTTP throughput and p99 next to plain net/http serving the same bytes, and the
# Kubernetes Deployment's memory request and limit against what its tenants use (perf_sizing_test.go). The
# HTTP comparison loads 127.0.0.1 only, with wrk (scripts/install-tools.sh wrk installs it);
# every run is bounded in time.
bench:
	@command -v wrk >/dev/null 2>&1 || { echo "make bench needs wrk: bash scripts/install-tools.sh wrk" >&2; exit 1; }
	@out=$$(mktemp); load="$$(cut -d' ' -f1-3 /proc/loadavg)"; \
	if $(GO) test -tags perf -count=1 -p 1 -timeout 60m -run '^TestPerf' -v ./mock/internal/engine ./mock/internal/httpapi >$$out 2>&1; then \
		echo; echo "Machine: $$(nproc) cores, $$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $$(free -g | awk '/^Mem/ {print $$2}') GB; load average $$load at start, $$(cut -d' ' -f1-3 /proc/loadavg) at end"; echo; \
		echo '| area | case | value | vs | ratio | target | met |'; \
		echo '|---|---|---|---|---|---|---|'; \
		grep '^|' $$out; rm -f $$out; \
	else cat $$out; rm -f $$out; exit 1; fi
