"""Unit tests for the CPython support package ``kiln``.

Run with ``python3 -m unittest discover -s runtime/python/tests`` from the repository
root; the package directory is put on ``sys.path`` here, so no PYTHONPATH is needed.
"""

import errno
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))

from kiln import jit, objectmodel, rgc  # noqa: E402
from kiln import os as kos  # noqa: E402
from kiln import time as ktime  # noqa: E402
from kiln.rarith import LONG_BIT, intmask, maxint, ovfcheck, r_int, r_uint  # noqa: E402

MININT = -maxint - 1
UMAX = 2**64 - 1


class IntmaskTest(unittest.TestCase):
    def test_constants(self):
        self.assertEqual(LONG_BIT, 64)
        self.assertEqual(maxint, 2**63 - 1)

    def test_in_range_unchanged(self):
        for x in (0, 1, -1, 12345, maxint, MININT):
            self.assertEqual(intmask(x), x)

    def test_wraps(self):
        self.assertEqual(intmask(maxint + 1), MININT)
        self.assertEqual(intmask(MININT - 1), maxint)
        self.assertEqual(intmask(2**64), 0)
        self.assertEqual(intmask(2**64 + 5), 5)
        self.assertEqual(intmask(UMAX), -1)
        self.assertEqual(intmask(maxint * 3), maxint - 2)

    def test_returns_plain_int(self):
        self.assertIs(type(intmask(r_uint(UMAX))), int)
        self.assertEqual(intmask(r_uint(UMAX)), -1)
        self.assertEqual(intmask(True), 1)


class OvfcheckTest(unittest.TestCase):
    def test_fits(self):
        self.assertEqual(ovfcheck(maxint), maxint)
        self.assertEqual(ovfcheck(MININT), MININT)
        self.assertEqual(ovfcheck(-5 * 7), -35)

    def test_overflows(self):
        with self.assertRaises(OverflowError):
            ovfcheck(maxint + 1)
        with self.assertRaises(OverflowError):
            ovfcheck(MININT - 1)
        with self.assertRaises(OverflowError):
            ovfcheck(maxint * maxint)

    def test_rejects_unsigned(self):
        with self.assertRaises(TypeError):
            ovfcheck(r_uint(1))


class RUintTest(unittest.TestCase):
    def check(self, value, expected):
        self.assertIs(type(value), r_uint)
        self.assertEqual(int(value), expected)

    def test_construction_wraps(self):
        self.check(r_uint(-1), UMAX)
        self.check(r_uint(2**64 + 3), 3)

    def test_arithmetic_wraps(self):
        self.check(r_uint(0) - 1, UMAX)
        self.check(r_uint(UMAX) + 2, 1)
        self.check(r_uint(2**63) * 2, 0)
        self.check(r_uint(3) * -1, UMAX - 2)
        self.check(-r_uint(1), UMAX)
        self.check(~r_uint(0), UMAX)

    def test_mixing_with_int_gives_r_uint(self):
        self.check(1 + r_uint(2), 3)
        self.check(1 - r_uint(2), UMAX)
        self.check(3 * r_uint(5), 15)
        self.check(0xF0 & r_uint(0x3C), 0x30)
        self.check(1 | r_uint(2), 3)
        self.check(-1 ^ r_uint(0), UMAX)
        self.check(1 << r_uint(3), 8)
        self.check(-1 >> r_uint(60), 15)

    def test_unsigned_division(self):
        self.check(r_uint(-2) // 2, UMAX // 2)
        self.check(r_uint(-1) % 10, UMAX % 10)
        self.check(100 // r_uint(7), 14)
        self.check(100 % r_uint(7), 2)
        with self.assertRaises(ZeroDivisionError):
            r_uint(1) // 0
        with self.assertRaises(ZeroDivisionError):
            r_uint(1) % r_uint(0)

    def test_shifts(self):
        self.check(r_uint(1) << 63, 2**63)
        self.check(r_uint(1) << 64, 0)
        self.check(r_uint(3) << 63, 2**63)
        self.check(r_uint(UMAX) >> 60, 15)
        with self.assertRaises(ValueError):
            r_uint(1) << -1

    def test_bitwise(self):
        self.check(r_uint(0b1100) & 0b1010, 0b1000)
        self.check(r_uint(0b1100) | 0b1010, 0b1110)
        self.check(r_uint(0b1100) ^ 0b1010, 0b0110)

    def test_comparisons_are_unsigned(self):
        self.assertTrue(r_uint(1) < -1)
        self.assertTrue(r_uint(-1) > 1)
        self.assertTrue(r_uint(-1) == -1)
        self.assertTrue(r_uint(5) >= 5)
        self.assertFalse(r_uint(5) != 5)
        self.assertTrue(-1 > r_uint(7))

    def test_mixing_with_r_int_gives_r_uint(self):
        self.check(r_int(-1) + r_uint(2), 1)
        self.check(r_uint(2) + r_int(-1), 1)


class RIntTest(unittest.TestCase):
    def test_wraps_signed(self):
        x = r_int(maxint) + 1
        self.assertIs(type(x), r_int)
        self.assertEqual(x, MININT)
        self.assertEqual(r_int(2**64 - 1), -1)
        self.assertEqual(r_int(MININT) * -1, MININT)

    def test_floor_semantics(self):
        self.assertEqual(r_int(-7) // 2, -4)
        self.assertEqual(r_int(-7) % 2, 1)
        self.assertEqual(r_int(-16) >> 2, -4)


class JitDriverTest(unittest.TestCase):
    def setUp(self):
        self.driver = jit.JitDriver(greens=["pc", "code"], reds=["frame"], name="test")

    def test_exact_names_accepted(self):
        self.driver.jit_merge_point(pc=0, code="", frame=None)
        self.driver.can_enter_jit(code="", frame=None, pc=3)

    def test_missing_name(self):
        with self.assertRaisesRegex(TypeError, "missing frame"):
            self.driver.jit_merge_point(pc=0, code="")

    def test_unexpected_name(self):
        with self.assertRaisesRegex(TypeError, "unexpected stack"):
            self.driver.can_enter_jit(pc=0, code="", frame=None, stack=[])

    def test_positional_arguments_rejected(self):
        with self.assertRaises(TypeError):
            self.driver.jit_merge_point(0, "", None)

    def test_auto_reds_take_only_greens(self):
        driver = jit.JitDriver(greens=["pc"], reds="auto")
        driver.jit_merge_point(pc=1)
        with self.assertRaises(TypeError):
            driver.jit_merge_point(pc=1, acc=0)

    def test_bad_declarations(self):
        with self.assertRaises(TypeError):
            jit.JitDriver(greens=["pc"], reds=["pc"])
        with self.assertRaises(TypeError):
            jit.JitDriver(greens=["pc"], reds=["frame"], virtualizables=["other"])
        with self.assertRaises(TypeError):
            jit.JitDriver(greens=["pc"], reds="frame")
        with self.assertRaises(TypeError):
            jit.JitDriver(greens=["pc", "pc"], reds=[])
        jit.JitDriver(greens=[], reds=["frame"], virtualizables=["frame"])

    def test_hints_are_identity(self):
        marker = object()
        self.assertIs(jit.promote(marker), marker)
        self.assertEqual(jit.promote_string("abc"), "abc")
        self.assertIs(jit.hint(marker, promote=True), marker)
        self.assertFalse(jit.we_are_jitted())

    def test_decorators_mark_and_return_function(self):
        def f():
            return 1

        self.assertIs(jit.elidable(f), f)
        self.assertTrue(f._kiln_elidable_)
        self.assertIs(jit.unroll_safe(f), f)
        self.assertTrue(f._kiln_unroll_safe_)
        self.assertIs(jit.dont_look_inside(f), f)
        self.assertFalse(f._kiln_look_inside_)
        self.assertIs(jit.look_inside(f), f)
        self.assertTrue(f._kiln_look_inside_)
        self.assertEqual(f(), 1)

    def test_set_param(self):
        jit.set_param(self.driver, "threshold", 1)
        jit.set_param(None, "trace_limit", 1000)
        with self.assertRaises(ValueError):
            jit.set_param(self.driver, "treshold", 1)


class JitDriverRPythonApiTest(unittest.TestCase):
    """RPython's conventions: `self` as a red, drivers declared by subclassing, the
    constructor's keywords, and the other names of ``rpython.rlib.jit``."""

    def test_red_named_self(self):
        driver = jit.JitDriver(greens=["pc"], reds=["self", "frame"])
        driver.jit_merge_point(pc=0, self=object(), frame=None)
        driver.can_enter_jit(pc=0, self=object(), frame=None)
        with self.assertRaisesRegex(TypeError, "missing self"):
            driver.jit_merge_point(pc=0, frame=None)

    def test_subclass_declares_greens_and_reds(self):
        class Driver(jit.JitDriver):
            greens = ["pc", "code"]
            reds = ["frame"]

        driver = Driver(get_printable_location=lambda pc, code: "%d" % pc)
        self.assertEqual(driver.greens, ["pc", "code"])
        self.assertEqual(driver.reds, ["frame"])
        driver.jit_merge_point(pc=0, code="", frame=None)
        with self.assertRaises(TypeError):
            driver.jit_merge_point(pc=0, code="")

    def test_rpython_constructor_keywords(self):
        driver = jit.JitDriver(
            greens=["pc"],
            reds=["frame"],
            virtualizables=["frame"],
            is_recursive=True,
            should_unroll_one_iteration=lambda pc: False,
            get_unique_id=lambda pc: 0,
            name="interp",
        )
        self.assertTrue(driver.is_recursive)
        with self.assertRaises(TypeError):
            jit.JitDriver(greens=["pc"], reds=["frame"], get_unique_id=3)

    def test_check_builds_no_sets(self):
        # The names check used to build two sets per call, which made interpreters
        # 13-35x slower under pypy3.
        calls = []
        real = frozenset

        def counting(*args):
            calls.append(args)
            return real(*args)

        driver = jit.JitDriver(greens=["pc"], reds=["frame"])
        jit.frozenset = counting
        try:
            for i in range(5):
                driver.jit_merge_point(pc=i, frame=None)
                driver.can_enter_jit(pc=i, frame=None)
        finally:
            del jit.frozenset
        self.assertEqual(calls, [])

    def test_checks_first_calls_then_costs_nothing(self):
        driver = jit.JitDriver(greens=["pc"], reds=["frame"])
        for i in range(jit._CHECKED_CALLS):
            driver.jit_merge_point(pc=i, frame=None)
        self.assertIs(driver.jit_merge_point, jit._unchecked)
        driver.jit_merge_point(pc=0, frame=None)
        # can_enter_jit counts its own calls.
        with self.assertRaises(TypeError):
            driver.can_enter_jit(pc=0)
        # Other drivers are checked independently.
        other = jit.JitDriver(greens=["pc"], reds=["frame"])
        with self.assertRaises(TypeError):
            other.jit_merge_point(pc=0)

    def test_hint_keywords(self):
        marker = object()
        self.assertIs(jit.hint(marker, access_directly=True, promote=True), marker)
        self.assertIs(jit.hint(marker, force_virtualizable=True, fresh_virtualizable=True), marker)

    def test_other_names(self):
        def f(x):
            return x + 1

        self.assertIs(jit.purefunction, jit.elidable)
        self.assertIs(jit.elidable_promote()(f), f)
        self.assertTrue(f._kiln_elidable_)
        self.assertIs(jit.elidable_promote("0")(f), f)
        self.assertIs(jit.look_inside_iff(lambda x: x > 0)(f), f)
        self.assertIs(jit.loop_invariant(f), f)
        self.assertIs(jit.oopspec("f(x)")(f), f)
        self.assertFalse(jit.isconstant(3))
        self.assertFalse(jit.isvirtual(f))
        self.assertIsNone(jit.assert_green(3))
        self.assertEqual(f(1), 2)
        with self.assertRaises(TypeError):
            jit.look_inside_iff(3)


class RPythonNamesTest(unittest.TestCase):
    def test_rarith(self):
        from kiln.rarith import is_valid_int, r_longlong, r_ulonglong, string_to_int

        self.assertTrue(is_valid_int(5))
        self.assertTrue(is_valid_int(True))
        self.assertFalse(is_valid_int(maxint + 1))
        self.assertFalse(is_valid_int(1.0))
        self.assertTrue(is_valid_int(r_uint(3)))
        self.assertIs(r_longlong, r_int)
        self.assertIs(r_ulonglong, r_uint)
        self.assertEqual(string_to_int(" -42 "), -42)
        self.assertEqual(string_to_int("ff", 16), 255)
        self.assertEqual(string_to_int("0x1f", 16), 31)
        with self.assertRaises(ValueError):
            string_to_int("12a")
        with self.assertRaises(OverflowError):
            string_to_int(str(2**63))

    def test_objectmodel(self):
        class A(object):
            def __init__(self):
                raise AssertionError("not called by instantiate")

        a = objectmodel.instantiate(A)
        self.assertIs(type(a), A)
        self.assertEqual(objectmodel.compute_identity_hash(a), objectmodel.compute_identity_hash(a))
        self.assertNotEqual(objectmodel.compute_unique_id(a), objectmodel.compute_unique_id(A))
        lst = [1, 2]
        self.assertIs(objectmodel.make_sure_not_resized(lst), lst)

        def f(x):
            return x

        self.assertIs(objectmodel.specialize.call_location()(f), f)
        self.assertEqual(f._kiln_specialize_, ("call_location", ()))
        self.assertIs(objectmodel.specialize.arg_or_var(0)(f), f)
        self.assertEqual(f._kiln_specialize_, ("arg_or_var", (0,)))
        self.assertIs(objectmodel.enforceargs(int)(f), f)

    def test_rpython_package(self):
        from rpython.rlib import debug, rarithmetic, rgc as rrgc, unroll
        from rpython.rlib.jit import JitDriver, hint, purefunction
        from rpython.rlib.objectmodel import specialize, we_are_translated

        self.assertIs(JitDriver, jit.JitDriver)
        self.assertIs(hint, jit.hint)
        self.assertIs(purefunction, jit.elidable)
        self.assertIs(specialize, objectmodel.specialize)
        self.assertIs(we_are_translated, objectmodel.we_are_translated)
        self.assertIs(rarithmetic.intmask, intmask)
        self.assertIs(unroll.unrolling_iterable, objectmodel.unrolling_iterable)
        self.assertIs(debug.make_sure_not_resized, objectmodel.make_sure_not_resized)
        self.assertIs(rrgc.collect, rgc.collect)
        with self.assertRaises(ImportError):
            from rpython.rlib.jit import virtual_ref  # noqa: F401


class ObjectModelTest(unittest.TestCase):
    def test_we_are_translated(self):
        self.assertFalse(objectmodel.we_are_translated())

    def test_specialize_records_request(self):
        @objectmodel.specialize.argtype(0, 1)
        def f(a, b):
            return a

        @objectmodel.specialize.arg(2)
        def g(a, b, c):
            return c

        @objectmodel.specialize.memo()
        def h(x):
            return [x]

        self.assertEqual(f._kiln_specialize_, ("argtype", (0, 1)))
        self.assertEqual(g._kiln_specialize_, ("arg", (2,)))
        self.assertEqual(h._kiln_specialize_, ("memo", ()))
        self.assertEqual(g(1, 2, 3), 3)
        # memo: one result per argument tuple, the same object each time.
        self.assertIs(h(1), h(1))
        self.assertIsNot(h(1), h(2))
        self.assertEqual(h(2), [2])
        with self.assertRaises(TypeError):
            objectmodel.specialize.argtype()
        with self.assertRaises(TypeError):
            objectmodel.specialize.arg("x")

    def test_unrolling_iterable(self):
        items = objectmodel.unrolling_iterable(x * 2 for x in range(3))
        self.assertEqual(list(items), [0, 2, 4])
        self.assertEqual(list(items), [0, 2, 4])
        self.assertEqual(len(items), 3)

    def test_compute_hash(self):
        self.assertEqual(objectmodel.compute_hash(None), 0)
        self.assertEqual(objectmodel.compute_hash(7), hash(7))
        self.assertEqual(objectmodel.compute_hash("ab"), hash("ab"))

        class Obj(object):
            def __hash__(self):
                return 42

        obj = Obj()
        self.assertEqual(objectmodel.compute_hash(obj), object.__hash__(obj))

    def test_marking_decorators(self):
        def f():
            pass

        self.assertIs(objectmodel.not_rpython(f), f)
        self.assertTrue(f._not_rpython_)
        self.assertIs(objectmodel.always_inline(f), f)
        self.assertTrue(f._kiln_always_inline_)


class OsTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.dir.name, "data.txt")

    def tearDown(self):
        self.dir.cleanup()

    def test_round_trip(self):
        text = "hello, w\u00f6rld \u2603\n"
        fd = kos.open(self.path, kos.O_WRONLY | kos.O_CREAT | kos.O_TRUNC, 0o644)
        self.assertEqual(kos.write(fd, text), len(text.encode("utf-8")))
        kos.close(fd)
        self.assertEqual(kos.read_file(self.path), text)

        fd = kos.open(self.path, kos.O_RDONLY)
        self.assertEqual(kos.read(fd, 5), "hello")
        rest = kos.read(fd, 1000)
        self.assertEqual(kos.read(fd, 10), "")
        kos.close(fd)
        self.assertEqual("hello" + rest, text)

    def test_append(self):
        fd = kos.open(self.path, kos.O_WRONLY | kos.O_CREAT, 0o644)
        kos.write(fd, "a")
        kos.close(fd)
        fd = kos.open(self.path, kos.O_WRONLY | kos.O_APPEND)
        kos.write(fd, "b")
        kos.close(fd)
        self.assertEqual(kos.read_file(self.path), "ab")

    def test_invalid_utf8_is_replaced(self):
        with open(self.path, "wb") as f:
            f.write(b"a\xffb")
        self.assertEqual(kos.read_file(self.path), "a\ufffdb")

    def test_missing_file_raises_oserror(self):
        missing = os.path.join(self.dir.name, "missing")
        for call in (lambda: kos.open(missing, kos.O_RDONLY), lambda: kos.read_file(missing)):
            with self.assertRaises(OSError) as cm:
                call()
            self.assertEqual(cm.exception.errno, errno.ENOENT)
            self.assertEqual(cm.exception.strerror, os.strerror(errno.ENOENT))
            self.assertIsNone(cm.exception.filename)

    def test_bad_fd_raises_oserror(self):
        fd = kos.open(self.path, kos.O_WRONLY | kos.O_CREAT, 0o644)
        kos.close(fd)
        with self.assertRaises(OSError) as cm:
            kos.close(fd)
        self.assertEqual(cm.exception.errno, errno.EBADF)
        with self.assertRaises(OSError) as cm:
            kos.write(fd, "x")
        self.assertEqual(cm.exception.errno, errno.EBADF)

    def test_write_requires_str(self):
        with self.assertRaises(TypeError):
            kos.write(1, b"bytes")

    def test_write_keeps_order_with_print(self):
        # stdout is a pipe here, so print() buffers; kiln.os.write must flush it first.
        script = (
            "from kiln import os\n"
            "print('a')\n"
            "os.write(1, 'b\\n')\n"
            "print('c')\n"
            "os.write(2, 'e\\n')\n"
        )
        env = dict(os.environ, PYTHONPATH=os.path.dirname(os.path.dirname(kos.__file__)))
        result = subprocess.run(
            [sys.executable, "-c", script],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=env,
            check=True,
        )
        self.assertEqual(result.stdout, b"a\nb\nc\ne\n")

    def test_constants(self):
        self.assertEqual(kos.O_RDONLY, os.O_RDONLY)
        self.assertEqual(kos.O_CREAT, os.O_CREAT)


class MiscTest(unittest.TestCase):
    def test_clocks(self):
        a = ktime.clock()
        b = ktime.clock()
        self.assertLessEqual(a, b)
        self.assertIsInstance(ktime.time(), float)

    def test_collect(self):
        self.assertIsNone(rgc.collect())

    def test_disable_enable(self):
        from rpython.rlib import rgc as rrgc

        self.assertIs(rrgc.disable, rgc.disable)
        try:
            rrgc.disable()
            self.assertEqual(rrgc.isenabled(), 0)
            rgc.enable()
            self.assertTrue(rgc.isenabled())
        finally:
            rgc.enable()

    def test_target_convention_modules(self):
        from rpython.jit.codewriter.policy import JitPolicy
        from rpython.translator.driver import TranslationDriver

        d = TranslationDriver()
        self.assertIs(d.config.translation.jit, False)
        self.assertIsNone(d.exe_name)
        self.assertIsInstance(JitPolicy(), JitPolicy)


if __name__ == "__main__":
    unittest.main()
