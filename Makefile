# partner-mock: `make run` serves the mock on its defaults; `make test` runs every test.
GO ?= go

.PHONY: run test vet build fmt-check tidy-check

run:
	$(GO) run ./cmd/partner-mock serve

build:
	$(GO) build -o bin/partner-mock ./cmd/partner-mock

test: vet fmt-check
	$(GO) test -race ./...

vet:
	$(GO) vet ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
