#!/usr/bin/env python3
"""Run the Brainfuck benchmarks side by side and report ratios against a C interpreter.

Usage: python3 bench/run.py [--reps N] [--cap SECONDS] [--only NAME,...] [--output FILE]

Every benchmark program (mandel.b and bench.b from ../shared/benchmarks/bf/) runs on
every implementation in one session, repetitions interleaved, so that drift of the
machine affects all rows alike (absolute times on these machines drift from run to run):

- ``C interpreter``: bench/bf/bf.c built with gcc -O2, the reference (ratio 1.00);
- ``bf2c + gcc``: the program translated to C by bench/bf/bf2c.py, built with gcc -O2,
  the speed limit;
- ``kiln``: interpreters/bf/bf.py translated with ``target/release/kiln translate``;
- ``pypy3`` and ``python3`` running interpreters/bf/bf.py.

The table of median times and ratios is printed and written to bench/results.md
(overwritten), with the date, the machine and the exact commands. An implementation that
cannot run (kiln not built, translation failed, interpreter not installed) gets
``n/a (reason)``; a run over the time cap is reported as ``>cap`` and not repeated.
The stdout of every run must equal the C interpreter's; a mismatch or a failing run is
reported loudly and makes the script exit with status 1. Only the Python standard
library is used.
"""

import argparse
import datetime
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(ROOT, "build", "bench")
DEFAULT_BENCHMARKS = os.path.join(ROOT, os.pardir, "shared", "benchmarks", "bf")
BENCHMARK_NAMES = ("mandel.b", "bench.b")
BF_PY = os.path.join("interpreters", "bf", "bf.py")
KILN = os.path.join("target", "release", "kiln")
KILN_BINARY = os.path.join("build", "bench", "bf-kiln")
TRANSLATE_TIMEOUT = 1800


class SetupError(Exception):
    """A step that every result depends on failed (building the C reference, say)."""


class Implementation(object):
    """One row of the table: how to run a benchmark program, or why it cannot run."""

    def __init__(self, name, build_commands=(), unavailable=None):
        self.name = name
        self.build_commands = list(build_commands)
        self.unavailable = unavailable
        self.argv_for = {}  # benchmark name -> argv, relative to ROOT
        self.env = None

    def describe_run(self, bench):
        prefix = "PYTHONPATH=runtime/python " if self.env else ""
        return prefix + " ".join(self.argv_for[bench])


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


def prepare(benchmarks, programs):
    """Build what is needed and return the implementations in table order."""
    os.makedirs(BUILD, exist_ok=True)
    if shutil.which("gcc") is None:
        raise SetupError("gcc not found: the C reference interpreter cannot be built")

    c_interp = Implementation(
        "C interpreter",
        [["gcc", "-O2", "-o", "build/bench/bf-c", "bench/bf/bf.c"]],
    )
    bf2c = Implementation("bf2c + gcc")
    for bench in benchmarks:
        stem = os.path.splitext(bench)[0]
        c_file = "build/bench/%s.c" % stem
        exe = "build/bench/%s-bf2c" % stem
        bf2c.build_commands.append(
            ["python3", "bench/bf/bf2c.py", rel(programs[bench]), "-o", c_file]
        )
        bf2c.build_commands.append(["gcc", "-O2", "-o", exe, c_file])
        bf2c.argv_for[bench] = [exe]
        c_interp.argv_for[bench] = ["build/bench/bf-c", rel(programs[bench])]
    for impl in (c_interp, bf2c):
        for argv in impl.build_commands:
            run_checked(argv, "building %s" % impl.name)

    kiln = Implementation(
        "kiln",
        [[KILN, "translate", BF_PY, "--opt=2", "-o", KILN_BINARY]],
    )
    kiln.unavailable = build_kiln(kiln.build_commands[0])
    for bench in benchmarks:
        kiln.argv_for[bench] = [KILN_BINARY, rel(programs[bench])]

    impls = [c_interp, bf2c, kiln]
    for python in ("pypy3", "python3"):
        impl = Implementation(python)
        if shutil.which(python) is None:
            impl.unavailable = "%s not installed" % python
        impl.env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "runtime", "python"))
        for bench in benchmarks:
            impl.argv_for[bench] = [python, BF_PY, rel(programs[bench])]
        impls.append(impl)
    return impls


def build_kiln(argv):
    """Translate bf.py with kiln; return None on success, or the reason it is n/a."""
    if not os.path.exists(os.path.join(ROOT, KILN)):
        return "%s not built" % KILN
    target = os.path.join(ROOT, KILN_BINARY)
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
        return "translation produced no %s" % KILN_BINARY
    return None


class Measurement(object):
    """The runs of one implementation on one benchmark."""

    def __init__(self):
        self.times = []
        self.timed_out = False
        self.failure = None  # a loud problem: non-zero exit or wrong output


def measure(impl, bench, cap, reference):
    """Run once; return (seconds or None on time-out, stdout bytes, failure or None)."""
    argv = impl.argv_for[bench]
    start = time.perf_counter()
    try:
        result = subprocess.run(
            argv,
            cwd=ROOT,
            env=impl.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            timeout=cap,
        )
    except subprocess.TimeoutExpired:
        return None, None, None
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        stderr = result.stderr.decode("utf-8", "replace")
        return elapsed, result.stdout, "exit code %d: %s" % (
            result.returncode,
            last_line(stderr),
        )
    if reference is not None and result.stdout != reference:
        return elapsed, result.stdout, "OUTPUT MISMATCH: %d bytes, expected %d bytes" % (
            len(result.stdout),
            len(reference),
        )
    return elapsed, result.stdout, None


def run_all(impls, benchmarks, reps, cap):
    results = {(impl.name, bench): Measurement() for impl in impls for bench in benchmarks}
    references = {}
    for rep in range(1, reps + 1):
        for bench in benchmarks:
            for impl in impls:
                m = results[(impl.name, bench)]
                if impl.unavailable or m.timed_out or m.failure:
                    continue
                print(
                    "[%d/%d] %-8s %-14s" % (rep, reps, bench, impl.name),
                    end=" ",
                    flush=True,
                )
                elapsed, stdout, failure = measure(impl, bench, cap, references.get(bench))
                if elapsed is None:
                    m.timed_out = True
                    print(">%g s (time cap)" % cap, flush=True)
                    continue
                if failure:
                    m.failure = failure
                    print("%.2f s  %s" % (elapsed, failure), flush=True)
                    print(
                        "\n*** %s on %s: %s ***\n" % (impl.name, bench, failure),
                        file=sys.stderr,
                        flush=True,
                    )
                    if bench not in references:
                        raise SetupError(
                            "the C reference interpreter failed on %s: %s" % (bench, failure)
                        )
                    continue
                if bench not in references:
                    references[bench] = stdout
                m.times.append(elapsed)
                print("%.2f s" % elapsed, flush=True)
    return results


def cell(impl, m, cap):
    if impl.unavailable:
        return "n/a (%s)" % impl.unavailable, "-"
    if m.failure:
        return "FAILED (%s)" % m.failure, "-"
    if m.timed_out:
        # Any run over the cap makes the median unknown; say what the others took.
        finished = ", ".join("%.2f" % t for t in m.times)
        note = " (under the cap: %s)" % finished if finished else ""
        return ">%g s%s" % (cap, note), "-"
    return "%.2f" % statistics.median(m.times), None


def table(impls, benchmarks, results, cap):
    header = ["implementation"]
    for bench in benchmarks:
        header += ["%s median (s)" % bench, "%s ratio" % bench]
    rows = [header, ["---"] * len(header)]
    reference = impls[0]
    for impl in impls:
        row = [impl.name]
        for bench in benchmarks:
            m = results[(impl.name, bench)]
            text, ratio = cell(impl, m, cap)
            base = results[(reference.name, bench)]
            if ratio is None and base.times:
                ratio = "%.2f" % (statistics.median(m.times) / statistics.median(base.times))
            elif ratio is None:
                ratio = "n/a (no reference time)"
            row += [text, ratio]
        rows.append(row)
    return "\n".join("| " + " | ".join(row) + " |" for row in rows)


def tool_version(argv):
    try:
        result = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    except FileNotFoundError:
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


def report(impls, benchmarks, results, args, started, started_load):
    lines = [
        "# Brainfuck benchmarks",
        "",
        "Written by `make bench` (`python3 bench/run.py`); every run overwrites this file.",
        "Median wall-clock time of %d repetitions, run side by side in one session; the"
        % args.reps,
        "ratio is the time divided by the C interpreter's (lower is faster). Time cap per",
        "run: %g s." % args.cap,
        "",
        table(impls, benchmarks, results, args.cap),
        "",
        "## Machine",
        "",
        "- date: %s" % started.strftime("%Y-%m-%d %H:%M UTC"),
        "- nproc: %d" % (os.cpu_count() or 0),
        "- load average (1 min) at the start and the end: %.2f, %.2f"
        % (started_load, os.getloadavg()[0]),
        "- CPU: %s" % cpu_model(),
        "- system: %s %s" % (platform.system(), platform.release()),
        "- gcc: %s" % tool_version(["gcc", "--version"]).split("Copyright")[0].strip(),
        "- python3: %s" % tool_version(["python3", "--version"]),
        "- pypy3: %s" % tool_version(["pypy3", "--version"]),
        "",
        "## Commands",
        "",
        "Run from the repository root.",
        "",
    ]
    for impl in impls:
        lines.append("- %s:" % impl.name)
        for argv in impl.build_commands:
            lines.append("  - build: `%s`" % " ".join(argv))
        for bench in benchmarks:
            lines.append("  - run %s: `%s`" % (bench, impl.describe_run(bench)))
        if impl.unavailable:
            lines.append("  - n/a: %s" % impl.unavailable)
    problems = [
        "- %s on %s: %s" % (impl.name, bench, results[(impl.name, bench)].failure)
        for impl in impls
        for bench in benchmarks
        if results[(impl.name, bench)].failure
    ]
    if problems:
        lines += ["", "## FAILURES", ""] + problems
    return "\n".join(lines) + "\n"


def main(argv):
    parser = argparse.ArgumentParser(
        description="Run the Brainfuck benchmarks and compare against a C interpreter."
    )
    parser.add_argument("--reps", type=int, default=3, help="repetitions (default 3)")
    parser.add_argument(
        "--cap", type=float, default=120.0, help="time cap per run in seconds (default 120)"
    )
    parser.add_argument(
        "--only",
        help="comma-separated benchmarks to run (default: %s)" % ",".join(BENCHMARK_NAMES),
    )
    parser.add_argument(
        "--benchmarks",
        default=DEFAULT_BENCHMARKS,
        help="directory holding the .b programs (default: ../shared/benchmarks/bf)",
    )
    parser.add_argument(
        "--output",
        default=os.path.join(ROOT, "bench", "results.md"),
        help="where to write the results table (default: bench/results.md)",
    )
    args = parser.parse_args(argv)
    if args.reps < 1:
        parser.error("--reps must be at least 1")
    if args.cap <= 0:
        parser.error("--cap must be positive")

    benchmarks = list(BENCHMARK_NAMES)
    if args.only:
        benchmarks = [b.strip() for b in args.only.split(",") if b.strip()]
        unknown = [b for b in benchmarks if b not in BENCHMARK_NAMES]
        if unknown:
            parser.error("unknown benchmark(s): %s" % ", ".join(unknown))
    bench_dir = os.path.normpath(args.benchmarks)
    programs = {b: os.path.join(bench_dir, b) for b in benchmarks}
    missing = [p for p in programs.values() if not os.path.isfile(p)]
    if missing:
        print("run.py: benchmark program(s) not found: %s" % ", ".join(missing), file=sys.stderr)
        return 1

    started = datetime.datetime.now(datetime.timezone.utc)
    started_load = os.getloadavg()[0]
    try:
        impls = prepare(benchmarks, programs)
        results = run_all(impls, benchmarks, args.reps, args.cap)
    except SetupError as exc:
        print("run.py: %s" % exc, file=sys.stderr)
        return 1

    text = report(impls, benchmarks, results, args, started, started_load)
    with open(args.output, "w", encoding="utf-8") as f:
        f.write(text)
    print()
    print(table(impls, benchmarks, results, args.cap))
    print("\nwritten to %s" % rel(args.output))
    failures = [key for key, m in results.items() if m.failure]
    if failures:
        print(
            "\n*** %d implementation/benchmark pair(s) FAILED or produced the wrong output;"
            " see above ***" % len(failures),
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
