"""What bench/run.py and its suites (bench/suite_*.py) share: paths, the benchmark
sizes, the table's data classes, running build steps and translating with kiln."""

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
SUITE_NAMES = ("bf", "lisp", "gc", "lua", "som")

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
LISP_KILN_JIT_BINARY = os.path.join(BUILD_REL, "lisp-kiln-jit")

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
LUA_KILN_JIT_BINARY = os.path.join(BUILD_REL, "lua-kiln-jit")
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

# som: PySOM and SOM's core library in ../shared, run as rebench.conf's macro-startup and
# micro-startup sets do (benchmark, size; one iteration each).
SOM_SHARED = os.path.join(os.pardir, "shared", "benchmarks", "som")  # relative to ROOT
SOM_PYSOM = os.path.join(SOM_SHARED, "PySOM")
SOM_CORE = os.path.join(SOM_SHARED, "core-lib")
SOM_FILTER = os.path.join("tests", "som", "filter_times.sh")
SOM_CLASSPATH = (
    "Smalltalk", "Examples/Benchmarks/Richards", "Examples/Benchmarks/DeltaBlue",
    "Examples/Benchmarks/NBody", "Examples/Benchmarks/Json", "Examples/Benchmarks/GraphSearch",
    "Examples/Benchmarks/LanguageFeatures", "Examples/Benchmarks/TestSuite",
)
SOM_BENCHMARKS = (
    ("Richards", 1), ("DeltaBlue", 100), ("NBody", 1000), ("Json", 1), ("GraphSearch", 7),
    ("PageRank", 75), ("Fannkuch", 7), ("Fibonacci", 10), ("Dispatch", 10), ("Bounce", 10),
    ("Loop", 100), ("Permute", 10), ("Queens", 10), ("List", 2), ("Recurse", 12),
    ("Storage", 8), ("Sieve", 20), ("BubbleSort", 15), ("QuickSort", 15), ("Sum", 40),
    ("Towers", 2), ("TreeSort", 7), ("IntegerLoop", 7), ("FieldLoop", 1), ("WhileLoop", 30),
    ("Mandelbrot", 50), ("IfNil", 80), ("Knapsack", 12), ("VectorBenchmark", 3),
)


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
        self.jitlog = False  # a --jit VM: one more run per benchmark with KILN_JITLOG (warm-up)

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
        self.translations = []  # (implementation, command, "N s, peak memory M MiB")
        self.speedups = []  # (slower row, faster row): "slower / faster" per benchmark
        self.warmup = {}  # (implementation, benchmark) -> the JIT log's counters, or None
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


def translate_timed(build, binary, suite, name):
    """translate() under /usr/bin/time: returns the reason the row is n/a, or None, and
    records the translation's wall time and peak memory in suite.translations."""
    if not os.path.exists("/usr/bin/time"):
        reason = translate(build, binary)
        suite.translations.append((name, build, "not measured (/usr/bin/time missing)"))
        return reason
    timing = os.path.join(BUILD, "%s.translate-time" % os.path.basename(binary))
    if os.path.exists(timing):
        os.remove(timing)
    reason = translate(["/usr/bin/time", "-f", "%e %M", "-o", timing] + build, binary)
    text = "failed" if reason else "not measured"
    if reason is None and os.path.exists(timing):
        with open(timing) as f:
            fields = f.read().split()  # a failing command's line comes first
        if len(fields) >= 2:
            text = "%s s, peak memory %.0f MiB" % (fields[-2], int(fields[-1]) / 1024.0)
    suite.translations.append((name, build, text))
    return reason


# The counters at the end of a JIT log (runtime/jit/src/jitlog.rs), in report order.
JITLOG_COUNTERS = (
    ("first_loop_s", "first compiled loop (s)"),
    ("loops", "loops"),
    ("bridges", "bridges"),
    ("aborts", "aborts"),
    ("tracing_s", "tracing (s)"),
    ("optimizing_s", "optimizing (s)"),
    ("compiling_s", "compiling (s)"),
)


def parse_jitlog(path):
    """The counters of a KILN_JITLOG file ({name: text}), or raise ValueError."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError as exc:
        raise ValueError("no JIT log: %s" % exc)
    if "# counters" not in lines:
        raise ValueError("the JIT log %s has no counters (the run did not finish its JIT)" % rel(path))
    counters = {}
    for line in lines[lines.index("# counters") + 1:]:
        if not line.startswith("#   "):
            break
        fields = line[1:].split()
        if len(fields) == 2:
            counters[fields[0]] = fields[1]
    return counters

