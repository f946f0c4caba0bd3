# Kiln: set-up, build, demo, tests and benchmarks. `make help` lists the targets.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

LLVM_PREFIX := /usr/lib/llvm-19
LLVM_SYS_191_PREFIX ?= $(LLVM_PREFIX)
export LLVM_SYS_191_PREFIX

KILN := target/release/kiln
PYTHON := python3
PY_ENV := PYTHONPATH=runtime/python
DEMO := tests/programs/fib27.py
BENCH_ARGS ?=
# Random differential programs (tests/fuzz/run_diff.py): `make test` checks a fixed set,
# `make fuzz` many more from FUZZ_SEED on, then fuzzes `kiln check` for FUZZ_TIME seconds.
TEST_FUZZ_COUNT ?= 100
FUZZ_SEED ?= 100000
FUZZ_COUNT ?= 3000
FUZZ_TIME ?= 600
FUZZ_JOBS ?= $(shell nproc)

# Debian packages: what building Kiln needs (and lua5.4, the oracle of the Lua VM's
# tests), and the reference implementations that only `make bench` needs.
SETUP_PACKAGES := llvm-19-dev libpolly-19-dev libzstd-dev zlib1g-dev lua5.4
BENCH_PACKAGES := pypy3 lua5.4 luajit hyperfine

# Use sudo only when not already root.
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

# apt_install: install those of the Debian packages $(1) that are missing, running
# `apt-get update` only when there is something to install.
define apt_install
missing=""; \
for pkg in $(1); do \
    if ! dpkg-query -W -f='$${Status}' "$$pkg" 2>/dev/null | grep -q '^install ok installed$$'; then \
        missing="$$missing $$pkg"; \
    fi; \
done; \
if [ -n "$$missing" ]; then \
    echo "installing:$$missing"; \
    $(SUDO) apt-get update; \
    $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing; \
else \
    echo "installed already: $(1)"; \
fi
endef

.PHONY: help setup setup-bench build demo test test-full fuzz bench clean

help:
	@echo "make setup        install the Debian packages the build and tests need (LLVM 19, lua5.4), if missing"
	@echo "make setup-bench  also install the benchmark references (pypy3, lua5.4, luajit, hyperfine)"
	@echo "make build        cargo build --release: target/release/kiln, libkiln_runtime.a and libkiln_jit.a (the runtime with the JIT)"
	@echo "make demo         build, translate $(DEMO) and run it next to CPython"
	@echo "make test         cargo tests (the differential corpus under every GC), the kiln package's unit tests, bf, lisp and Lua VM tests (CPython, llinterp, translated; Lua against lua5.4), PySOM's bytecode VM (SOM's test suite and small benchmarks, against CPython; with and without --jit), $(TEST_FUZZ_COUNT) random differential programs"
	@echo "make test-full    make test, then the big matrices: the corpus again at --opt 2 and --opt 0, the --jit programs (corpus, bf, Lisp) under every GC and under KILN_GC_DEBUG=1, PySOM's AST VM and every benchmark of the test on both with --jit, and 1000 more random programs"
	@echo "make fuzz         $(FUZZ_COUNT) random programs against CPython (FUZZ_SEED=$(FUZZ_SEED)), then libFuzzer on kiln check for $(FUZZ_TIME) s (tests/fuzz/README.md)"
	@echo "make bench        the bf, lisp, GC, Lua VM and PySOM benchmark suites side by side; writes bench/results.md (options: BENCH_ARGS='--suites lua --reps 5')"
	@echo "make clean        remove build/ (demo and benchmark binaries)"

setup:
	@$(call apt_install,$(SETUP_PACKAGES))
	@test -x $(LLVM_PREFIX)/bin/llvm-config || \
	    { echo "setup: $(LLVM_PREFIX)/bin/llvm-config is still missing" >&2; exit 1; }

setup-bench: setup
	@$(call apt_install,$(BENCH_PACKAGES))

build: setup
	cargo build --release

demo: build
	@mkdir -p build
	@echo "== translate: $(KILN) translate $(DEMO) -o build/demo"
	$(KILN) translate $(DEMO) -o build/demo
	@echo "== run the translated binary: build/demo"
	time ./build/demo
	@echo "== run the same source under CPython: python3 $(DEMO)"
	time $(PY_ENV) $(PYTHON) $(DEMO)

test: setup
	cargo build --release -p kiln-cli -p kiln-runtime
	cargo build --release -p kiln-jit-archive
	cargo test --release --workspace
	$(PYTHON) -m unittest discover -s runtime/python/tests
	@mkdir -p build
	interpreters/bf/test_bf.sh
	$(KILN) translate -q interpreters/bf/bf.py -o build/bf --opt 2
	interpreters/bf/test_bf.sh build/bf
	$(KILN) translate -q --jit interpreters/bf/bf.py -o build/bf-jit --opt 2
	for mode in off "" threshold=1; do KILN_JIT=$$mode interpreters/bf/test_bf.sh build/bf-jit; done
	runtime/jit-archive/check_layout.sh $(KILN)
	KILN=$(KILN) interpreters/lisp/test_lisp.sh
	$(KILN) translate -q --jit interpreters/lisp/lisp.py -o build/lisp-jit
	for mode in off "" threshold=1; do KILN_JIT=$$mode interpreters/lisp/test_lisp.sh build/lisp-jit; done
	KILN=$(KILN) interpreters/lua/test_lua.sh
	$(KILN) translate -q --jit interpreters/lua/lua.py -o build/lua-jit
	for mode in off "" threshold=1; do KILN_JIT=$$mode interpreters/lua/test_lua.sh build/lua-jit; done
	KILN=$(KILN) tests/som/test_som.sh BC
	KILN=$(KILN) KILN_FLAGS=--jit SOM_JIT_MODES="off;default;threshold=1" SOM_BENCHMARKS="Fibonacci Sieve Towers" tests/som/test_som.sh BC
	$(PYTHON) tests/fuzz/run_diff.py --kiln $(KILN) --count $(TEST_FUZZ_COUNT) --seed 1 --jobs $(FUZZ_JOBS) --out build/fuzz-findings

# The matrices that do not fit CI's time: every corpus program at the other optimisation
# levels (`make test` translates at --opt 1), and ten times the random programs.
test-full: test
	KILN_TEST_OPT=2 cargo test --release -p kiln-tests --test differential
	KILN_TEST_OPT=0 KILN_TEST_GCS=incminimark cargo test --release -p kiln-tests --test differential
	KILN_TEST_JIT_GCS=incminimark,semispace,marksweep,none cargo test --release -p kiln-tests --test differential_jit
	KILN_TEST_JIT_ENV=KILN_GC_DEBUG=1 cargo test --release -p kiln-tests --test differential_jit every_jit_program
	for gc in semispace marksweep none; do \
	    $(KILN) translate -q --jit --gc=$$gc interpreters/bf/bf.py -o build/bf-jit-$$gc --opt 2; \
	    for mode in off "" threshold=1; do KILN_JIT=$$mode interpreters/bf/test_bf.sh build/bf-jit-$$gc; done; \
	    $(KILN) translate -q --jit --gc=$$gc interpreters/lisp/lisp.py -o build/lisp-jit-$$gc; \
	    for mode in off "" threshold=1; do KILN_JIT=$$mode interpreters/lisp/test_lisp.sh build/lisp-jit-$$gc; done; \
	done
	for mode in off "" threshold=1; do KILN_GC_DEBUG=1 KILN_JIT=$$mode interpreters/bf/test_bf.sh build/bf-jit; done
	# Lisp's other examples (deep, bench_fib, queens, ...) take many minutes each under
	# KILN_GC_DEBUG=1, JIT or not: the examples below allocate enough to exercise it.
	for mode in off "" threshold=1; do KILN_GC_DEBUG=1 KILN_JIT=$$mode ONLY="fact fib lists forms strings closures" interpreters/lisp/test_lisp.sh build/lisp-jit; done
	KILN=$(KILN) tests/som/test_som.sh AST
	KILN=$(KILN) KILN_FLAGS=--jit SOM_JIT_MODES="off;default;threshold=1" tests/som/test_som.sh AST
	KILN=$(KILN) KILN_FLAGS=--jit SOM_JIT_MODES="off;default;threshold=1" tests/som/test_som.sh BC
	$(PYTHON) tests/fuzz/run_diff.py --kiln $(KILN) --count 1000 --seed 1000 --jobs $(FUZZ_JOBS) --out build/fuzz-findings

fuzz: setup
	cargo build --release -p kiln-cli -p kiln-runtime
	$(PYTHON) tests/fuzz/run_diff.py --kiln $(KILN) --count $(FUZZ_COUNT) --seed $(FUZZ_SEED) --jobs $(FUZZ_JOBS) --out build/fuzz-findings
	tests/fuzz/fuzz_check.sh $(FUZZ_TIME)

bench: setup-bench build
	$(PYTHON) bench/run.py $(BENCH_ARGS)

clean:
	rm -rf build
