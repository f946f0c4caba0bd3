# run:
# run: 7
# Virtual eval()/show() dispatch over AST node classes held through a base-class reference.


class Node(object):
    def eval(self, env):
        raise NotImplementedError("eval")

    def show(self):
        return "?"


class Const(Node):
    def __init__(self, value):
        self.value = value

    def eval(self, env):
        return self.value

    def show(self):
        return str(self.value)


class Name(Node):
    def __init__(self, name):
        self.name = name

    def eval(self, env):
        return env[self.name]

    def show(self):
        return self.name


class BinOp(Node):
    def __init__(self, left, right):
        self.left = left
        self.right = right

    def eval(self, env):
        return self.apply(self.left.eval(env), self.right.eval(env))

    def apply(self, a, b):
        return 0

    def symbol(self):
        return "?"

    def show(self):
        return "(" + self.left.show() + " " + self.symbol() + " " + self.right.show() + ")"


class Add(BinOp):
    def apply(self, a, b):
        return a + b

    def symbol(self):
        return "+"


class Mul(BinOp):
    def apply(self, a, b):
        return a * b

    def symbol(self):
        return "*"


class Sub(BinOp):
    def apply(self, a, b):
        return a - b

    def symbol(self):
        return "-"


class IfPos(Node):
    def __init__(self, cond, then, orelse):
        self.cond = cond
        self.then = then
        self.orelse = orelse

    def eval(self, env):
        if self.cond.eval(env) > 0:
            return self.then.eval(env)
        return self.orelse.eval(env)

    def show(self):
        return "ifpos(%s, %s, %s)" % (self.cond.show(), self.then.show(), self.orelse.show())


class Let(Node):
    def __init__(self, name, value, body):
        self.name = name
        self.value = value
        self.body = body

    def eval(self, env):
        v = self.value.eval(env)
        old = env.get(self.name, 0)
        had = self.name in env
        env[self.name] = v
        r = self.body.eval(env)
        if had:
            env[self.name] = old
        else:
            del env[self.name]
        return r

    def show(self):
        return "let %s = %s in %s" % (self.name, self.value.show(), self.body.show())


def entry_point(argv):
    x = 5
    if len(argv) > 1:
        x = int(argv[1])
    env = {"x": x}
    progs = [
        Add(Const(1), Mul(Name("x"), Const(3))),
        Sub(Name("x"), Const(10)),
        IfPos(Sub(Name("x"), Const(6)), Const(100), Name("x")),
        Let("y", Mul(Name("x"), Name("x")), Add(Name("y"), Let("x", Const(1), Sub(Name("y"), Name("x"))))),
    ]
    for p in progs:
        print(p.show(), "=>", p.eval(env))
    print(len(env), env["x"])
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
