# The project's front door. `make demo` and `make test` install what they need (Debian packages via
# scripts/install-deps.sh), build, and run. Everything else is a helper for developers.
SHELL := /bin/bash
JOBS ?= 2
FUZZ_SECONDS ?= 60

.PHONY: all deps build demo test test-dev test-asan test-fuzz bench clean format

all: build

deps:
	bash scripts/install-deps.sh

build: deps
	cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS)

demo: build
	bash scripts/demo.sh build/release/vesselwatch

test: deps test-fuzz test-asan test-dev

test-dev:
	cmake --preset dev >/dev/null
	cmake --build --preset dev -j $(JOBS)
	ctest --preset dev -j $(JOBS)

test-asan:
	cmake --preset asan >/dev/null
	cmake --build --preset asan -j $(JOBS) --target vw_unit_tests vesselwatch
	ctest --preset asan -j $(JOBS)

test-fuzz:
	cmake --preset fuzz >/dev/null
	cmake --build --preset fuzz -j $(JOBS)
	bash scripts/run-fuzzers.sh build/fuzz $(FUZZ_SECONDS)

bench: build
	bash bench/run.sh build/release

format:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp')

clean:
	rm -rf build
