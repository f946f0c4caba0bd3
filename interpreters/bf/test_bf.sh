#!/usr/bin/env bash
# Runs the Brainfuck interpreter on every examples/*.b and compares its stdout with the
# matching .out file (stdin comes from the matching .in file, or is empty), then checks
# the error paths: unmatched brackets (exit 1) and a missing argument (exit 2).
#
# Usage: interpreters/bf/test_bf.sh [COMMAND...]
#   COMMAND defaults to `python3 interpreters/bf/bf.py`; pass a translated binary
#   (e.g. build/bf) to test that instead.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
export PYTHONPATH="$root/runtime/python${PYTHONPATH:+:$PYTHONPATH}"

if [ $# -gt 0 ]; then
    cmd=("$@")
else
    cmd=(python3 "$here/bf.py")
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

passed=0
failed=0

pass() {
    passed=$((passed + 1))
    echo "ok   $1"
}

fail() {
    failed=$((failed + 1))
    echo "FAIL $1: $2"
}

shopt -s nullglob
examples=("$here"/examples/*.b)
if [ ${#examples[@]} -eq 0 ]; then
    echo "test_bf.sh: no examples found in $here/examples" >&2
    exit 1
fi

for program in "${examples[@]}"; do
    name=$(basename "$program" .b)
    expected="$here/examples/$name.out"
    input="$here/examples/$name.in"
    [ -f "$input" ] || input=/dev/null
    if [ ! -f "$expected" ]; then
        fail "$name" "missing $expected"
        continue
    fi
    status=0
    "${cmd[@]}" "$program" <"$input" >"$work/out" 2>"$work/err" || status=$?
    if [ "$status" -ne 0 ]; then
        fail "$name" "exit code $status; stderr:"
        sed 's/^/    /' "$work/err"
    elif cmp -s "$work/out" "$expected"; then
        pass "$name"
    else
        fail "$name" "stdout differs from $expected:"
        diff -u "$expected" "$work/out" | sed 's/^/    /' || true
    fi
done

# expect_error NAME SOURCE EXIT_CODE STDERR_TEXT [ARGS]: run on SOURCE (or with no
# argument when SOURCE is empty) and check the exit code and the stderr text.
expect_error() {
    local name=$1 source=$2 code=$3 message=$4
    local status=0
    if [ -n "$source" ]; then
        printf '%s' "$source" >"$work/$name.b"
        "${cmd[@]}" "$work/$name.b" </dev/null >"$work/out" 2>"$work/err" || status=$?
    else
        "${cmd[@]}" </dev/null >"$work/out" 2>"$work/err" || status=$?
    fi
    if [ "$status" -ne "$code" ]; then
        fail "$name" "exit code $status, expected $code"
    elif ! grep -qF -- "$message" "$work/err"; then
        fail "$name" "stderr does not contain \"$message\": $(cat "$work/err")"
    else
        pass "$name"
    fi
}

expect_error unmatched_open '+[[-]' 1 "bf: unmatched '['"
expect_error unmatched_close '+[-]]' 1 "bf: unmatched ']'"
expect_error no_argument '' 2 "usage: bf PROGRAM.b"

echo "bf: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
