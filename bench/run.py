#!/usr/bin/env python3
"""Run Kiln's benchmark suites side by side and report medians and ratios.

Usage: python3 bench/run.py [--suites bf,lisp,gc,lua,som] [--reps N] [--cap SECONDS]
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
  - ``kiln --jit`` and ``kiln (no JIT)``: interpreters/bf/bf.py translated with
    ``target/release/kiln translate``, with ``--jit`` and without;
  - ``pypy3`` and ``python3`` running interpreters/bf/bf.py.
  Every output must equal the C interpreter's.

``lisp``: the Scheme-subset interpreter interpreters/lisp/lisp.py running
  examples/bench_fib.scm and examples/loop.scm: translated by Kiln (``--opt=2``, the
  default collector) with ``--jit`` and without, and pypy3 and python3 running lisp.py. Reference: python3. Every
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
  Rows: the Kiln VM (no JIT), the Kiln VM translated with --jit, lua5.4
  (the reference, whose output every other row must reproduce) and luajit. One row per
  benchmark, with the geometric mean of the ratios.

``som``: PySOM (../shared/benchmarks/som/PySOM, the SOM Smalltalk VM of the
  Are-We-Fast-Yet study), translated unmodified by Kiln with SOM_INTERP=BC and
  SOM_INTERP=AST, each with --jit and without, and pypy3 running PySOM from source (the
  reference) with Kiln's rpython support package. The benchmarks and sizes are
  rebench.conf's macro-startup and micro-startup sets, one iteration each through
  BenchmarkHarness.som, which checks each result; outputs are compared without the lines
  that report times (tests/som/filter_times.sh). One row per benchmark, with the
  geometric mean of the ratios.

Every suite that translates with Kiln reports each translation's wall time and peak
memory (/usr/bin/time). The --jit rows (bf, lisp, lua, som) are compared with the same program
translated without the JIT (the speed-up: the ratio of the two medians). For bf and lisp
the --jit VM runs once more per benchmark with KILN_JITLOG=build/bench/SUITE-BENCH.jitlog,
its output verified too, and the counters at the end of the log are reported: time to the
first compiled loop, loops and bridges compiled, aborts, and the time spent tracing,
optimizing and compiling.

The code: this file (measuring, reporting, the command line), bench/benchlib.py (what the
suites share) and one bench/suite_*.py per suite.

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
import copy
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

from benchlib import *  # noqa: F401,F403 (the constants, classes and helpers)
from suite_bf import prepare_bf
from suite_gc import gc_benchmarks, prepare_gc
from suite_lisp import prepare_lisp
from suite_lua import lua_benchmarks, prepare_lua
from suite_som import prepare_som, som_benchmarks


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
    "som": ("SOM Smalltalk: PySOM (som)", som_benchmarks, prepare_som),
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
    for impl in impls:
        if impl.jitlog and not impl.unavailable:
            for bench in benchmarks:
                measure_warmup(suite, impl, bench, cap, references.get(bench.name))
    return results


def measure_warmup(suite, impl, bench, cap, reference):
    """One more run of a --jit VM with KILN_JITLOG: the JIT's counters go to
    suite.warmup; a failure or a wrong output there is a failure of the row."""
    m = suite.results[(impl.name, bench.name)]
    if m.failure or m.timed_out or m.unavailable:
        return
    log = os.path.join(BUILD, "%s-%s.jitlog" % (suite.key, bench.name))
    if os.path.exists(log):
        os.remove(log)
    logged = copy.copy(impl)
    logged.env = dict(impl.env, KILN_JITLOG=rel(log))
    print("[%s warm-up] %-14s %-28s" % (suite.key, bench.name, impl.name), end=" ", flush=True)
    run = measure_once(logged, bench, cap, None)
    failure = None
    if run.timed_out:
        failure = "with KILN_JITLOG: over the time cap"
    elif run.returncode != 0:
        failure = "with KILN_JITLOG: exit code %d: %s" % (
            run.returncode, last_line(run.stderr.decode("utf-8", "replace"))[:200])
    elif reference is not None and run.stdout != reference:
        failure = "with KILN_JITLOG: OUTPUT MISMATCH"
    else:
        try:
            counters = parse_jitlog(log)
        except ValueError as exc:
            failure = str(exc)
    if failure:
        m.failure = failure
        print(failure, flush=True)
        print("\n*** %s: %s on %s: %s ***\n" % (suite.key, impl.name, bench.name, failure),
              file=sys.stderr, flush=True)
        return
    counters["run_s"] = "%.2f" % run.elapsed
    counters["command"] = logged.describe_run(bench.name)
    suite.warmup[(impl.name, bench.name)] = counters
    print("%.2f s  %s" % (run.elapsed, " ".join("%s=%s" % (k, counters.get(k, "?"))
                                                 for k, _ in JITLOG_COUNTERS)), flush=True)


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
        lines += speedup_lines(suite) + warmup_lines(suite)
    if suite.translations:
        lines += ["Translation (wall time and peak memory, `/usr/bin/time -f '%e %M'`, one run):", ""]
        for name, argv, text in suite.translations:
            lines.append("- %s: %s (`%s`)" % (name, text, " ".join(argv)))
        lines.append("")
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


def speedup_lines(suite):
    """The JIT's speed-up: the ratio of the medians of two rows of the same table."""
    lines = []
    for slow, fast in suite.speedups:
        for bench in suite.benchmarks:
            a, b = suite.results.get((slow, bench.name)), suite.results.get((fast, bench.name))
            if not (a and b and a.times and b.times) or a.timed_out or b.timed_out:
                continue
            if a.failure or b.failure:
                continue
            lines.append("- %s: %s / %s = **%.2fx**" % (
                bench.label, slow, fast, statistics.median(a.times) / statistics.median(b.times)))
    if lines:
        lines = ["Speed-up of the JIT (ratio of the medians above):", ""] + lines + [""]
    return lines


def warmup_lines(suite):
    """The JIT's warm-up: the counters at the end of KILN_JITLOG, one row per run."""
    if not suite.warmup:
        return []
    header = ["run with KILN_JITLOG", "time (s)"] + [label for _, label in JITLOG_COUNTERS]
    rows = [header, ["---"] * len(header)]
    commands = []
    for impl in suite.impls:
        for bench in suite.benchmarks:
            c = suite.warmup.get((impl.name, bench.name))
            if c is None:
                continue
            rows.append(["%s, %s" % (impl.name, bench.label), c["run_s"]]
                        + [c.get(key, "?") for key, _ in JITLOG_COUNTERS])
            commands.append("- `%s`" % c["command"])
    lines = ["The JIT's warm-up (the counters at the end of its log; one run each, not timed with",
             "the others; times are seconds since the VM started, or spent in each phase):", ""]
    lines += ["| " + " | ".join(r) + " |" for r in rows] + [""] + commands + [""]
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
