# dump: jitcodes eval_loop
# dump: jitcodes Cons.eval
# dump: jitcodes Cons.nth
"""Codewriter golden test: a Lisp-style evaluator over cons cells. The portal loops over
a list of forms, promoting each; evaluating a form walks cells (immutable fields),
dispatches on the class of a node (an indirect call whose targets all get jitcodes: a
guard on the function pointer before the call), and recurses. `Cons.nth` has a loop and
no `unroll_safe`: a residual call."""

from kiln.jit import JitDriver, promote


class Node(object):
    def eval(self, env):
        raise NotImplementedError


class Num(Node):
    _immutable_fields_ = ["value"]

    def __init__(self, value):
        self.value = value

    def eval(self, env):
        return self.value


class Sym(Node):
    _immutable_fields_ = ["index"]

    def __init__(self, index):
        self.index = index

    def eval(self, env):
        return env[self.index]


class Cons(Node):
    _immutable_fields_ = ["car", "cdr"]

    def __init__(self, car, cdr):
        self.car = car
        self.cdr = cdr

    def nth(self, n):
        cell = self
        while n > 0:
            nxt = cell.cdr
            if nxt is None:
                raise IndexError
            cell = nxt
            n -= 1
        return cell.car

    def eval(self, env):
        head = self.car
        if isinstance(head, Sym) and head.index == 0:
            return self.nth(1).eval(env) + self.nth(2).eval(env)
        return head.eval(env)


driver = JitDriver(greens=["forms"], reds=["i", "env", "acc"])


def eval_loop(forms, env):
    i = 0
    acc = 0
    while i < len(forms):
        driver.jit_merge_point(forms=forms, i=i, env=env, acc=acc)
        form = promote(forms[i])
        acc += form.eval(env)
        i += 1
    return acc


def entry_point(argv):
    plus = Cons(Sym(0), Cons(Num(2), Cons(Sym(1), None)))
    print(eval_loop([plus, Num(5), plus], [0, 40]))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
