#!/usr/bin/env python3
"""Run Kiln's benchmark suites side by side and report medians and ratios.

Usage: python3 bench/run.py [--suites bf,lisp,gc,lua] [--reps N] [--cap SECONDS]
                            [--once-over SECONDS] [--only NAME,...] [--benchmarks DIR]
                            [--output FILE]

Each suite runs every one of its benchmarks on every one of its implementations in one
session, repetitions interleaved (repetition 1 of every row, then repetition 2, ...), so
that drift of the machine affects all rows alike (absolute times on these machines drift
from run to run). The suites:

``bf``: the Brainfuck programs mandel.b and bench.b from ../shared/benchmarks/bf/.
  - ``C interpreter``: bench/bf/bf.c built with gcc -O2, the reference (ratio 1.00);
  - ``bf2c + gcc``: the program translated to C by bench/bf/bf2c.py, built with gcc -O2,
    the speed limit;
  - ``kiln``: interpreters/bf/bf.py translated with ``target/release/kiln translate``;
  - ``kiln --jit``: the same translated with ``--jit`` (default JIT parameters);
  - ``pypy3`` and ``python3`` running interpreters/bf/bf.py.
  Every output must equal the C interpreter's.

``lisp``: the Scheme-subset interpreter interpreters/lisp/lisp.py running
  examples/bench_fib.scm and examples/loop.scm: translated by Kiln (``--opt=2``, the
  default collector), and pypy3 and python3 running lisp.py. Reference: python3. Every
  output must equal the example's .out file.

``gc``: the RPy programs bench/gc/binary_trees.py (allocation heavy, short-lived trees)
  and bench/gc/long_lived.py (a big long-lived structure that keeps receiving young
  objects: write barrier and card marking), translated with each collector
  (``--gc=incminimark``, ``semispace``, ``marksweep``, ``none``), and pypy3 and python3
  running the same files. Reference: pypy3. The peak RSS of each run is measured too,
  through bench/runrss.c (wait4's ru_maxrss; see that file for why a helper). Every
  output must equal the file in bench/gc/expected/. The ``none`` rows run with
  KILN_GC_MAX_HEAP=4g, so that a collector that never frees cannot take the machine's
  memory: a MemoryError there is reported as ``n/a``, not as a failure.

``lua``: the Lua VM interpreters/lua/lua.py translated by Kiln, on the 14 Are-We-Fast-Yet
  benchmarks (../shared/benchmarks/lua/awfy, run from that directory through
  bench/lua/awfy_driver.lua, which asserts each benchmark's own verification and prints a
  deterministic line) and the 5 Benchmarks Game programs of ../shared/benchmarks/lua/extra.
  Rows: the Kiln VM (no JIT), the Kiln VM with --jit (n/a until the JIT exists), lua5.4
  (the reference, whose output every other row must reproduce) and luajit. One row per
  benchmark, with the geometric mean of the ratios; the translation's time and peak
  memory are reported too.

The tables of median times and ratios (and peak RSS for gc) are printed and written to
bench/results.md (overwritten; rewritten after each suite), with the date, the machine,
the load average, the tool versions and the exact commands. An implementation that cannot
run (kiln not built, translation failed, interpreter not installed) gets
``n/a (reason)``; a run over the time cap is reported as ``>cap`` and not repeated. A run
that finishes but takes longer than ``--once-over`` seconds (default 100) is not repeated
either: its row's median is that one run, marked ``(1 run)``. This keeps the default run
(3 repetitions, python3 taking about the cap on bench.b) near 15 minutes on 2 cores.
A mismatched output or a failing run is reported loudly and makes the script exit with
status 1 (after the other suites have run). Only the Python standard library is used.
"""

import argparse
import datetime
import math
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(ROOT, "build", "bench")
BUILD_REL = os.path.join("build", "bench")
DEFAULT_BENCHMARKS = os.path.join(ROOT, os.pardir, "shared", "benchmarks", "bf")
KILN = os.path.join("target", "release", "kiln")
PY_PATH = os.path.join(ROOT, "runtime", "python")
TRANSLATE_TIMEOUT = 1800
SUITE_NAMES = ("bf", "lisp", "gc", "lua")

# bf
BF_BENCHMARKS = ("mandel.b", "bench.b")
BF_PY = os.path.join("interpreters", "bf", "bf.py")
BF_KILN_BINARY = os.path.join(BUILD_REL, "bf-kiln")
BF_KILN_JIT_BINARY = os.path.join(BUILD_REL, "bf-kiln-jit")

# lisp
LISP_PY = os.path.join("interpreters", "lisp", "lisp.py")
LISP_EXAMPLES = os.path.join("interpreters", "lisp", "examples")
LISP_BENCHMARKS = ("bench_fib.scm", "loop.scm")
LISP_KILN_BINARY = os.path.join(BUILD_REL, "lisp-kiln")

# gc: (name, source, arguments). The sizes are chosen so that the incminimark binary
# takes about a second and python3 well under the default cap.
GC_PROGRAMS = (
    ("binary_trees", os.path.join("bench", "gc", "binary_trees.py"), ["17"]),
    ("long_lived", os.path.join("bench", "gc", "long_lived.py"), ["300000", "8", "300000"]),
)
GC_EXPECTED = os.path.join("bench", "gc", "expected")
GC_COLLECTORS = ("incminimark", "semispace", "marksweep", "none")
GC_NONE_HEAP_CAP = "4g"
RUNRSS_SOURCE = os.path.join("bench", "runrss.c")

# lua: the shared benchmarks (never copied into the project) and their sizes, chosen so
# that lua5.4 takes 1-10 s on the project's machine; the same sizes for every row.
LUA_SHARED = os.path.join(ROOT, os.pardir, "shared", "benchmarks", "lua")
LUA_PY = os.path.join("interpreters", "lua", "lua.py")
LUA_KILN_BINARY = os.path.join(BUILD_REL, "lua-kiln")
LUA_DRIVER = os.path.join(ROOT, "bench", "lua", "awfy_driver.lua")
# The harness's usual inner iterations, raised for List, Permute and Sieve (which verify
# at any size) to reach a second; Havlak, Mandelbrot and NBody verify only at fixed sizes.
LUA_AWFY = (  # (benchmark, inner iterations), one outer iteration
    ("Bounce", 1500), ("CD", 250), ("DeltaBlue", 12000), ("Havlak", 1),
    ("Json", 100), ("List", 4000), ("Mandelbrot", 750), ("NBody", 250000),
    ("Permute", 2000), ("Queens", 1000), ("Richards", 100), ("Sieve", 6000),
    ("Storage", 1000), ("Towers", 600),
)
LUA_EXTRA = (  # (program, argument)
    ("binary-trees", "15"), ("fannkuch-redux", "10"), ("n-body", "2000000"),
    ("queen", "12"), ("spectral-norm", "1000"),
)
RUNRSS = os.path.join(BUILD_REL, "runrss")


class SetupError(Exception):
    """A step that a whole suite depends on failed (building the C reference, say)."""


class Benchmark(object):
    """One column group of a suite's table."""

    def __init__(self, name, label=None, expected=None):
        self.name = name  # what --only takes
        self.label = label or name  # the table heading
        self.expected = expected  # path (relative to ROOT) of the expected stdout, or None


class Implementation(object):
    """One row of a table: how to run each benchmark, or why it cannot run."""

    def __init__(self, name, build_commands=(), unavailable=None, env=None):
        self.name = name
        self.build_commands = list(build_commands)
        self.unavailable = unavailable
        self.argv_for = {}  # benchmark name -> argv, relative to ROOT
        self.env = dict(env or {})  # variables added to the environment
        self.memory_cap = None  # KILN_GC_MAX_HEAP value: a MemoryError is n/a, not a failure

    def run_env(self):
        if not self.env:
            return None
        env = dict(os.environ)
        for key, value in self.env.items():
            env[key] = PY_PATH if key == "PYTHONPATH" else value
        return env

    def describe_run(self, bench):
        prefix = "".join("%s=%s " % item for item in sorted(self.env.items()))
        return prefix + " ".join(self.argv_for[bench])


class Suite(object):
    """A set of benchmarks run on a set of implementations, with one table."""

    def __init__(self, key, title, benchmarks):
        self.key = key
        self.title = title
        self.benchmarks = benchmarks
        self.impls = []
        self.description = []  # lines of Markdown
        self.reference = None  # the row ratios are relative to
        self.show_rss = False
        self.rss_helper = None  # path of runrss, or None
        self.rss_unavailable = None
        self.setup_error = None
        self.results = {}
        self.transposed = False  # one row per benchmark, with a geometric mean (lua)
        self.started = None
        self.load_start = None
        self.load_end = None
        self.duration = None


class Measurement(object):
    """The runs of one implementation on one benchmark."""

    def __init__(self):
        self.times = []
        self.rss_kib = []
        self.timed_out = False
        self.long = False  # a run took longer than --once-over: not repeated
        self.failure = None  # a loud problem: non-zero exit or wrong output
        self.unavailable = None  # a quiet one: the none collector ran out of its heap cap


class Run(object):
    def __init__(self):
        self.timed_out = False
        self.elapsed = None
        self.returncode = None
        self.stdout = b""
        self.stderr = b""
        self.rss_kib = None


def rel(path):
    return os.path.relpath(path, ROOT)


def run_checked(argv, what):
    """Run a build step from ROOT; raise SetupError with its output if it fails."""
    try:
        result = subprocess.run(argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    except FileNotFoundError:
        raise SetupError("%s: %s not found" % (what, argv[0]))
    if result.returncode != 0:
        output = result.stdout.decode("utf-8", "replace")
        raise SetupError(
            "%s failed (exit %d): %s\n%s" % (what, result.returncode, " ".join(argv), output)
        )


def last_line(text):
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "no output"


def translate(argv, binary):
    """Translate with kiln; return None on success, or the reason the row is n/a."""
    if not os.path.exists(os.path.join(ROOT, KILN)):
        return "%s not built" % KILN
    target = os.path.join(ROOT, binary)
    if os.path.exists(target):
        os.remove(target)
    print("translating: %s" % " ".join(argv), flush=True)
    try:
        result = subprocess.run(
            argv,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            timeout=TRANSLATE_TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        return "translation timed out after %d s" % TRANSLATE_TIMEOUT
    output = result.stdout.decode("utf-8", "replace")
    if result.returncode != 0:
        print(output, file=sys.stderr)
        return "translation failed: %s" % last_line(output)[:100]
    if not os.path.exists(target):
        return "translation produced no %s" % binary
    return None


def python_rows(benchmarks, args_for):
    """pypy3 and python3 running an RPy program with the kiln support package;
    args_for(bench) gives the arguments after the interpreter's name."""
    rows = []
    for python in ("pypy3", "python3"):
        impl = Implementation(python, env={"PYTHONPATH": "runtime/python"})
        if shutil.which(python) is None:
            impl.unavailable = "%s not installed" % python
        for bench in benchmarks:
            impl.argv_for[bench.name] = [python] + args_for(bench)
        rows.append(impl)
    return rows


# --- the suites ---------------------------------------------------------------------


def prepare_bf(suite, bench_dir):
    benchmarks = suite.benchmarks
    programs = {b.name: os.path.join(bench_dir, b.name) for b in benchmarks}
    missing = [p for p in programs.values() if not os.path.isfile(p)]
    if missing:
        raise SetupError("benchmark program(s) not found: %s" % ", ".join(missing))
    if shutil.which("gcc") is None:
        raise SetupError("gcc not found: the C reference interpreter cannot be built")
    suite.description = [
        "Brainfuck programs from ../shared/benchmarks/bf/ on a C interpreter (the",
        "reference, ratio 1.00), the program compiled to C (bf2c + gcc), the Kiln-translated",
        "interpreters/bf/bf.py without and with --jit, and pypy3 and python3 running bf.py.",
        "Every output must equal the C interpreter's.",
    ]

    c_interp = Implementation(
        "C interpreter",
        [["gcc", "-O2", "-o", os.path.join(BUILD_REL, "bf-c"), "bench/bf/bf.c"]],
    )
    bf2c = Implementation("bf2c + gcc")
    for bench in benchmarks:
        stem = os.path.splitext(bench.name)[0]
        c_file = os.path.join(BUILD_REL, "%s.c" % stem)
        exe = os.path.join(BUILD_REL, "%s-bf2c" % stem)
        bf2c.build_commands.append(
            ["python3", "bench/bf/bf2c.py", rel(programs[bench.name]), "-o", c_file]
        )
        bf2c.build_commands.append(["gcc", "-O2", "-o", exe, c_file])
        bf2c.argv_for[bench.name] = [exe]
        c_interp.argv_for[bench.name] = [
            os.path.join(BUILD_REL, "bf-c"),
            rel(programs[bench.name]),
        ]
    for impl in (c_interp, bf2c):
        for argv in impl.build_commands:
            run_checked(argv, "building %s" % impl.name)

    kiln = Implementation("kiln", [[KILN, "translate", BF_PY, "--opt=2", "-o", BF_KILN_BINARY]])
    kiln.unavailable = translate(kiln.build_commands[0], BF_KILN_BINARY)
    kiln_jit = Implementation(
        "kiln --jit", [[KILN, "translate", "--jit", BF_PY, "--opt=2", "-o", BF_KILN_JIT_BINARY]]
    )
    kiln_jit.unavailable = translate(kiln_jit.build_commands[0], BF_KILN_JIT_BINARY)
    for bench in benchmarks:
        kiln.argv_for[bench.name] = [BF_KILN_BINARY, rel(programs[bench.name])]
        kiln_jit.argv_for[bench.name] = [BF_KILN_JIT_BINARY, rel(programs[bench.name])]

    suite.impls = [c_interp, bf2c, kiln, kiln_jit] + python_rows(
        benchmarks, lambda b: [BF_PY, rel(programs[b.name])]
    )
    suite.reference = c_interp.name


def prepare_lisp(suite, bench_dir):
    suite.description = [
        "The Scheme-subset interpreter interpreters/lisp/lisp.py (an RPy program) running",
        "examples from interpreters/lisp/examples/: `bench_fib.scm` (`(fib 25)`, about",
        "250,000 non-tail calls) and `loop.scm` (tail calls: a named-let loop of a million",
        "iterations and more). Rows: lisp.py translated by Kiln (`--opt=2`, the default",
        "collector, incminimark), and pypy3 and python3 running lisp.py. **Ratios are",
        "relative to python3** (time / python3's time; lower is faster). Every output must",
        "equal the example's `.out` file.",
    ]
    build = [KILN, "translate", LISP_PY, "--opt=2", "-o", LISP_KILN_BINARY]
    kiln = Implementation("kiln (--opt=2, incminimark)", [build])
    kiln.unavailable = translate(build, LISP_KILN_BINARY)
    examples = {b.name: os.path.join(LISP_EXAMPLES, b.name) for b in suite.benchmarks}
    for bench in suite.benchmarks:
        kiln.argv_for[bench.name] = [LISP_KILN_BINARY, examples[bench.name]]
    suite.impls = [kiln] + python_rows(suite.benchmarks, lambda b: [LISP_PY, examples[b.name]])
    suite.reference = "python3"


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


def lua_argv(directory, argv):
    """Run argv in directory (the AWFY modules are found through ./?.lua)."""
    return ["sh", "-c", 'cd "$0" && exec "$@"', directory] + argv


def prepare_lua(suite, bench_dir):
    suite.transposed = True
    awfy = os.path.normpath(os.path.join(LUA_SHARED, "awfy"))
    extra = os.path.normpath(os.path.join(LUA_SHARED, "extra"))
    if not os.path.isdir(awfy) or not os.path.isdir(extra):
        raise SetupError("the Lua benchmarks are not in %s" % os.path.normpath(LUA_SHARED))
    build = [KILN, "translate", LUA_PY, "--opt=2", "-o", LUA_KILN_BINARY]
    kiln = Implementation("kiln Lua VM (no JIT)", [build])
    timing = os.path.join(BUILD, "lua-translate.time")
    timed = ["/usr/bin/time", "-f", "%e %M", "-o", timing] + build
    if not os.path.exists("/usr/bin/time"):
        timed = build
    kiln.unavailable = translate(timed, LUA_KILN_BINARY)
    translation = "not measured (/usr/bin/time missing)"
    if kiln.unavailable is None and os.path.exists(timing):
        with open(timing) as f:
            fields = f.read().split()
        if len(fields) >= 2:
            translation = "%s s, peak memory %.0f MiB" % (fields[-2], int(fields[-1]) / 1024.0)
    jit = Implementation("kiln Lua VM --jit")
    jit.unavailable = "Kiln's JIT does not exist yet"
    lua54 = Implementation("lua5.4")
    if shutil.which("lua5.4") is None:
        raise SetupError("lua5.4 not installed: it is the reference of the lua suite")
    luajit = Implementation("luajit")
    if shutil.which("luajit") is None:
        luajit.unavailable = "luajit not installed"
    binary = os.path.join(ROOT, LUA_KILN_BINARY)
    for name, inner in LUA_AWFY:
        for impl, vm in ((kiln, binary), (jit, binary), (lua54, "lua5.4"), (luajit, "luajit")):
            impl.argv_for[name] = lua_argv(awfy, [vm, LUA_DRIVER, name, "1", str(inner)])
    for name, size in LUA_EXTRA:
        for impl, vm in ((kiln, binary), (jit, binary), (lua54, "lua5.4"), (luajit, "luajit")):
            impl.argv_for[name] = lua_argv(extra, [vm, name + ".lua", size])
    suite.description = [
        "The Lua 5.4 VM written in RPy (`interpreters/lua/`, see its README) translated by",
        "Kiln (`--opt=2`, incminimark), on the 14 Are-We-Fast-Yet benchmarks",
        "(`../shared/benchmarks/lua/awfy`, one outer iteration of the harness's usual inner",
        "iterations, through `bench/lua/awfy_driver.lua`, which asserts each benchmark's",
        "verification) and the 5 Benchmarks Game programs of `../shared/benchmarks/lua/extra`.",
        "**Ratios are relative to lua5.4** (time / lua5.4's; lower is faster); every output",
        "must equal lua5.4's. The JIT row stays n/a until Kiln's JIT exists.",
        "",
        "Translating the VM: %s." % translation,
    ]
    suite.impls = [lua54, kiln, jit, luajit]
    suite.reference = lua54.name


def lua_benchmarks():
    result = [Benchmark(name, "%s %d" % (name, inner)) for name, inner in LUA_AWFY]
    result += [Benchmark(name, "%s %s" % (name, size)) for name, size in LUA_EXTRA]
    return result


def gc_benchmarks():
    result = []
    for name, source, args in GC_PROGRAMS:
        expected = os.path.join(GC_EXPECTED, "%s-%s.out" % (name, "-".join(args)))
        label = "%s %s" % (os.path.basename(source), " ".join(args))
        result.append(Benchmark(name, label, expected))
    return result


SUITES = {
    "bf": (
        "Brainfuck (bf)",
        lambda: [Benchmark(name) for name in BF_BENCHMARKS],
        prepare_bf,
    ),
    "lisp": (
        "Lisp interpreter (lisp)",
        lambda: [
            Benchmark(name, expected=os.path.join(LISP_EXAMPLES, name[:-4] + ".out"))
            for name in LISP_BENCHMARKS
        ],
        prepare_lisp,
    ),
    "gc": ("Garbage collectors (gc)", gc_benchmarks, prepare_gc),
    "lua": ("Lua VM (lua)", lua_benchmarks, prepare_lua),
}


# --- measuring ----------------------------------------------------------------------


def kill_group(proc):
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except OSError:
        pass


def measure_once(impl, bench, cap, rss_helper):
    """Run one implementation on one benchmark once."""
    run = Run()
    argv = impl.argv_for[bench.name]
    result_file = None
    if rss_helper:
        result_file = os.path.join(BUILD, "runrss.result")
        if os.path.exists(result_file):
            os.remove(result_file)
        argv = [rss_helper, result_file] + argv
    start = time.perf_counter()
    try:
        proc = subprocess.Popen(
            argv,
            cwd=ROOT,
            env=impl.run_env(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,  # a time-out kills the helper and its child alike
        )
    except OSError as exc:
        run.elapsed = 0.0
        run.returncode = 127
        run.stderr = str(exc).encode("utf-8")
        return run
    try:
        run.stdout, run.stderr = proc.communicate(timeout=cap)
    except subprocess.TimeoutExpired:
        kill_group(proc)
        proc.communicate()
        run.timed_out = True
        return run
    run.elapsed = time.perf_counter() - start
    run.returncode = proc.returncode
    if result_file and os.path.exists(result_file):
        with open(result_file) as f:
            fields = f.read().split()
        if len(fields) == 2:
            run.rss_kib = int(fields[0])
            run.elapsed = float(fields[1])  # excludes the helper's own start-up
    return run


def run_suite(suite, reps, cap, once_over):
    impls, benchmarks = suite.impls, suite.benchmarks
    results = {(impl.name, b.name): Measurement() for impl in impls for b in benchmarks}
    suite.results = results
    references = {}
    for bench in benchmarks:
        if bench.expected:
            path = os.path.join(ROOT, bench.expected)
            if not os.path.isfile(path):
                raise SetupError("expected output %s not found" % bench.expected)
            with open(path, "rb") as f:
                references[bench.name] = f.read()
    for rep in range(1, reps + 1):
        for bench in benchmarks:
            for impl in impls:
                m = results[(impl.name, bench.name)]
                if impl.unavailable or m.timed_out or m.failure or m.unavailable or m.long:
                    continue
                print(
                    "[%s %d/%d] %-14s %-28s" % (suite.key, rep, reps, bench.name, impl.name),
                    end=" ",
                    flush=True,
                )
                run = measure_once(impl, bench, cap, suite.rss_helper)
                if run.timed_out:
                    m.timed_out = True
                    print(">%g s (time cap)" % cap, flush=True)
                    continue
                stderr = run.stderr.decode("utf-8", "replace")
                failure = None
                reference = references.get(bench.name)
                if run.returncode != 0:
                    if impl.memory_cap and "MemoryError" in stderr:
                        m.unavailable = "MemoryError: over KILN_GC_MAX_HEAP=%s" % impl.memory_cap
                        print("%.2f s  %s" % (run.elapsed, m.unavailable), flush=True)
                        continue
                    failure = "exit code %d: %s" % (run.returncode, last_line(stderr)[:200])
                elif reference is not None and run.stdout != reference:
                    failure = "OUTPUT MISMATCH: %d bytes, expected %d bytes" % (
                        len(run.stdout),
                        len(reference),
                    )
                if failure:
                    m.failure = failure
                    print("%.2f s  %s" % (run.elapsed, failure), flush=True)
                    print(
                        "\n*** %s: %s on %s: %s ***\n" % (suite.key, impl.name, bench.name, failure),
                        file=sys.stderr,
                        flush=True,
                    )
                    if reference is None:
                        raise SetupError(
                            "the reference implementation %s failed on %s: %s"
                            % (impl.name, bench.name, failure)
                        )
                    continue
                if reference is None:
                    references[bench.name] = run.stdout
                m.times.append(run.elapsed)
                note = ""
                if once_over and run.elapsed > once_over and rep < reps:
                    m.long = True
                    note = "  (over %g s: not repeated)" % once_over
                if run.rss_kib is not None:
                    m.rss_kib.append(run.rss_kib)
                    note = "  %.1f MiB%s" % (run.rss_kib / 1024.0, note)
                print("%.2f s%s" % (run.elapsed, note), flush=True)
    return results


# --- reporting ----------------------------------------------------------------------


def time_cell(impl, m, cap):
    """(text, ratio placeholder): the ratio is None when the median is known."""
    if impl.unavailable:
        return "n/a (%s)" % impl.unavailable, "-"
    if m.failure:
        return "FAILED (%s)" % m.failure, "-"
    if m.unavailable:
        return "n/a (%s)" % m.unavailable, "-"
    if m.timed_out:
        # Any run over the cap makes the median unknown; say what the others took.
        finished = ", ".join("%.2f" % t for t in m.times)
        note = " (under the cap: %s)" % finished if finished else ""
        return ">%g s%s" % (cap, note), "-"
    if not m.times:
        return "not run", "-"
    runs = " (%d run%s)" % (len(m.times), "" if len(m.times) == 1 else "s") if m.long else ""
    return "%.2f%s" % (statistics.median(m.times), runs), None


def rss_cell(suite, impl, m):
    if suite.rss_unavailable:
        return "n/a (%s)" % suite.rss_unavailable
    if not m.rss_kib or impl.unavailable or m.failure or m.unavailable:
        return "-"
    text = "%.1f" % (statistics.median(m.rss_kib) / 1024.0)
    return text + (" (finished runs)" if m.timed_out else "")


def table_by_benchmark(suite, cap):
    """One row per benchmark, two columns (time, ratio) per implementation, and the
    geometric mean of each implementation's ratios over the benchmarks it ran."""
    header = ["benchmark"]
    for impl in suite.impls:
        header += ["%s median (s)" % impl.name, "ratio"]
    rows = [header, ["---"] * len(header)]
    logs = {impl.name: [] for impl in suite.impls}
    for bench in suite.benchmarks:
        row = [bench.label]
        base = suite.results.get((suite.reference, bench.name))
        for impl in suite.impls:
            m = suite.results[(impl.name, bench.name)]
            text, ratio = time_cell(impl, m, cap)
            if ratio is None and base is not None and base.times and not base.timed_out:
                value = statistics.median(m.times) / statistics.median(base.times)
                ratio = "%.2f" % value
                logs[impl.name].append(math.log(value))
            elif ratio is None:
                ratio = "n/a (no reference time)"
            row += [text, ratio]
        rows.append(row)
    geo = ["geometric mean of the ratios"]
    for impl in suite.impls:
        values = logs[impl.name]
        if impl.unavailable or not values:
            geo += ["", "-"]
        else:
            missing = len(suite.benchmarks) - len(values)
            note = " (%d benchmark%s missing)" % (missing, "" if missing == 1 else "s") if missing else ""
            geo += ["", "**%.2f**%s" % (math.exp(sum(values) / len(values)), note)]
    rows.append(geo)
    return "\n".join("| " + " | ".join(row) + " |" for row in rows)


def table(suite, cap):
    if suite.transposed:
        return table_by_benchmark(suite, cap)
    benchmarks = suite.benchmarks
    header = ["implementation"]
    for bench in benchmarks:
        header += ["%s median (s)" % bench.label, "ratio to %s" % suite.reference]
        if suite.show_rss:
            header.append("peak RSS (MiB)")
    rows = [header, ["---"] * len(header)]
    for impl in suite.impls:
        row = [impl.name]
        for bench in benchmarks:
            m = suite.results[(impl.name, bench.name)]
            text, ratio = time_cell(impl, m, cap)
            base = suite.results.get((suite.reference, bench.name))
            if ratio is None and base is not None and base.times and not base.timed_out:
                ratio = "%.2f" % (statistics.median(m.times) / statistics.median(base.times))
            elif ratio is None:
                ratio = "n/a (no reference time)"
            row += [text, ratio]
            if suite.show_rss:
                row.append(rss_cell(suite, impl, m))
        rows.append(row)
    return "\n".join("| " + " | ".join(row) + " |" for row in rows)


def tool_version(argv):
    try:
        result = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    except (FileNotFoundError, PermissionError):
        return "not installed"
    lines = result.stdout.decode("utf-8", "replace").strip().splitlines()
    return " ".join(line.strip() for line in lines[:2]) if lines else "unknown"


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def memory_total():
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    return "%.1f GiB" % (int(line.split()[1]) / 1024.0 / 1024.0)
    except (OSError, ValueError, IndexError):
        pass
    return "unknown"


def kiln_version():
    path = os.path.join(ROOT, KILN)
    if not os.path.exists(path):
        return "%s not built" % KILN
    built = datetime.datetime.fromtimestamp(os.path.getmtime(path), datetime.timezone.utc)
    text = "%s (%s built %s)" % (
        tool_version([path, "--version"]),
        KILN,
        built.strftime("%Y-%m-%d %H:%M UTC"),
    )
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        if head.returncode == 0:
            text += ", source tree at commit %s plus uncommitted changes, if any" % (
                head.stdout.decode().strip()
            )
    except FileNotFoundError:
        pass
    return text


def machine_lines(machine):
    return [
        "## Machine",
        "",
        "- started: %s; finished: %s (%.0f s in all)"
        % (
            machine["started"].strftime("%Y-%m-%d %H:%M UTC"),
            machine["finished"].strftime("%H:%M UTC"),
            machine["duration"],
        ),
        "- CPU: %s; nproc: %d; memory: %s" % (cpu_model(), os.cpu_count() or 0, memory_total()),
        "- system: %s %s" % (platform.system(), platform.release()),
        "- load average (1, 5, 15 min) at the start: %s; at the end: %s"
        % (machine["load_start"], machine["load_end"]),
        "- kiln: %s" % machine["kiln"],
        "- rustc: %s; LLVM: %s"
        % (
            tool_version(["rustc", "--version"]),
            tool_version(["/usr/lib/llvm-19/bin/llvm-config", "--version"]),
        ),
        "- gcc: %s" % tool_version(["gcc", "--version"]).split("Copyright")[0].strip(),
        "- python3: %s" % tool_version(["python3", "--version"]),
        "- pypy3: %s" % tool_version(["pypy3", "--version"]),
    ]


def load_text(load):
    return ", ".join("%.2f" % x for x in load)


def suite_lines(suite, args):
    lines = ["## %s" % suite.title, ""]
    lines += suite.description
    lines.append("")
    if suite.setup_error:
        lines += ["**Suite FAILED before measuring**: %s" % suite.setup_error.splitlines()[0], ""]
        if len(suite.setup_error.splitlines()) > 1:
            lines += ["```"] + suite.setup_error.splitlines()[1:40] + ["```", ""]
    if suite.started is not None:
        lines += [
            "Started %s, %.0f s; load average (1, 5, 15 min) at its start: %s; at its end: %s."
            % (
                suite.started.strftime("%H:%M UTC"),
                suite.duration or 0.0,
                load_text(suite.load_start),
                load_text(suite.load_end or suite.load_start),
            ),
            "Median wall-clock time of %d repetitions (lower is faster); time cap per run: %g s%s."
            % (args.reps, args.cap, once_over_text(args)),
            "",
        ]
    if suite.results:
        lines += [table(suite, args.cap), ""]
    if suite.impls:
        lines += ["Commands, run from the repository root:", ""]
        if suite.rss_helper:
            lines.append(
                "- every run below goes through `%s RESULT_FILE COMMAND...` (peak RSS and "
                "time); build: `gcc -O2 -o %s %s`" % (RUNRSS, RUNRSS, RUNRSS_SOURCE)
            )
        for impl in suite.impls:
            lines.append("- %s:" % impl.name)
            for argv in impl.build_commands:
                lines.append("  - build: `%s`" % " ".join(argv))
            for bench in suite.benchmarks:
                lines.append("  - run %s: `%s`" % (bench.name, impl.describe_run(bench.name)))
            if impl.unavailable:
                lines.append("  - n/a: %s" % impl.unavailable)
        lines.append("")
    return lines


def once_over_text(args):
    if not args.once_over or args.reps < 2:
        return ""
    return "; a run over %g s is not repeated (its row shows \"(1 run)\")" % args.once_over


def failures_of(suite):
    problems = []
    if suite.setup_error:
        problems.append("- %s: %s" % (suite.key, suite.setup_error.splitlines()[0]))
    for impl in suite.impls:
        for bench in suite.benchmarks:
            m = suite.results.get((impl.name, bench.name))
            if m is not None and m.failure:
                problems.append("- %s: %s on %s: %s" % (suite.key, impl.name, bench.name, m.failure))
    return problems


def report(suites, args, machine, command):
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`%s`); every run overwrites this file." % command,
        "Each suite runs all its rows in one session, repetitions interleaved, so that the",
        "drift of this shared, noisy machine affects all rows alike: compare the ratios",
        "within a table rather than absolute times across runs, and see the load averages.",
        "",
    ]
    lines += machine_lines(machine) + [""]
    for suite in suites:
        lines += suite_lines(suite, args)
    problems = [p for suite in suites for p in failures_of(suite)]
    if problems:
        lines += ["## FAILURES", ""] + problems + [""]
    return "\n".join(lines).rstrip("\n") + "\n"


# --- main ---------------------------------------------------------------------------


def parse_list(text):
    return [item.strip() for item in text.split(",") if item.strip()]


def main(argv):
    parser = argparse.ArgumentParser(
        description="Run Kiln's benchmark suites (bf, lisp, gc, lua) and write bench/results.md."
    )
    parser.add_argument(
        "--suites",
        default=",".join(SUITE_NAMES),
        help="comma-separated suites to run (default: %s)" % ",".join(SUITE_NAMES),
    )
    parser.add_argument("--reps", type=int, default=3, help="repetitions (default 3)")
    parser.add_argument(
        "--cap", type=float, default=120.0, help="time cap per run in seconds (default 120)"
    )
    parser.add_argument(
        "--once-over",
        type=float,
        default=100.0,
        help="a run longer than this many seconds is not repeated; 0 repeats every run "
        "(default 100: keeps the default run near 15 minutes)",
    )
    all_names = [b.name for key in SUITE_NAMES for b in SUITES[key][1]()]
    parser.add_argument(
        "--only",
        help="comma-separated benchmarks to run, in any suite (default: all of the selected "
        "suites': %s)" % ",".join(all_names),
    )
    parser.add_argument(
        "--benchmarks",
        default=DEFAULT_BENCHMARKS,
        help="directory holding the .b programs (default: ../shared/benchmarks/bf)",
    )
    parser.add_argument(
        "--output",
        default=os.path.join(ROOT, "bench", "results.md"),
        help="where to write the results (default: bench/results.md)",
    )
    args = parser.parse_args(argv)
    if args.reps < 1:
        parser.error("--reps must be at least 1")
    if args.cap <= 0:
        parser.error("--cap must be positive")
    if args.once_over < 0:
        parser.error("--once-over must not be negative")
    keys = parse_list(args.suites)
    unknown = [k for k in keys if k not in SUITES]
    if unknown or not keys:
        parser.error(
            "unknown suite(s): %s (known: %s)" % (", ".join(unknown) or "none given",
                                                   ", ".join(SUITE_NAMES))
        )
    keys = [k for k in SUITE_NAMES if k in keys]  # table order, each once

    suites = []
    for key in keys:
        title, make_benchmarks, _ = SUITES[key]
        suites.append(Suite(key, title, make_benchmarks()))
    if args.only:
        only = parse_list(args.only)
        known = set(b.name for suite in suites for b in suite.benchmarks)
        aliases = {}
        for name in known:
            aliases[name] = name
            aliases[name + ".py"] = name
        unknown = [name for name in only if name not in aliases]
        if unknown:
            parser.error(
                "unknown benchmark(s) for the suites %s: %s (known: %s)"
                % (",".join(keys), ", ".join(unknown), ", ".join(sorted(known)))
            )
        chosen = set(aliases[name] for name in only)
        for suite in suites:
            suite.benchmarks = [b for b in suite.benchmarks if b.name in chosen]
        skipped = [s.key for s in suites if not s.benchmarks]
        if skipped:
            print("no benchmark selected in suite(s) %s: skipped" % ", ".join(skipped))
        suites = [s for s in suites if s.benchmarks]

    command = "python3 bench/run.py" + ("".join(" " + a for a in argv) if argv else "")
    started = datetime.datetime.now(datetime.timezone.utc)
    clock = time.perf_counter()
    machine = {
        "started": started,
        "load_start": load_text(os.getloadavg()),
        "kiln": kiln_version(),
    }
    os.makedirs(BUILD, exist_ok=True)
    bench_dir = os.path.normpath(args.benchmarks)

    def write_report():
        machine["finished"] = datetime.datetime.now(datetime.timezone.utc)
        machine["duration"] = time.perf_counter() - clock
        machine["load_end"] = load_text(os.getloadavg())
        text = report(suites, args, machine, command)
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text)

    for suite in suites:
        print("\n=== suite %s: %s ===" % (suite.key, suite.title), flush=True)
        suite_clock = time.perf_counter()
        suite.started = datetime.datetime.now(datetime.timezone.utc)
        suite.load_start = os.getloadavg()
        try:
            SUITES[suite.key][2](suite, bench_dir)
            run_suite(suite, args.reps, args.cap, args.once_over)
        except SetupError as exc:
            suite.setup_error = str(exc)
            print("run.py: suite %s: %s" % (suite.key, exc), file=sys.stderr, flush=True)
        suite.load_end = os.getloadavg()
        suite.duration = time.perf_counter() - suite_clock
        write_report()  # keep what is measured so far, should a later suite be interrupted

    write_report()
    for suite in suites:
        print("\n%s (ratios to %s)" % (suite.title, suite.reference or "-"))
        if suite.results:
            print(table(suite, args.cap))
        if suite.setup_error:
            print("FAILED: %s" % suite.setup_error.splitlines()[0])
    print("\nwritten to %s (%.0f s in all)" % (rel(args.output), machine["duration"]))
    problems = [p for suite in suites for p in failures_of(suite)]
    if problems:
        print(
            "\n*** %d problem(s): a suite could not run, or a row FAILED or produced the wrong"
            " output ***\n%s" % (len(problems), "\n".join(problems)),
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
