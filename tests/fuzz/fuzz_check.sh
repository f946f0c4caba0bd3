#!/usr/bin/env bash
# Coverage-guided fuzzing of `kiln check` with libFuzzer, on stable Rust.
#
#   tests/fuzz/fuzz_check.sh [SECONDS] [extra libFuzzer flags...]
#
# Builds fuzz/ (Kiln's crates instrumented with SanitizerCoverage through
# fuzz/rustc-sancov.sh, into fuzz/target), seeds fuzz/corpus with every program of
# tests/programs, and fuzzes for SECONDS (default 60). A crash (an internal compiler
# error, a panic or an abort) is written to build/fuzz-artifacts/ and ends the run with
# a non-zero status; reproduce it with `fuzz/target/release/check FILE`.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
seconds="${1:-60}"
shift || true
export LLVM_SYS_191_PREFIX="${LLVM_SYS_191_PREFIX:-/usr/lib/llvm-19}"
cd "$root/fuzz"
RUSTC_WRAPPER="$root/fuzz/rustc-sancov.sh" cargo build --release --bin check -q
mkdir -p corpus "$root/build/fuzz-artifacts"
# Seeds: the corpus programs (libFuzzer dedups by content, so re-copying is harmless).
find "$root/tests/programs" -name '*.py' ! -name '_*' | while read -r f; do
    cp "$f" "corpus/$(echo "${f#"$root"/tests/programs/}" | tr / _)"
done
exec ./target/release/check corpus \
    -dict=python.dict -max_len=16384 -timeout=20 -rss_limit_mb=4096 -close_fd_mask=3 \
    -max_total_time="$seconds" -print_final_stats=1 \
    -artifact_prefix="$root/build/fuzz-artifacts/" "$@"
