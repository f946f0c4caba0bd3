"""The gc suite: two allocation-heavy RPy programs translated with each collector,
and on pypy3 and python3, with peak RSS."""

import os
import shutil

from benchlib import *  # noqa: F401,F403 (the constants, classes and helpers)


def prepare_gc(suite, bench_dir):
    suite.show_rss = True
    suite.description = [
        "Two RPy programs written for this suite: `bench/gc/binary_trees.py` (the classic",
        "binary-trees benchmark: allocation heavy, almost everything dies young, one",
        "long-lived tree) and `bench/gc/long_lived.py` (a long-lived list of cells with",
        "leaves, linked to each other, plus a table of rows of leaves, into which fresh",
        "objects are written again and again: the write barrier and card marking, with",
        "short-lived garbage alongside; a checksum after every round). Rows: each program",
        "translated by Kiln (`--opt=2`) with each collector, and pypy3 and python3 running",
        "the same file. **Time ratios are relative to pypy3.** Peak RSS is the run's",
        "maximum resident set size (wait4's `ru_maxrss`, measured by `%s`, a fork+exec"
        % RUNRSS,
        "helper built from `%s`), the median over the repetitions, in MiB." % RUNRSS_SOURCE,
        "The `none` collector never frees: its rows run with `KILN_GC_MAX_HEAP=%s`, and a"
        % GC_NONE_HEAP_CAP,
        "MemoryError there would be reported as n/a. Every output must equal the file in",
        "`%s/`, made by python3." % GC_EXPECTED,
    ]
    if shutil.which("gcc") is None:
        suite.rss_unavailable = "gcc not found: cannot build %s" % RUNRSS
    else:
        os.makedirs(BUILD, exist_ok=True)
        try:
            run_checked(["gcc", "-O2", "-o", RUNRSS, RUNRSS_SOURCE], "building runrss")
            suite.rss_helper = os.path.join(ROOT, RUNRSS)
        except SetupError as exc:
            suite.rss_unavailable = str(exc).splitlines()[0]

    sources = {}
    arguments = {}
    for name, source, args in GC_PROGRAMS:
        sources[name] = source
        arguments[name] = args
    impls = []
    for gc in GC_COLLECTORS:
        impl = Implementation("kiln --gc=%s" % gc)
        if gc == "none":
            impl.env["KILN_GC_MAX_HEAP"] = GC_NONE_HEAP_CAP
            impl.memory_cap = GC_NONE_HEAP_CAP
        for bench in suite.benchmarks:
            binary = os.path.join(BUILD_REL, "%s-%s" % (bench.name, gc))
            build = [KILN, "translate", sources[bench.name], "--opt=2", "--gc=%s" % gc,
                     "-o", binary]
            impl.build_commands.append(build)
            impl.argv_for[bench.name] = [binary] + arguments[bench.name]
            if impl.unavailable is None:
                reason = translate(build, binary)
                if reason:
                    impl.unavailable = "%s: %s" % (bench.name, reason)
        impls.append(impl)
    suite.impls = impls + python_rows(
        suite.benchmarks, lambda b: [sources[b.name]] + arguments[b.name]
    )
    suite.reference = "pypy3"


def gc_benchmarks():
    result = []
    for name, source, args in GC_PROGRAMS:
        expected = os.path.join(GC_EXPECTED, "%s-%s.out" % (name, "-".join(args)))
        label = "%s %s" % (os.path.basename(source), " ".join(args))
        result.append(Benchmark(name, label, expected))
    return result
