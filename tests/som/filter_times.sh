#!/bin/sh
# Leaves out of SOM's output (stdin to stdout) the lines that report times and GC
# counts, which differ between runs: BenchmarkHarness.som's "runtime:", "average:",
# "Total Runtime:", "GC count:", "GC time:", "Allocated:" and "Compile time:" lines.
exec grep -v -E ': (iterations=[0-9]+ (runtime|average):|GC count:|GC time:|Allocated:|Compile time:)|^Total Runtime: '
