"""PySOM (the SOM Smalltalk VM written for RPython) under CPython on Kiln's
``rpython.rlib`` modules: SOM's test suite must pass with both of its interpreters.

PySOM imports ``rbigint``, ``rerased``, ``rfloat``, ``longlong2float``, ``rstring``,
``rarithmetic`` and ``streamio`` from ``rpython.rlib`` inside ``try/except ImportError``
and falls back to plain Python without them; this test checks that it takes Kiln's
modules (not the fallbacks) and that SOM's ``TestHarness.som`` then passes: its
integer tests overflow into ``rbigint``, its object fields hold doubles through
``float2longlong``, and it prints doubles with ``formatd``.

PySOM is read from ``../shared/benchmarks/som`` beside the repository (``SOM_DIR``
overrides it). With ``rpython`` importable, PySOM writes ``str`` with ``os.write``, as
RPython's (and Kiln's translated) ``os`` allows; importing ``rpython`` gives CPython's
``os.write`` that behaviour (see ``runtime/python/rpython/__init__.py``), so PySOM runs
unpatched.
"""

import os
import re
import subprocess
import sys
import tempfile
import unittest

RUNTIME = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir)
REPO = os.path.join(RUNTIME, os.pardir, os.pardir)
SOM_DIR = os.environ.get("SOM_DIR") or os.path.join(REPO, os.pardir, "shared", "benchmarks", "som")

# Run in the child: check which implementations PySOM picked, then run its main.py.
DRIVER = """
import os, runpy, sys
from rlib import arithmetic, erased, float as rfloat_, objectmodel, string_stream
picked = {
    "rbigint": arithmetic.BigIntType.__module__,
    "string_to_int": arithmetic.string_to_int.__module__,
    "ParseStringOverflowError": arithmetic.ParseStringOverflowError.__module__,
    "new_erasing_pair": erased.new_erasing_pair.__module__,
    "erase_int": erased.erase_int.__module__,
    "round_double": rfloat_.round_double.__module__,
    "float2longlong": objectmodel.float2longlong.__module__,
    "Stream": string_stream.Stream.__module__,
}
for name, module in sorted(picked.items()):
    if not module.startswith("rpython.rlib."):
        sys.exit("PySOM took its fallback for %s (from %s)" % (name, module))
sys.argv = [sys.argv[1]] + sys.argv[2:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


class PySOMTestSuiteTest(unittest.TestCase):
    def run_harness(self, interp):
        src = os.path.join(SOM_DIR, "PySOM", "src")
        self.assertTrue(os.path.isfile(os.path.join(src, "main.py")), "PySOM not found at %s (set SOM_DIR)" % SOM_DIR)
        env = dict(os.environ)
        env["SOM_INTERP"] = interp
        env["PYTHONPATH"] = os.pathsep.join([src, os.path.abspath(RUNTIME)])
        with tempfile.TemporaryDirectory() as tmp:
            driver = os.path.join(tmp, "driver.py")
            with open(driver, "w") as f:
                f.write(DRIVER)
            argv = [sys.executable, driver, os.path.join(src, "main.py"), "-cp", "core-lib/Smalltalk", "core-lib/TestSuite/TestHarness.som"]
            out = subprocess.run(argv, cwd=SOM_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=600)
        stdout = out.stdout.decode("utf-8", "replace")
        stderr = out.stderr.decode("utf-8", "replace")
        self.assertEqual(out.returncode, 0, stdout[-2000:] + stderr[-2000:])
        total = re.search(r"Total number of tests:\s+(\d+)", stdout)
        passed = re.search(r"Number of successful tests:\s+(\d+)", stdout)
        self.assertTrue(total and passed, stdout[-2000:])
        self.assertGreater(int(total.group(1)), 200)
        self.assertEqual(passed.group(1), total.group(1), stdout[-2000:])
        self.assertNotIn("Failure", stdout)

    def test_bytecode_interpreter(self):
        self.run_harness("BC")

    def test_ast_interpreter(self):
        self.run_harness("AST")


if __name__ == "__main__":
    unittest.main()
