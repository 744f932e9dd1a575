# basalt — developer entry points. `make run` and `make test` work on a fresh Debian machine.
SHELL := /bin/bash
JOBS ?= $(shell nproc)
BUILD_TEST := build/asan
BUILD_REL := build/release
DATA_DIR ?= $(CURDIR)/.basalt-data

.PHONY: deps build-test build-release run test bench bench-micro bench-storage bench-joins bench-cluster compat fuzz-deps fuzz-build fuzz fuzz-sql fuzz-native tsan clean

deps:
	bash scripts/install-deps.sh

$(BUILD_TEST)/build.ninja:
	cmake -S . -B $(BUILD_TEST) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DBASALT_SANITIZE="address;undefined" \
	  -DCMAKE_CXX_FLAGS="-O1 -g1"

$(BUILD_REL)/build.ninja:
	cmake -S . -B $(BUILD_REL) -G Ninja -DCMAKE_BUILD_TYPE=Release -DBASALT_NATIVE=ON

build-test: deps $(BUILD_TEST)/build.ninja
	cmake --build $(BUILD_TEST) -j $(JOBS)

build-release: deps $(BUILD_REL)/build.ninja
	cmake --build $(BUILD_REL) -j $(JOBS) --target basalt

# Builds and starts `basalt server` on the embedded data directory: HTTP on localhost:8123 (try
# http://localhost:8123/play), native TCP on localhost:9000 (`build/release/basalt client`).
run: build-release
	$(BUILD_REL)/basalt server --path $(DATA_DIR)

test: build-test
	cd $(BUILD_TEST) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -j $(JOBS)

# The benchmark harness (bench/bench.sh): basalt vs ClickHouse and DuckDB on 10M seeded `events`,
# 10M synthetic ClickBench `hits` rows and the joins suite (EVENTS_ROWS / HITS_ROWS / JOINS_ROWS for
# other sizes, SUITES=events,hits,joins to choose); writes the report into bench/RESULTS.md and the
# chart bench/ratios.png. `make bench-micro`: numbers() kernels.
bench: build-release
	bash scripts/install-deps.sh gnuplot-nox
	bash bench/bench.sh $(BUILD_REL)/basalt

bench-micro: build-release
	bash bench/run.sh $(BUILD_REL)/basalt

# MergeTree storage benchmark on the seeded `events` table (10M rows; BENCH_ROWS=1000000 for less).
BENCH_ROWS ?= 10000000
bench-storage: build-release
	bash bench/storage.sh $(BUILD_REL)/basalt $(BENCH_ROWS)

# Joins benchmark: a 10M-row star schema (3 dimension tables) and a 10M-event ASOF JOIN against 1M
# feature updates, in basalt, ClickHouse and DuckDB (JOINS_ROWS=100000 for a small run). Prints the
# report; RESULTS.md is not touched.
JOINS_ROWS ?= 10000000
bench-joins: build-release
	bash bench/joins.sh $(BUILD_REL)/basalt $(JOINS_ROWS)

# Cluster benchmark: the seed dashboard queries through a Distributed table over 1 vs 2 shards (same
# rows, loopback servers on this machine) and the insert-queue delivery lag to a second replica.
CLUSTER_ROWS ?= 10000000
bench-cluster: build-release
	bash bench/cluster.sh $(BUILD_REL)/basalt $(CLUSTER_ROWS)

# Runs every golden .sql in basalt and in ClickHouse (chDB) and prints statements whose results differ.
compat: build-release
	bash ../shared/tools/anchors.sh >/dev/null
	node tests/compat.js $(BUILD_REL)/basalt tests/queries

# libFuzzer targets, built with clang + ASan/UBSan in build/fuzz. FUZZ_SECONDS (default 600) bounds
# a run; FUZZ_ARGS adds libFuzzer flags (e.g. FUZZ_ARGS=-jobs=2). Crash inputs land in build/fuzz/.
FUZZ_SECONDS ?= 600
FUZZ_ARGS ?=
BUILD_FUZZ := build/fuzz

fuzz-deps:
	bash scripts/install-fuzz-deps.sh

$(BUILD_FUZZ)/build.ninja:
	CC=clang CXX=clang++ cmake -S . -B $(BUILD_FUZZ) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBASALT_FUZZ=ON \
	  -DBASALT_SANITIZE="address;undefined"

fuzz-build: fuzz-deps $(BUILD_FUZZ)/build.ninja
	cmake --build $(BUILD_FUZZ) -j $(JOBS) --target fuzz_parser fuzz_sql fuzz_native

# Parser fuzzer; seed corpus = the golden test scripts.
fuzz: fuzz-build
	mkdir -p $(BUILD_FUZZ)/corpus_parser
	cp tests/queries/*.sql $(BUILD_FUZZ)/corpus_parser/
	cd $(BUILD_FUZZ) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ./fuzz_parser -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -timeout=10 -dict=$(CURDIR)/tests/fuzz/sql.dict $(FUZZ_ARGS) corpus_parser

# End-to-end fuzzer (parse + analyze + execute + format); seed corpus = one golden statement per file.
fuzz-sql: fuzz-build
	mkdir -p $(BUILD_FUZZ)/corpus_sql
	python3 scripts/split-fuzz-corpus.py tests/queries $(BUILD_FUZZ)/corpus_sql
	cd $(BUILD_FUZZ) && ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ./fuzz_sql -max_total_time=$(FUZZ_SECONDS) -max_len=2048 -timeout=20 -rss_limit_mb=4096 -dict=$(CURDIR)/tests/fuzz/sql.dict $(FUZZ_ARGS) corpus_sql

# Native-protocol packet reader (what a TCP client sends); seed corpus = valid conversations.
fuzz-native: fuzz-build
	mkdir -p $(BUILD_FUZZ)/corpus_native
	cd $(BUILD_FUZZ) && FUZZ_NATIVE_SEED_DIR=corpus_native ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ./fuzz_native -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 -rss_limit_mb=4096 $(FUZZ_ARGS) corpus_native

# ThreadSanitizer over the concurrency-heavy tests (streams, servers, background pipelines).
BUILD_TSAN := build/tsan
TSAN_TESTS ?= Streaming|Pipeline|Limits|Access|MergeTree.*Concurrent|integration_server_native|integration_server_http
$(BUILD_TSAN)/build.ninja:
	cmake -S . -B $(BUILD_TSAN) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DBASALT_SANITIZE=thread -DCMAKE_CXX_FLAGS="-O1 -g1"

tsan: deps $(BUILD_TSAN)/build.ninja
	cmake --build $(BUILD_TSAN) -j $(JOBS)
	cd $(BUILD_TSAN) && TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" ctest --output-on-failure -R '$(TSAN_TESTS)'

clean:
	rm -rf build
