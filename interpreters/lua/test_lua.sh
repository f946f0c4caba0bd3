#!/usr/bin/env bash
# Tests the Lua VM against lua5.4, the oracle:
#   - every tests/*.lua program: stdout and exit status must equal lua5.4's (run in
#     tests/, so the chunk names in error messages match);
#   - the AWFY benchmarks (../shared/benchmarks/lua/awfy, relative to the repository
#     root) at small sizes through their harness: exit status 0 (the harness asserts
#     each benchmark's own verification), and the same "Starting" line as lua5.4;
#   - the extra/ Benchmarks Game programs at small sizes: stdout equal to lua5.4's;
#   - the command line: a missing script (exit 1, as lua5.4) and a script on stdin.
#
# Implementations: under CPython (python3 lua.py) only the programs in CPYTHON_TESTS,
# under `kiln run` (the llinterp) only those in KILN_RUN_TESTS, and the translated
# binary runs everything.
#
# Usage: interpreters/lua/test_lua.sh [BINARY]
#   BINARY: an already translated VM to test instead of translating one.
# Environment:
#   KILN=path/to/kiln     translate the VM (unless BINARY is given) and use `kiln run`.
#   KILN_SKIP_RUN=1       skip the `kiln run` (llinterp) runs.
#   SKIP_CPYTHON=1        skip the CPython runs.
#   ONLY="arith sort"     run only these test programs (benchmarks are skipped).
#   LUA=lua5.4            the reference interpreter.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
export PYTHONPATH="$root/runtime/python${PYTHONPATH:+:$PYTHONPATH}"
LUA=${LUA:-lua5.4}
shared=$(cd "$root/.." && pwd)/shared/benchmarks/lua

CPYTHON_TESTS="closures varargs metatables errors length"
KILN_RUN_TESTS="closures metatables"

if ! command -v "$LUA" >/dev/null 2>&1; then
    echo "test_lua.sh: $LUA not found (make setup installs it)" >&2
    exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok   $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1: $2"; }

binary=""
if [ $# -gt 0 ]; then
    binary=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
elif [ -n "${KILN:-}" ]; then
    kiln=$(cd "$(dirname "$KILN")" && pwd)/$(basename "$KILN")
    echo "translating: $KILN translate interpreters/lua/lua.py"
    if "$kiln" translate -q "$here/lua.py" -o "$work/lua-kiln" >"$work/translate.log" 2>&1; then
        binary="$work/lua-kiln"
    else
        fail "translate" "kiln translate failed:"
        sed 's/^/    /' "$work/translate.log"
    fi
fi

# run_impl LABEL CMD... : the command lines of each implementation
py_cmd=(python3 "$here/lua.py")

# compare NAME DIR ARGS... : run lua5.4 and each implementation in DIR with ARGS.
# IMPLS holds the implementations to use ("py run bin").
compare() {
    local name=$1 dir=$2
    shift 2
    local want_status=0
    (cd "$dir" && "$LUA" "$@" </dev/null >"$work/want.out" 2>"$work/want.err") || want_status=$?
    for impl in $IMPLS; do
        local status=0
        case $impl in
        py) (cd "$dir" && "${py_cmd[@]}" "$@" </dev/null >"$work/out" 2>"$work/err") || status=$? ;;
        run) (cd "$dir" && "$kiln" run -q "$here/lua.py" -- "$@" </dev/null >"$work/out" 2>"$work/err") || status=$? ;;
        bin) (cd "$dir" && "$binary" "$@" </dev/null >"$work/out" 2>"$work/err") || status=$? ;;
        esac
        if [ "$status" -ne "$want_status" ]; then
            fail "$name [$impl]" "exit status $status, lua5.4 gave $want_status; stderr:"
            head -5 "$work/err" | sed 's/^/    /'
        elif ! cmp -s "$work/out" "$work/want.out"; then
            fail "$name [$impl]" "stdout differs from lua5.4's:"
            diff -u "$work/want.out" "$work/out" | head -20 | sed 's/^/    /'
        else
            pass "$name [$impl]"
        fi
    done
}

impls_for() {
    local name=$1 impls=""
    if [ -z "${SKIP_CPYTHON:-}" ] && [[ " $CPYTHON_TESTS " == *" $name "* ]]; then
        impls="py"
    fi
    if [ -n "${kiln:-}" ] && [ -z "${KILN_SKIP_RUN:-}" ] && [[ " $KILN_RUN_TESTS " == *" $name "* ]]; then
        impls="$impls run"
    fi
    if [ -n "$binary" ]; then
        impls="$impls bin"
    fi
    echo "$impls"
}

for program in "$here"/tests/*.lua; do
    name=$(basename "$program" .lua)
    if [ -n "${ONLY:-}" ] && [[ " $ONLY " != *" $name "* ]]; then
        continue
    fi
    IMPLS=$(impls_for "$name")
    compare "$name" "$here/tests" "$name.lua"
done

if [ -z "${ONLY:-}" ]; then
    # The command line, with the translated binary (or CPython without one).
    IMPLS="bin"
    [ -z "$binary" ] && IMPLS="py"
    compare "missing-script" "$work" "no-such-script.lua"
    for impl in $IMPLS; do
        status=0
        if [ "$impl" = bin ]; then
            printf 'print(1 + 1, ...)\n' | "$binary" >"$work/out" 2>&1 || status=$?
        else
            printf 'print(1 + 1, ...)\n' | "${py_cmd[@]}" >"$work/out" 2>&1 || status=$?
        fi
        if [ "$status" -eq 0 ] && [ "$(cat "$work/out")" = "2" ]; then
            pass "script-from-stdin [$impl]"
        else
            fail "script-from-stdin [$impl]" "status $status, output: $(cat "$work/out")"
        fi
    done

    if [ -n "$binary" ]; then
        IMPLS="bin"
        if [ -d "$shared/awfy" ]; then
            # Small sizes: each runs in well under a second with lua5.4.
            for spec in "Bounce 1 20" "CD 1 10" "DeltaBlue 1 100" "Havlak 1 1" "Json 1 2" \
                "List 1 20" "Mandelbrot 1 500" "NBody 1 1" "Permute 1 20" "Queens 1 20" \
                "Richards 1 2" "Sieve 1 20" "Storage 1 10" "Towers 1 10"; do
                read -r bname outer inner <<<"$spec"
                want_status=0
                (cd "$shared/awfy" && "$LUA" harness.lua "$bname" "$outer" "$inner" \
                    </dev/null >"$work/want.out" 2>&1) || want_status=$?
                status=0
                (cd "$shared/awfy" && "$binary" harness.lua "$bname" "$outer" "$inner" \
                    </dev/null >"$work/out" 2>"$work/err") || status=$?
                if [ "$status" -ne 0 ] || [ "$want_status" -ne 0 ]; then
                    fail "awfy $bname [bin]" "exit status $status (lua5.4: $want_status); stderr:"
                    head -5 "$work/err" | sed 's/^/    /'
                elif [ "$(head -1 "$work/out")" != "$(head -1 "$work/want.out")" ] \
                    || ! grep -q "^$bname: iterations=$outer average" "$work/out"; then
                    fail "awfy $bname [bin]" "unexpected output:"
                    head -5 "$work/out" | sed 's/^/    /'
                else
                    pass "awfy $bname [bin]"
                fi
            done
            for spec in "binary-trees 6" "fannkuch-redux 6" "n-body 1000" "queen 6" "spectral-norm 50"; do
                read -r pname size <<<"$spec"
                compare "extra $pname $size" "$shared/extra" "$pname.lua" "$size"
            done
        else
            fail "benchmarks" "$shared not found"
        fi
    fi
fi

echo "lua: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
