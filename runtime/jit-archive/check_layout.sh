#!/usr/bin/env bash
# Checks the build layout of the JIT (docs/jit.md, "Build layout"): a VM translated
# without --jit contains nothing of the JIT, and libkiln_jit.a (the runtime plus the JIT)
# links a VM in place of libkiln_runtime.a, where --gc-sections drops the unused JIT.
# Usage: runtime/jit-archive/check_layout.sh [path/to/kiln]
set -euo pipefail
cd "$(dirname "$0")/../.."
KILN=${1:-target/release/kiln}
ARCHIVE=target/release/libkiln_jit.a
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

jit_symbols() { nm "$1" | grep -iE 'cranelift|kiln_jit|regalloc|_jit$' || true; }

"$KILN" translate -q interpreters/bf/bf.py -o "$out/bf" --opt 2
found=$(jit_symbols "$out/bf")
if [ -n "$found" ]; then
    echo "check_layout: a VM without --jit has JIT symbols:" >&2
    echo "$found" | head >&2
    exit 1
fi

archive_symbols=$(nm "$ARCHIVE" 2>/dev/null || true)
for sym in kiln_jit_start kiln_jit_finish kiln_jit_init kiln_jit_merge_point kiln_jit_exit kiln_jit_values kiln_jit_active kiln_rt_start kiln_gc_incminimark_jit; do
    grep -qE " [TDRB] $sym\$" <<<"$archive_symbols" || { echo "check_layout: $ARCHIVE does not define $sym" >&2; exit 1; }
done
KILN_RUNTIME="$PWD/$ARCHIVE" "$KILN" translate -q interpreters/bf/bf.py -o "$out/bf-jitarchive" --opt 2
found=$(jit_symbols "$out/bf-jitarchive")
if [ -n "$found" ]; then
    echo "check_layout: unused JIT code was not dropped from a VM linked with $ARCHIVE:" >&2
    echo "$found" | head >&2
    exit 1
fi
interpreters/bf/test_bf.sh "$out/bf-jitarchive" > "$out/test.log" || { cat "$out/test.log" >&2; echo "check_layout: bf linked with $ARCHIVE fails its tests" >&2; exit 1; }
echo "check_layout: ok (bf without --jit: $(stat -c %s "$out/bf") bytes, no JIT symbols; libkiln_jit.a links bf)"
