# run:
# run: 12 x
# The Lua VM's builtin table (interpreters/lua, its "Kiln problems met"): W_Builtin holds
# a function in `self.fn` and calls it as `self.fn(args)`; one builtin always raises
# (error), one calls itself recursively (tointeger on a string), results are lists built
# by `[w_first] + rest`, `uid = 0` on the base class is the default of a field only some
# subclasses assign, and `s.startswith(prefix, start)`.


class LuaError(Exception):
    def __init__(self, w_value):
        self.w_value = w_value


class W_Object(object):
    uid = 0

    def typename(self):
        raise NotImplementedError("typename")

    def tostr(self):
        return "?"


class W_Nil(W_Object):
    def typename(self):
        return "nil"

    def tostr(self):
        return "nil"


w_nil = W_Nil()


class W_Int(W_Object):
    def __init__(self, value):
        self.value = value

    def typename(self):
        return "number"

    def tostr(self):
        return str(self.value)


class W_Str(W_Object):
    def __init__(self, value):
        self.value = value

    def typename(self):
        return "string"

    def tostr(self):
        return self.value


class W_Function(W_Object):
    def call(self, args):
        raise NotImplementedError("call")


class W_Builtin(W_Function):
    def __init__(self, name, fn, uid):
        self.name = name
        self.fn = fn
        self.uid = uid

    def typename(self):
        return "function"

    def tostr(self):
        return "builtin: " + self.name

    def call(self, args):
        return self.fn(args)


def arg(args, i):
    if i < len(args):
        return args[i]
    return w_nil


def one(w):
    return [w]


def b_error(args):
    raise LuaError(arg(args, 0))


def b_type(args):
    return one(W_Str(arg(args, 0).typename()))


def m_tointeger(args):
    w = arg(args, 0)
    if isinstance(w, W_Int):
        return one(w)
    if isinstance(w, W_Str):
        s = w.value
        if s.startswith("x", 1) and len(s) > 2:
            return m_tointeger([W_Int(int(s[2:], 16))])
        if s.isdigit():
            return m_tointeger([W_Int(int(s))])
    return one(w_nil)


def b_select(args):
    w = arg(args, 0)
    if isinstance(w, W_Int) and w.value >= 1:
        return args[w.value:]
    return [W_Int(len(args) - 1)] + args[1:]


def b_pack(args):
    return [W_Int(len(args))] + args


BUILTINS = [
    W_Builtin("error", b_error, 1),
    W_Builtin("type", b_type, 2),
    W_Builtin("tointeger", m_tointeger, 3),
    W_Builtin("select", b_select, 4),
    W_Builtin("pack", b_pack, 5),
]


def show(results):
    parts = []
    for w in results:
        parts.append(w.tostr() + "/" + w.typename() + "/" + str(w.uid))
    print(len(results), " ".join(parts))


def entry_point(argv):
    args = [W_Str(a) for a in argv[1:]] + [W_Int(len(argv)), w_nil]
    for b in BUILTINS:
        print(b.tostr(), b.uid)
        for start in range(len(args) + 1):
            try:
                show(b.call(args[start:]))
            except LuaError as e:
                print("error:", e.w_value.tostr(), e.w_value.uid)
    show(BUILTINS[2].call([W_Str("0x1f")]))
    show(BUILTINS[2].call([W_Str("0x")]))
    f = BUILTINS[1].fn
    show(f([BUILTINS[0]]))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
