# run: 30
# An interpreter written the way RPython's users write them: a JitDriver subclass with a
# red named self, hint keywords, and the helpers of rpython.rlib by their RPython names.
from rpython.rlib import jit
from rpython.rlib.jit import JitDriver, hint, promote, purefunction, elidable_promote
from rpython.rlib.jit import look_inside_iff, isconstant, isvirtual, assert_green, loop_invariant
from rpython.rlib.objectmodel import specialize, compute_identity_hash, instantiate
from rpython.rlib.rarithmetic import is_valid_int, r_longlong, r_ulonglong, string_to_int, intmask
from rpython.rlib.debug import make_sure_not_resized


def get_location(pc, code):
    return "%d:%s" % (pc, code[pc])


class Driver(JitDriver):
    greens = ["pc", "code"]
    reds = ["acc", "self"]


class Frame(object):
    _virtualizable_ = ["acc"]

    def __init__(self, n):
        self = hint(self, access_directly=True, fresh_virtualizable=True)
        self.n = n
        self.stack = make_sure_not_resized([0] * 4)

    def run(self, code):
        driver.can_enter_jit(pc=0, code=code, acc=0, self=self)
        pc = 0
        acc = 0
        while pc < len(code):
            driver.jit_merge_point(pc=pc, code=code, acc=acc, self=self)
            op = code[pc]
            if op == "+":
                acc += cost(promote(self.n))
            elif op == "-":
                acc -= 1
            elif op == "*":
                acc = double(acc)
            if isconstant(acc) or isvirtual(self):
                # True in a trace once `double` (elidable_promote) made acc a constant:
                # as in RPython, the result must not depend on it.
                acc += 0
            assert_green(pc)
            pc += 1
        return acc


driver = Driver(get_printable_location=get_location, is_recursive=True, should_unroll_one_iteration=lambda pc, code: False)
other = jit.JitDriver(greens=["x"], reds="auto", name="auto")


@purefunction
def cost(n):
    return n % 7 + 1


@elidable_promote()
def double(x):
    return x * 2


@look_inside_iff(lambda x: x > 0)
@loop_invariant
def bump(x):
    return x + 1


@specialize.call_location()
def first(x):
    return x


@specialize.arg_or_var(0)
def describe(x):
    return "v%d" % x


class Blank(object):
    def __init__(self):
        self.tag = "from __init__"


BLANK = instantiate(Blank)
BLANK.tag = "no __init__ ran"


def entry_point(argv):
    n = string_to_int(argv[1]) if len(argv) > 1 else 5
    f = Frame(n)
    print(f.run("++*-+*"))
    other.jit_merge_point(x=n)
    print(is_valid_int(n), is_valid_int(intmask(n * 3)), r_longlong(n) + 1, r_ulonglong(n) * 2 > 0)
    print(string_to_int(" 0x1f ", 16), string_to_int("-42"), bump(n), first(n), first("s"), describe(n))
    h = compute_identity_hash(f)
    print(h == compute_identity_hash(f), BLANK.tag)
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(entry_point(sys.argv))
