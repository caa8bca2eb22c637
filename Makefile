# Ward — top-level entry points. `make demo` and `make test` work on a fresh
# Debian 12: each installs what is missing, configures, builds and runs.
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= 2
FUZZ_SECONDS ?= 60

.PHONY: all deps configure build demo test test-full bench fuzz clean

all: build

deps:
	@echo "==> checking Debian packages (scripts/install-deps)"
	@scripts/install-deps

configure: deps
	@echo "==> configuring ($(BUILD_DIR), $(BUILD_TYPE))"
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) > $(BUILD_DIR).configure.log 2>&1 || { cat $(BUILD_DIR).configure.log; exit 1; }

build: configure
	@echo "==> building $(BUILD_DIR)/bin/ward"
	@cmake --build $(BUILD_DIR) -j $(JOBS)

demo: build
	@echo "==> running the token demo (scripts/demo.sh)"
	@scripts/demo.sh $(BUILD_DIR)/bin/ward

test: build
	@echo "==> running every test (ctest: unit, golden CLI, scenarios, spec testsuite)"
	@cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

bench: deps
	@echo "==> building and running the benchmarks (bench/)"
	@cmake -S . -B $(BUILD_DIR)-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DWARD_BUILD_BENCH=ON -DWARD_BUILD_TESTS=OFF
	@cmake --build $(BUILD_DIR)-bench -j $(JOBS)
	@bench/run.sh $(BUILD_DIR)-bench

fuzz: deps
	@echo "==> fuzzing: each target for $(FUZZ_SECONDS)s (fuzz/run.sh, build dir $(BUILD_DIR)-fuzz)"
	@FUZZ_SECONDS=$(FUZZ_SECONDS) JOBS=$(JOBS) fuzz/run.sh $(BUILD_DIR)-fuzz

clean:
	rm -rf $(BUILD_DIR) $(BUILD_DIR)-bench $(BUILD_DIR).configure.log
