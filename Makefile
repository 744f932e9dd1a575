# basalt — developer entry points. `make run` and `make test` work on a fresh Debian machine.
SHELL := /bin/bash
JOBS ?= $(shell nproc)
BUILD_TEST := build/asan
BUILD_REL := build/release
DATA_DIR ?= $(CURDIR)/.basalt-data

.PHONY: deps build-test build-release run test bench compat fuzz clean

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

# Builds and starts basalt on an embedded data directory (interactive SQL prompt on stdin).
run: build-release
	$(BUILD_REL)/basalt local --path $(DATA_DIR) --interactive

test: build-test
	cd $(BUILD_TEST) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -j $(JOBS)

bench: build-release
	bash bench/run.sh $(BUILD_REL)/basalt

# Runs every golden .sql in basalt and in ClickHouse (chDB) and prints statements whose results differ.
compat: build-release
	bash ../shared/tools/anchors.sh >/dev/null
	node tests/compat.js $(BUILD_REL)/basalt tests/queries

fuzz:
	bash scripts/install-deps.sh
	apt-get install -y -qq clang libclang-rt-14-dev >/dev/null 2>&1 || sudo apt-get install -y -qq clang libclang-rt-14-dev
	CC=clang CXX=clang++ cmake -S . -B build/fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBASALT_FUZZ=ON \
	  -DBASALT_SANITIZE="address;undefined"
	cmake --build build/fuzz -j $(JOBS) --target fuzz_parser
	mkdir -p build/fuzz/corpus && cp tests/queries/*.sql build/fuzz/corpus/ 2>/dev/null || true
	build/fuzz/fuzz_parser -max_total_time=$${FUZZ_SECONDS:-600} -max_len=4096 build/fuzz/corpus

clean:
	rm -rf build
