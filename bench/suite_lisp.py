"""The lisp suite: lisp.py's benchmark examples translated by Kiln (with and without
--jit), and on pypy3 and python3."""

import os
import shutil

from benchlib import *  # noqa: F401,F403 (the constants, classes and helpers)


def prepare_lisp(suite, bench_dir):
    suite.description = [
        "The Scheme-subset interpreter interpreters/lisp/lisp.py (an RPy program) running",
        "examples from interpreters/lisp/examples/: `bench_fib.scm` (`(fib 25)`, about",
        "250,000 non-tail calls) and `loop.scm` (tail calls: a named-let loop of a million",
        "iterations and more). Rows: lisp.py translated by Kiln (`--opt=2`, the default",
        "collector, incminimark) with `--jit` and without, and pypy3 and python3 running",
        "lisp.py. **Ratios are relative to python3** (time / python3's time; lower is",
        "faster). Every output must equal the example's `.out` file. The JIT's warm-up comes",
        "from one more run of the `--jit` VM per example with `KILN_JITLOG`.",
    ]
    jit_build = [KILN, "translate", LISP_PY, "--jit", "--opt=2", "-o", LISP_KILN_JIT_BINARY]
    jit = Implementation("kiln --jit (--opt=2, incminimark)", [jit_build])
    jit.jitlog = True
    jit.unavailable = translate_timed(jit_build, LISP_KILN_JIT_BINARY, suite, jit.name)
    build = [KILN, "translate", LISP_PY, "--opt=2", "-o", LISP_KILN_BINARY]
    kiln = Implementation("kiln, no JIT (--opt=2, incminimark)", [build])
    kiln.unavailable = translate_timed(build, LISP_KILN_BINARY, suite, kiln.name)
    examples = {b.name: os.path.join(LISP_EXAMPLES, b.name) for b in suite.benchmarks}
    for bench in suite.benchmarks:
        jit.argv_for[bench.name] = [LISP_KILN_JIT_BINARY, examples[bench.name]]
        kiln.argv_for[bench.name] = [LISP_KILN_BINARY, examples[bench.name]]
    suite.speedups = [(kiln.name, jit.name)]
    suite.impls = [jit, kiln] + python_rows(suite.benchmarks, lambda b: [LISP_PY, examples[b.name]])
    suite.reference = "python3"
