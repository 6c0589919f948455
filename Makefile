# village: `make run` builds and starts the daemon on feeds.yaml,
# `make test` installs what the tests need and runs them under the race detector.

GO      ?= go
BIN     := bin/village
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X github.com/villagefeeds/village/internal/cli.Version=$(VERSION)
CONFIG  ?= feeds.yaml

.PHONY: build run test test-deps lint bench fuzz clean

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/village

run: build
	./$(BIN) serve --config $(CONFIG)

# xmllint validates the published Atom against RFC 4287's RELAX NG grammar;
# chromium runs the browser test of the web page. Installed only when missing.
test-deps:
	@command -v xmllint >/dev/null 2>&1 && command -v chromium >/dev/null 2>&1 || sh scripts/install-test-deps.sh

test: test-deps
	$(GO) vet ./...
	$(GO) test -race -count=1 -timeout 8m ./...

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

# Benchmarks print figures; nothing here fails because a machine is slow.
# BENCH_FLAGS picks the sizes, e.g. BENCH_FLAGS='-sizes 1000x30 -archives 10000'
# for a quick run (see go run ./cmd/village-bench -h).
BENCH_FLAGS ?=
bench:
	$(GO) run ./cmd/village-bench $(BENCH_FLAGS)
	$(GO) test -run '^$$' -bench . -benchmem ./internal/...

# A short run of every fuzz target.
fuzz:
	$(GO) test -run '^$$' -fuzz FuzzCanonicalURL -fuzztime 30s ./internal/dedup
	$(GO) test -run '^$$' -fuzz FuzzTextHash -fuzztime 30s ./internal/dedup
	$(GO) test -run '^$$' -fuzz FuzzAnalyze -fuzztime 30s ./internal/dedup
	$(GO) test -run '^$$' -fuzz FuzzDecide -fuzztime 30s ./internal/dedup
	$(GO) test -run '^$$' -fuzz FuzzParse -fuzztime 30s ./internal/parse
	$(GO) test -run '^$$' -fuzz FuzzCharDataLen -fuzztime 30s ./internal/parse
	$(GO) test -run '^$$' -fuzz FuzzParse -fuzztime 30s ./internal/config
	$(GO) test -run '^$$' -fuzz FuzzText -fuzztime 30s ./internal/redact

clean:
	rm -rf bin
