# run:
# run: 10
# A tiny Lisp interpreter: reader, W_ object classes (int, symbol, pair, nil, builtin, lambda), environments with parent links.


class LispError(Exception):
    pass


class W_Obj(object):
    def repr(self):
        return "?"

    def is_true(self):
        return True


class W_Int(W_Obj):
    def __init__(self, n):
        self.n = n

    def repr(self):
        return str(self.n)

    def is_true(self):
        return self.n != 0


class W_Sym(W_Obj):
    def __init__(self, name):
        self.name = name

    def repr(self):
        return self.name


class W_Nil(W_Obj):
    def repr(self):
        return "()"

    def is_true(self):
        return False


class W_Pair(W_Obj):
    def __init__(self, car, cdr):
        self.car = car
        self.cdr = cdr

    def repr(self):
        parts = []
        cur = self
        while isinstance(cur, W_Pair):
            parts.append(cur.car.repr())
            cur = cur.cdr
        return "(" + " ".join(parts) + ")"


class W_Callable(W_Obj):
    def call(self, args):
        raise NotImplementedError


class W_Builtin(W_Callable):
    def __init__(self, name):
        self.name = name

    def repr(self):
        return "<builtin %s>" % self.name

    def call(self, args):
        nums = []
        for a in args:
            if not isinstance(a, W_Int):
                raise LispError("%s: not a number: %s" % (self.name, a.repr()))
            nums.append(a.n)
        if self.name == "+":
            t = 0
            for x in nums:
                t += x
            return W_Int(t)
        if self.name == "*":
            t = 1
            for x in nums:
                t *= x
            return W_Int(t)
        if self.name == "-":
            return W_Int(nums[0] - nums[1])
        if self.name == "<":
            return W_Int(1 if nums[0] < nums[1] else 0)
        raise LispError("unknown builtin " + self.name)


class Env(object):
    def __init__(self, parent):
        self.vars = {}
        self.parent = parent

    def lookup(self, name):
        e = self
        while e is not None:
            if name in e.vars:
                return e.vars[name]
            e = e.parent
        raise LispError("unbound symbol " + name)


class W_Lambda(W_Callable):
    def __init__(self, params, body, env):
        self.params = params
        self.body = body
        self.env = env

    def repr(self):
        return "<lambda/%d>" % len(self.params)

    def call(self, args):
        if len(args) != len(self.params):
            raise LispError("arity mismatch")
        e = Env(self.env)
        for i in range(len(args)):
            e.vars[self.params[i]] = args[i]
        return evaluate(self.body, e)


NIL = W_Nil()


def tokenize(s):
    return s.replace("(", " ( ").replace(")", " ) ").split()


def read(tokens, pos):
    t = tokens[pos]
    if t == "(":
        items = []
        pos += 1
        while tokens[pos] != ")":
            item, pos = read(tokens, pos)
            items.append(item)
        lst = NIL
        for i in range(len(items) - 1, -1, -1):
            lst = W_Pair(items[i], lst)
        return lst, pos + 1
    if t.isdigit():
        return W_Int(int(t)), pos + 1
    return W_Sym(t), pos + 1


def to_list(w):
    out = []
    while isinstance(w, W_Pair):
        out.append(w.car)
        w = w.cdr
    return out


def evaluate(w, env):
    if isinstance(w, W_Int):
        return w
    if isinstance(w, W_Sym):
        return env.lookup(w.name)
    if isinstance(w, W_Pair):
        head = w.car
        if isinstance(head, W_Sym):
            if head.name == "if":
                parts = to_list(w)
                if evaluate(parts[1], env).is_true():
                    return evaluate(parts[2], env)
                return evaluate(parts[3], env)
            if head.name == "define":
                parts = to_list(w)
                name = parts[1]
                if not isinstance(name, W_Sym):
                    raise LispError("define needs a symbol")
                v = evaluate(parts[2], env)
                env.vars[name.name] = v
                return v
            if head.name == "lambda":
                parts = to_list(w)
                params = []
                for p in to_list(parts[1]):
                    if isinstance(p, W_Sym):
                        params.append(p.name)
                return W_Lambda(params, parts[2], env)
        fn = evaluate(head, env)
        args = []
        for a in to_list(w.cdr):
            args.append(evaluate(a, env))
        if isinstance(fn, W_Callable):
            return fn.call(args)
        raise LispError("not callable: " + fn.repr())
    return w


def run(src, env):
    toks = tokenize(src)
    pos = 0
    result = NIL
    while pos < len(toks):
        expr, pos = read(toks, pos)
        result = evaluate(expr, env)
    return result


def entry_point(argv):
    n = 8
    if len(argv) > 1:
        n = int(argv[1])
    g = Env(None)
    for name in ["+", "-", "*", "<"]:
        g.vars[name] = W_Builtin(name)
    progs = [
        "(+ 1 2 (* 3 4))",
        "(define sq (lambda (x) (* x x))) (sq 12)",
        "(define fact (lambda (n) (if (< n 2) 1 (* n (fact (- n 1)))))) (fact %d)" % n,
        "(define fib (lambda (n) (if (< n 2) n (+ (fib (- n 1)) (fib (- n 2)))))) (fib %d)" % n,
        "(quote 1 2)",
        "(+ 1 sq)",
        "(1 2)",
        "sq",
    ]
    for src in progs:
        try:
            print(run(src, g).repr())
        except LispError as e:
            print("error:", str(e))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
