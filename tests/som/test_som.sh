#!/usr/bin/env bash
# Tests PySOM (../shared/benchmarks/som/PySOM, the SOM Smalltalk VM of the
# Are-We-Fast-Yet study, an RPython interpreter written by others) translated by Kiln
# from its unmodified source, against the same source run by CPython with Kiln's
# `rpython` support package (runtime/python):
#   - SOM's test suite (core-lib/TestSuite/TestHarness.som): exit status 0, every test
#     successful, and stdout equal to CPython's;
#   - a few Are-We-Fast-Yet benchmarks at their smallest size through
#     BenchmarkHarness.som, which raises an error when a benchmark's own verification
#     fails: exit status 0 and the same stdout as CPython, once the lines that report
#     times are left out (tests/som/filter_times.sh).
#
# Usage: tests/som/test_som.sh VARIANT [BINARY]
#   VARIANT: BC or AST (SOM_INTERP at translation and under CPython).
#   BINARY:  an already translated VM to test instead of translating one.
# Environment:
#   KILN=path/to/kiln     translate the VM when no BINARY is given (default
#                         target/release/kiln); KILN_FLAGS adds flags (e.g. --jit).
#   SOM_BENCHMARKS="..."  the benchmarks to run (default below).
#   SOM_JIT_MODES="off;default;threshold=1"
#                         run every case under each of these KILN_JIT values
#                         (`default`: KILN_JIT empty), for a VM translated with --jit.
#   SKIP_CPYTHON=1        compare with nothing: only the exit statuses and the test
#                         count are checked.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
shared=$(cd "$root/.." && pwd)/shared/benchmarks/som
pysom=$shared/PySOM
core=$shared/core-lib

variant=${1:-}
if [ "$variant" != BC ] && [ "$variant" != AST ]; then
    echo "usage: tests/som/test_som.sh BC|AST [BINARY]" >&2
    exit 2
fi
if [ ! -f "$pysom/src/main_rpython.py" ] || [ ! -d "$core/Smalltalk" ]; then
    echo "test_som.sh: PySOM or SOM's core library is not in $shared" >&2
    exit 1
fi
BENCHMARKS=${SOM_BENCHMARKS:-"Fibonacci Queens Sieve Towers Bounce List Storage Dispatch TreeSort"}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

src=$pysom/src

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok   $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1: $2"; }

binary=""
if [ $# -gt 1 ]; then
    binary=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
else
    kiln=${KILN:-$root/target/release/kiln}
    kiln=$(cd "$(dirname "$kiln")" && pwd)/$(basename "$kiln")
    # shellcheck disable=SC2086 # KILN_FLAGS is a list of flags
    echo "translating: SOM_INTERP=$variant kiln translate ${KILN_FLAGS:-} $src/main_rpython.py"
    # shellcheck disable=SC2086
    if SOM_INTERP=$variant "$kiln" translate -q ${KILN_FLAGS:-} "$src/main_rpython.py" \
        -o "$work/som" >"$work/translate.log" 2>&1; then
        binary="$work/som"
    else
        fail "translate" "kiln translate failed:"
        sed 's/^/    /' "$work/translate.log"
        echo "som $variant: $passed passed, $failed failed"
        exit 1
    fi
fi

# The KILN_JIT values to run the VM under (`;`-separated; an empty value is the JIT's
# default); a VM translated without --jit ignores KILN_JIT, so it runs once.
IFS=';' read -r -a modes <<<"${SOM_JIT_MODES:-default}"

# run_case NAME ARGS...: CPython once, then the translated VM under each mode, on the
# same SOM arguments; $work/kiln.out keeps the last mode's stdout.
run_case() {
    local name=$1
    shift
    if [ "${SKIP_CPYTHON:-}" != 1 ]; then
        PYTHONPATH="$root/runtime/python:$src" SOM_INTERP=$variant \
            python3 "$src/main.py" "$@" >"$work/cpython.out" 2>"$work/cpython.err"
        local cstatus=$?
        "$here/filter_times.sh" <"$work/cpython.out" >"$work/cpython.filtered"
        if [ $cstatus -ne 0 ]; then
            fail "$name" "CPython's run failed (exit $cstatus)"
            head -20 "$work/cpython.err" | sed 's/^/    /'
            return
        fi
    fi
    local mode label status
    for mode in "${modes[@]}"; do
        label=$name
        if [ "$mode" = default ]; then
            mode=""
        fi
        if [ ${#modes[@]} -gt 1 ] || [ -n "$mode" ]; then
            label="$name [KILN_JIT=$mode]"
        fi
        KILN_JIT=$mode "$binary" "$@" >"$work/kiln.out" 2>"$work/kiln.err"
        status=$?
        "$here/filter_times.sh" <"$work/kiln.out" >"$work/kiln.filtered"
        if [ $status -ne 0 ]; then
            fail "$label" "exit status $status"
            head -20 "$work/kiln.err" "$work/kiln.out" | sed 's/^/    /'
            continue
        fi
        if [ "${SKIP_CPYTHON:-}" != 1 ] && ! diff -u "$work/cpython.filtered" "$work/kiln.filtered" >"$work/diff"; then
            fail "$label" "stdout differs from CPython's:"
            head -40 "$work/diff" | sed 's/^/    /'
            continue
        fi
        pass "$label"
    done
}

run_case "TestHarness" -cp "$core/Smalltalk" "$core/TestSuite/TestHarness.som"
total=$(sed -n 's/^Total number of tests: *//p' "$work/kiln.out")
ok=$(sed -n 's/^Number of successful tests: *//p' "$work/kiln.out")
if [ -n "$total" ] && [ "$total" = "$ok" ] && [ "$total" -gt 0 ]; then
    pass "TestHarness: $ok of $total tests successful"
else
    fail "TestHarness" "successful tests: '${ok}' of '${total}'"
fi

classpath="$core/Smalltalk:$core/Examples/Benchmarks/LanguageFeatures"
for bench in $BENCHMARKS; do
    run_case "benchmark $bench" -cp "$classpath" "$core/Examples/Benchmarks/BenchmarkHarness.som" "$bench" 1 1
    if ! grep -q "^Starting $bench benchmark\.$" "$work/kiln.out"; then
        fail "benchmark $bench" "no 'Starting $bench benchmark.' line"
    fi
done

echo "som $variant: $passed passed, $failed failed"
[ $failed -eq 0 ]
