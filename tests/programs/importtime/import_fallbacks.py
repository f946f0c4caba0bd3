# Imports guarded by try/except ImportError run their fallback, as under CPython; the
# rpython.rlib names Kiln provides are found; sys and os are read at import time.
import os
import sys

try:
    from rpython.rlib.jit import JitDriver, promote
    HAVE_RPYTHON = True
except ImportError:
    HAVE_RPYTHON = False

try:
    from rpython.rlib.jit import virtual_ref_that_kiln_does_not_provide  # noqa: F401
    HAVE_VREF = True
except ImportError:
    HAVE_VREF = False

try:
    import some_module_nobody_has  # noqa: F401
    FALLBACK = "found"
except ImportError as e:
    FALLBACK = "fallback"

try:
    from rpython.rlib.rarithmetic import intmask, ovfcheck
except ImportError:
    def intmask(x):
        return x

from rpython.rlib.objectmodel import we_are_translated
from rpython.rlib.unroll import unrolling_iterable

PY3 = sys.version_info >= (3, 0)
MAJOR = sys.version_info[0]
HAS_SYS = "sys" in sys.modules and sys.modules["os"] is os
HAS_PATH = "PATH" in os.environ
HOME_SET = os.getenv("PATH") is not None
NOT_SET = os.getenv("KILN_TEST_SURELY_UNSET_VARIABLE", "default")
NOT_SET2 = os.environ.get("KILN_TEST_SURELY_UNSET_VARIABLE", "unset")
sys.setrecursionlimit(10000)
STEPS = unrolling_iterable([1, 2, 3])


def entry_point(argv):
    print(HAVE_RPYTHON, HAVE_VREF, FALLBACK, PY3, MAJOR, HAS_SYS, HAS_PATH, HOME_SET)
    print(NOT_SET, NOT_SET2)
    total = 0
    for s in STEPS:
        total += promote(s) * len(argv)
    print(total, intmask(total * 3), ovfcheck(total + 1), we_are_translated() or True)
    return 0


if __name__ == "__main__":
    sys.exit(entry_point(sys.argv))
