#!/bin/sh
# RUSTC_WRAPPER for the fuzz build: adds SanitizerCoverage instrumentation (libFuzzer's
# inline 8-bit counters, PC table and comparison tracing) to Kiln's own crates only, so
# that coverage guides the fuzzer through the compiler and not through its dependencies.
rustc="$1"
shift
case " $* " in
*" --crate-name kiln_"*)
    exec "$rustc" "$@" --cfg fuzzing -Cpasses=sancov-module \
        -Cllvm-args=-sanitizer-coverage-level=4 \
        -Cllvm-args=-sanitizer-coverage-inline-8bit-counters \
        -Cllvm-args=-sanitizer-coverage-pc-table \
        -Cllvm-args=-sanitizer-coverage-trace-compares ;;
*)
    exec "$rustc" "$@" ;;
esac
