#!/usr/bin/env python3
"""Differential runner for generated RPy programs: CPython against `kiln run` and the
translated binary.

For each seed in [--seed, --seed + --count) it generates a program with gen_rpy.py, runs
it under CPython (the oracle), under `kiln run` (the llinterp) and as a binary translated
with one collector (rotating through the four by seed; every seventh program runs the
incminimark binary under KILN_GC_DEBUG=1 with a small nursery), and compares stdout, the
exit code and, when the program failed, the last line of stderr. A translation that fails
is a finding too: the generator believes every program it writes is valid RPy.

Each finding is saved as DIR/seed-N/prog.py with a report.txt saying what differed.
Exit status: 0 when every program agreed, 1 otherwise.

    python3 tests/fuzz/run_diff.py --count 200 --seed 1 --jobs 2
"""

import argparse
import concurrent.futures
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import gen_rpy  # noqa: E402

GCS = ["incminimark", "semispace", "marksweep", "none"]


def last_line(text):
    lines = [l for l in text.splitlines() if l.strip()]
    return lines[-1] if lines else ""


def run(cmd, timeout, env=None, cwd=None):
    """(stdout, exit code, last stderr line), or None on a timeout."""
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=timeout, env=env, cwd=cwd)
    except subprocess.TimeoutExpired:
        return None
    return (p.stdout.decode("utf-8", "replace"), p.returncode, last_line(p.stderr.decode("utf-8", "replace")),
            p.stderr.decode("utf-8", "replace"))


def check(seed, args, work):
    """Runs one program every way; returns (executions, [problem text])."""
    src = gen_rpy.generate(seed, args.cases)
    d = os.path.join(work, "seed-%d" % seed)
    os.makedirs(d, exist_ok=True)
    prog = os.path.join(d, "prog.py")
    with open(prog, "w") as f:
        f.write(src)
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "runtime", "python"))
    problems = []
    execs = 0
    expected = run([sys.executable, prog], args.timeout, env=env, cwd=d)
    execs += 1
    if expected is None:
        return execs, ["generator: CPython did not finish in %ss" % args.timeout], src
    if expected[1] not in (0, 1, 2, 3, 4) or "Error" in expected[2] and expected[2].startswith(("SyntaxError", "NameError", "TypeError", "AttributeError", "UnboundLocalError", "RecursionError")):
        # The generator promises well-typed programs: these mean it is wrong.
        return execs, ["generator: CPython failed: %s" % expected[3][-2000:]], src
    gc = GCS[seed % len(GCS)]
    gc_env = dict(os.environ)
    way = "translated --gc=%s" % gc
    if seed % 7 == 0:
        gc, gc_env = "incminimark", dict(os.environ, KILN_GC_DEBUG="1", KILN_GC_NURSERY="64k")
        way = "translated --gc=incminimark, KILN_GC_DEBUG=1 KILN_GC_NURSERY=64k"
    ways = []
    ways.append(("kiln run", run([args.kiln, "run", "-q", prog], args.timeout * 3, cwd=d)))
    execs += 1
    exe = os.path.join(d, "prog.bin")
    t = run([args.kiln, "translate", "-q", prog, "-o", exe, "--gc", gc, "--opt", str(seed % 3)], args.timeout * 6, cwd=d)
    if t is None or t[1] != 0:
        problems.append("translation with --gc=%s failed:\n%s" % (gc, "timeout" if t is None else t[3][-4000:]))
    else:
        ways.append((way, run([exe], args.timeout, env=gc_env, cwd=d)))
        execs += 1
    for name, got in ways:
        if got is None:
            problems.append("%s: timed out" % name)
            continue
        if got[0] != expected[0]:
            problems.append("%s: stdout differs\n%s" % (name, diff(expected[0], got[0])))
        if got[1] != expected[1]:
            problems.append("%s: exit code %d (CPython %d)\n%s" % (name, got[1], expected[1], got[3][-2000:]))
        elif expected[1] != 0 and got[2] != expected[2]:
            problems.append("%s: last stderr line %r (CPython %r)" % (name, got[2], expected[2]))
    return execs, problems, src


def diff(a, b):
    import difflib
    out = list(difflib.unified_diff(a.splitlines(), b.splitlines(), "CPython", "kiln", lineterm="", n=1))
    return "\n".join(out[:40])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--cases", type=int, default=10, help="cases per program")
    ap.add_argument("--timeout", type=float, default=10.0, help="seconds per run (translation gets 6x)")
    ap.add_argument("--kiln", default=os.environ.get("KILN", os.path.join(ROOT, "target", "release", "kiln")))
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "fuzz-findings"), help="where findings are saved")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args()
    args.kiln = os.path.abspath(args.kiln)
    if not os.access(args.kiln, os.X_OK):
        sys.exit("run_diff: no kiln binary at %s (cargo build --release -p kiln-cli -p kiln-runtime)" % args.kiln)
    start = time.time()
    work = tempfile.mkdtemp(prefix="kiln-fuzz-")
    findings = 0
    execs = 0
    seeds = range(args.seed, args.seed + args.count)
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            futures = {pool.submit(check, s, args, work): s for s in seeds}
            for fut in concurrent.futures.as_completed(futures):
                seed = futures[fut]
                n, problems, src = fut.result()
                execs += n
                if problems:
                    findings += 1
                    dest = os.path.join(args.out, "seed-%d" % seed)
                    os.makedirs(dest, exist_ok=True)
                    with open(os.path.join(dest, "prog.py"), "w") as f:
                        f.write(src)
                    with open(os.path.join(dest, "report.txt"), "w") as f:
                        f.write("\n\n".join(problems) + "\n")
                    print("FINDING seed %d (%s):\n  %s" % (seed, dest, "\n  ".join(problems[0].splitlines()[:12])), flush=True)
                shutil.rmtree(os.path.join(work, "seed-%d" % seed), ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    took = time.time() - start
    print("run_diff: %d programs (seeds %d..%d), %d executions, %d with findings, %.0fs"
          % (args.count, args.seed, args.seed + args.count - 1, execs, findings, took))
    if findings:
        print("run_diff: reproduce with the files under %s (README in tests/fuzz)" % args.out)
    sys.exit(1 if findings else 0)


if __name__ == "__main__":
    main()
