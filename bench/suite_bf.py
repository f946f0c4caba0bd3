"""The bf suite: mandel.b and bench.b on the C interpreter, bf2c + gcc, Kiln's bf
(with and without --jit), pypy3 and python3."""

import os
import shutil

from benchlib import *  # noqa: F401,F403 (the constants, classes and helpers)


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
        "interpreters/bf/bf.py with `--jit` and without (the interpreter alone), and pypy3 and",
        "python3 running bf.py. Every output must equal the C interpreter's. The JIT's",
        "warm-up comes from one more run of the `--jit` VM per program with `KILN_JITLOG`",
        "(not one of the timed runs: writing the log costs time).",
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

    jit_build = [KILN, "translate", BF_PY, "--jit", "--opt=2", "-o", BF_KILN_JIT_BINARY]
    jit = Implementation("kiln --jit", [jit_build])
    jit.jitlog = True
    jit.unavailable = translate_timed(jit_build, BF_KILN_JIT_BINARY, suite, jit.name)
    build = [KILN, "translate", BF_PY, "--opt=2", "-o", BF_KILN_BINARY]
    kiln = Implementation("kiln (no JIT)", [build])
    kiln.unavailable = translate_timed(build, BF_KILN_BINARY, suite, kiln.name)
    for bench in benchmarks:
        jit.argv_for[bench.name] = [BF_KILN_JIT_BINARY, rel(programs[bench.name])]
        kiln.argv_for[bench.name] = [BF_KILN_BINARY, rel(programs[bench.name])]
    suite.speedups = [(kiln.name, jit.name)]

    suite.impls = [c_interp, bf2c, jit, kiln] + python_rows(
        benchmarks, lambda b: [BF_PY, rel(programs[b.name])]
    )
    suite.reference = c_interp.name
