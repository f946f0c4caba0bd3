#!/usr/bin/env bash
# Runs the Lisp interpreter on every examples/*.scm and compares the results with the
# expected ones:
#   - stdout must equal NAME.out;
#   - if NAME.err exists, the exit status must be 1 and stderr must equal NAME.err;
#     otherwise the exit status must be 0 and stderr must be empty.
# Then it checks the usage error (no argument: exit 2) and an unreadable file (exit 1).
#
# Usage: interpreters/lisp/test_lisp.sh [COMMAND...]
#   COMMAND defaults to `python3 interpreters/lisp/lisp.py`; pass a translated binary
#   (e.g. build/lisp) to test that instead.
#
# Environment:
#   KILN=path/to/kiln   also run every example with `kiln run -q` (the llinterp) and with
#                       a binary translated by `kiln translate`, checking each against the
#                       same expected files (so all implementations agree with CPython's).
#   KILN_SKIP_RUN=1     with KILN set, skip the (slow) llinterp runs.
#   KILN_TRANSLATE_FLAGS="--gc=..."   extra options for `kiln translate`.
#   ONLY="fib loop"     run only these examples.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
export PYTHONPATH="$root/runtime/python${PYTHONPATH:+:$PYTHONPATH}"

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

# Each implementation is a label and a command prefix; the program path is appended.
labels=()
commands=()
add_impl() {
    labels+=("$1")
    commands+=("$2")
}

if [ $# -gt 0 ]; then
    add_impl "$(basename "$1")" "$(printf '%q ' "$@")"
else
    add_impl python3 "python3 $(printf '%q' "$here/lisp.py")"
fi

if [ -n "${KILN:-}" ]; then
    kiln=$(cd "$(dirname "$KILN")" && pwd)/$(basename "$KILN")
    if [ -z "${KILN_SKIP_RUN:-}" ]; then
        add_impl "kiln-run" "$(printf '%q' "$kiln") run -q $(printf '%q' "$here/lisp.py") --"
    fi
    read -r -a translate_flags <<<"${KILN_TRANSLATE_FLAGS:-}"
    echo "translating: $KILN translate ${KILN_TRANSLATE_FLAGS:+$KILN_TRANSLATE_FLAGS }interpreters/lisp/lisp.py"
    if "$kiln" translate -q ${translate_flags[@]+"${translate_flags[@]}"} "$here/lisp.py" \
        -o "$work/lisp-kiln" >"$work/translate.log" 2>&1; then
        add_impl "kiln-bin" "$(printf '%q' "$work/lisp-kiln")"
    else
        fail "translate" "kiln translate failed:"
        sed 's/^/    /' "$work/translate.log"
    fi
fi

shopt -s nullglob
examples=("$here"/examples/*.scm)
if [ ${#examples[@]} -eq 0 ]; then
    echo "test_lisp.sh: no examples found in $here/examples" >&2
    exit 1
fi

# check LABEL NAME STATUS EXPECTED_STATUS OUT_FILE EXPECTED_OUT ERR_FILE EXPECTED_ERR
# (EXPECTED_ERR empty: stderr must be empty).
check() {
    local label=$1 name=$2 status=$3 want_status=$4 out=$5 want_out=$6 err=$7 want_err=$8
    local what="$name [$label]"
    if [ "$status" -ne "$want_status" ]; then
        fail "$what" "exit status $status, expected $want_status; stderr:"
        sed 's/^/    /' "$err"
    elif ! cmp -s "$out" "$want_out"; then
        fail "$what" "stdout differs from $want_out:"
        diff -u "$want_out" "$out" | sed 's/^/    /'
    elif [ -n "$want_err" ] && ! cmp -s "$err" "$want_err"; then
        fail "$what" "stderr differs from $want_err:"
        diff -u "$want_err" "$err" | sed 's/^/    /'
    elif [ -z "$want_err" ] && [ -s "$err" ]; then
        fail "$what" "unexpected stderr:"
        sed 's/^/    /' "$err"
    else
        pass "$what"
    fi
}

for program in "${examples[@]}"; do
    name=$(basename "$program" .scm)
    if [ -n "${ONLY:-}" ] && [[ " $ONLY " != *" $name "* ]]; then
        continue
    fi
    expected_out="$here/examples/$name.out"
    expected_err="$here/examples/$name.err"
    if [ ! -f "$expected_out" ]; then
        fail "$name" "missing $expected_out"
        continue
    fi
    want_status=0
    want_err=""
    if [ -f "$expected_err" ]; then
        want_status=1
        want_err=$expected_err
    fi
    for i in "${!labels[@]}"; do
        status=0
        eval "${commands[$i]} $(printf '%q' "$program")" \
            </dev/null >"$work/out" 2>"$work/err" || status=$?
        check "${labels[$i]}" "$name" "$status" "$want_status" \
            "$work/out" "$expected_out" "$work/err" "$want_err"
    done
done

# The command-line errors, for each implementation.
printf 'usage: lisp PROGRAM.scm\n' >"$work/usage.err"
printf 'error: cannot read %s\n' "$work/missing.scm" >"$work/missing.err"
: >"$work/empty.out"
for i in "${!labels[@]}"; do
    status=0
    eval "${commands[$i]}" </dev/null >"$work/out" 2>"$work/err" || status=$?
    check "${labels[$i]}" "no-argument" "$status" 2 \
        "$work/out" "$work/empty.out" "$work/err" "$work/usage.err"
    status=0
    eval "${commands[$i]} $(printf '%q' "$work/missing.scm")" \
        </dev/null >"$work/out" 2>"$work/err" || status=$?
    check "${labels[$i]}" "missing-file" "$status" 1 \
        "$work/out" "$work/empty.out" "$work/err" "$work/missing.err"
done

echo "lisp: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
