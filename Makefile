# partner-mock: `make run` serves the mock on its defaults; `make test` runs every test.
GO ?= go

.PHONY: run test vet build fmt-check tidy-check

# Docker image (make docker) and its end-to-end check (make e2e); see docker/ and README "Docker".
IMAGE ?= partner-mock:dev
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
# actionlint lints .github/workflows; pinned, fetched through the Go module proxy by `go run`.
ACTIONLINT ?= github.com/rhysd/actionlint/cmd/actionlint@v1.7.12

run:
	$(GO) run ./cmd/partner-mock serve

build:
	$(GO) build -o bin/partner-mock ./cmd/partner-mock

test: vet fmt-check actionlint lint-spec
	$(GO) test -race ./...

vet:
	$(GO) vet ./...
	$(GO) vet -tags soak ./cmd/partner-mock/
	$(GO) vet -tags perf ./mock/internal/engine/ ./mock/internal/httpapi/

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

.PHONY: actionlint docker e2e
actionlint:
	$(GO) run $(ACTIONLINT) -no-color -shellcheck= -pyflakes= .github/workflows/*.yml

# The image's binary: static (no cgo), no paths or debug info, msgpack support (unused) left out.
docker:
	CGO_ENABLED=0 $(GO) build -tags nomsgpack -trimpath -ldflags "-s -w -X main.version=$(VERSION)" -o dist/docker/partner-mock ./cmd/partner-mock
	docker build -f docker/Dockerfile --build-arg VERSION=$(VERSION) -t $(IMAGE) dist/docker

e2e: docker e2e-docs
	IMAGE=$(IMAGE) HOST_BIN=dist/docker/partner-mock bash docker/e2e.sh

# The embedded OpenAPI document, linted with Spectral (pinned in spec/lint/package-lock.json,
# installed by npm ci into spec/lint/node_modules, which is not committed) and the committed
# ruleset spec/.spectral.yaml; any warning or error fails. Install scripts are not run: the CLI
# needs none (one dependency's is a telemetry ping).
.PHONY: lint-spec e2e-docs
SPECTRAL := spec/lint/node_modules/.bin/spectral
$(SPECTRAL): spec/lint/package.json spec/lint/package-lock.json
	npm ci --prefix spec/lint --ignore-scripts --no-audit --no-fund
	@touch $@

lint-spec: $(SPECTRAL)
	$(SPECTRAL) lint --ruleset spec/.spectral.yaml --fail-severity warn spec/openapi.json

# /docs in headless Chromium (Debian's chromium; .ci/run installs it): asserts on the rendered
# text and keeps a screenshot, a PDF print and the DOM in $(E2E_DOCS_ARTIFACTS).
E2E_DOCS_ARTIFACTS ?= $(CURDIR)/dist/e2e-docs
e2e-docs:
	E2E_ARTIFACTS=$(E2E_DOCS_ARTIFACTS) $(GO) test -tags chromium -count=1 -run TestDocsPageInHeadlessChromium -v ./cmd/partner-mock/

# The contract suite (README "Contract suite (CI)"): against PARTNER_API_BASE_URL with
# PARTNER_API_KEY (and PARTNER_API_KEY_2) when set, otherwise against the mock in-process.
.PHONY: contract
contract:
	@if [ -n "$$PARTNER_API_BASE_URL" ]; then $(GO) run ./cmd/partner-mock contract; \
	else $(GO) test -count=1 -run 'TestSuite$$' -v ./contract; fi

# 60 s of mixed valid, invalid and Prefer traffic from 16 loopback clients against the built
# binary serving a 100,000-user tenant; prints requests served, unexpected outcomes (must be 0)
# and resident memory after a 5 s warm-up and at the end (growth must stay under 10%). Stops by
# itself; not part of `make test`. SOAK_DURATION=10s make soak for a quick try.
.PHONY: soak
soak:
	$(GO) test -tags soak -count=1 -run '^TestSoak$$' -v -timeout 10m ./cmd/partner-mock/

# make bench: the Go benchmarks, then the perf harness (mock/internal/engine/perf_test.go,
# mock/internal/httpapi/perf_test.go, build tag perf) printing one table of every figure of README
# "Performance" with its target. The HTTP comparison loads 127.0.0.1 only, with wrk (installed
# from Debian's packages when missing), and every run is bounded in time and count.
.PHONY: bench
bench:
	@command -v wrk >/dev/null 2>&1 || { apt-get update && apt-get install -y wrk; }
	$(GO) test -run '^$$' -bench '^(BenchmarkGenerate1M|BenchmarkNew|BenchmarkAppendUser|BenchmarkUsersAppendList)$$' -benchtime 5x -p 1 ./mock/internal/gen ./mock/internal/engine ./mock/internal/render
	@out=$$(mktemp); \
	if $(GO) test -tags perf -count=1 -p 1 -timeout 30m -run '^TestPerf' -v ./mock/internal/engine ./mock/internal/httpapi >$$out 2>&1; then \
		echo; echo "Machine: $$(nproc) cores, $$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $$(free -g | awk '/^Mem/ {print $$2}') GB; load average $$(cut -d' ' -f1-3 /proc/loadavg)"; echo; \
		echo '| area | case | value | vs | ratio | target | met |'; \
		echo '|---|---|---|---|---|---|---|'; \
		grep '^|' $$out; rm -f $$out; \
	else cat $$out; rm -f $$out; exit 1; fi
