"""The som suite: PySOM (the SOM Smalltalk VM of the Are-We-Fast-Yet study, an RPython
interpreter written by others) translated unmodified by Kiln, bytecode and AST variants,
with and without --jit, against pypy3 running PySOM from source."""

import os
import shutil

from benchlib import *  # noqa: F401,F403 (the constants, classes and helpers)


def som_argv(vm_argv, bench, size):
    """BenchmarkHarness.som as rebench.conf's macro/micro-startup command runs it (one
    iteration of the set's size, `--gc`), stdout filtered of the lines that report times
    (tests/som/filter_times.sh), so that the outputs of every row can be compared."""
    core = SOM_CORE
    classpath = ":".join(os.path.join(core, d) for d in SOM_CLASSPATH)
    harness = os.path.join(core, "Examples", "Benchmarks", "BenchmarkHarness.som")
    command = vm_argv + ["-cp", classpath, harness, "--gc", bench, "1", str(size)]
    return ["bash", "-c", 'set -o pipefail; "$@" | "$0"', SOM_FILTER] + command


def prepare_som(suite, bench_dir):
    suite.transposed = True
    pysom = SOM_PYSOM
    if not os.path.isfile(os.path.join(ROOT, pysom, "src", "main_rpython.py")):
        raise SetupError("PySOM is not in %s" % os.path.normpath(os.path.join(ROOT, pysom)))
    src = os.path.join(pysom, "src")
    target = os.path.join(src, "main_rpython.py")
    rows = []
    for variant in ("BC", "AST"):
        for jit in (False, True):
            binary = os.path.join(BUILD_REL, "som-%s%s" % (variant.lower(), "-jit" if jit else ""))
            build = ["env", "SOM_INTERP=" + variant, KILN, "translate", target, "--opt=2"]
            build += (["--jit"] if jit else []) + ["-o", binary]
            name = "kiln som-%s%s" % (variant.lower(), " --jit" if jit else "")
            impl = Implementation(name, [build])
            impl.jitlog = jit
            impl.unavailable = translate_timed(build, binary, suite, name)
            for bench, size in SOM_BENCHMARKS:
                impl.argv_for[bench] = som_argv([binary], bench, size)
            rows.append(impl)
    # PySOM finds Kiln's `rpython` package through PYTHONPATH, its own modules next to
    # main.py.
    pypy = Implementation(
        "pypy3 (PySOM from source, BC)", env={"SOM_INTERP": "BC", "PYTHONPATH": "runtime/python"}
    )
    if shutil.which("pypy3") is None:
        pypy.unavailable = "pypy3 not installed"
    for bench, size in SOM_BENCHMARKS:
        pypy.argv_for[bench] = som_argv(["pypy3", os.path.join(src, "main.py")], bench, size)
    suite.description = [
        "PySOM (`../shared/benchmarks/som/PySOM`, unmodified) translated by Kiln (`--opt=2`,",
        "incminimark) with `SOM_INTERP=BC` (bytecode interpreter) and `SOM_INTERP=AST`",
        "(AST interpreter), each with `--jit` and without, and pypy3 running PySOM from",
        "source with Kiln's `rpython` support package. The benchmarks and sizes are",
        "rebench.conf's macro-startup and micro-startup sets (one iteration of",
        "`BenchmarkHarness.som --gc Name 1 size`; the harness checks each benchmark's",
        "result). **Ratios are relative to pypy3** (time / pypy3's; lower is faster); every",
        "output, without the lines reporting times, must equal pypy3's.",
    ]
    suite.speedups = [(rows[0].name, rows[1].name), (rows[2].name, rows[3].name)]
    suite.impls = [pypy] + rows
    suite.reference = pypy.name


def som_benchmarks():
    return [Benchmark(name, "%s %d" % (name, size)) for name, size in SOM_BENCHMARKS]
