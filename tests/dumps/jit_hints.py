# dump: lltype jit_drivers
# dump: lltype run
# dump: lltype lookup
# dump: lltype sum_all
# dump: lltype counter
# dump: lltype show
"""Dump snapshots: reds='auto' resolved from the live variables, and every other kiln.jit hint."""
from kiln.jit import (JitDriver, assert_green, dont_look_inside, elidable_promote, hint, isconstant,
                      isvirtual, look_inside, look_inside_iff, loop_invariant, promote, promote_string,
                      unroll_safe, we_are_jitted)

driver = JitDriver(greens=["n"], reds="auto", name="auto_driver")


class Frame(object):
    _virtualizable_ = ["x"]

    def __init__(self, x):
        self.x = x


@elidable_promote("0")
def lookup(table, key):
    return len(table) + key


@unroll_safe
def sum_all(items):
    s = 0
    for x in items:
        s += x
    return s


@loop_invariant
def counter():
    return 7


@dont_look_inside
def show(s):
    print(s)


def small(n):
    return n < 3


@look_inside_iff(small)
def maybe(n):
    return n + 1


@look_inside
def plain(n):
    return n - 1


def run(n, limit, name):
    total = 0
    i = 0
    frame = hint(Frame(n), access_directly=True)
    while i < limit:
        driver.jit_merge_point(n=n)
        assert_green(n)
        total += promote(i) + lookup("abc", n) + frame.x
        if we_are_jitted() or isconstant(total) or isvirtual(frame):
            total -= 1
        i += 1
    show(promote_string(name))
    return total + sum_all([1, 2]) + counter() + maybe(n) + plain(n)


def entry_point(argv):
    print(run(2, 5, "x"))
    return 0


if __name__ == "__main__":
    entry_point([])
