# run: loop 3000
# run: phases 2000
# run: objects 2000
# run: calls 1500
# run: exceptions 1500
# run: residual 2000
# run: overflow 100
# run: uncaught 2000
# run: nosuch 1
# A bytecode VM made to test the JIT: boxed ints and instances of VM classes (fields found
# by an elidable lookup, methods sent through the promoted class pointer), calls between
# interpreted frames, VM exceptions raised and caught across frames and inside residual
# (dont_look_inside) calls, overflow checks; each program reaches other guards and bridges.

from kiln.jit import JitDriver, dont_look_inside, elidable, promote
from rpython.rlib.rarithmetic import ovfcheck

CONST = 0          # CONST v: push the int v
LOAD = 1           # LOAD i: push local i
STORE = 2          # STORE i: pop into local i
ADD = 3            # a b -> a+b (VM error -2 on overflow)
SUB = 4
LT = 5             # a b -> 1 if a < b else 0
JUMP = 6           # JUMP t
JUMP_IF_FALSE = 7  # JUMP_IF_FALSE t: pop, jump when 0
NEW = 8            # NEW c: push an instance of CLASSES[c]
GETFIELD = 9       # GETFIELD n: obj -> obj.<names[n]>
SETFIELD = 10      # SETFIELD n: obj value -> (obj.<names[n]> = value)
SEND = 11          # SEND n argc: recv args... -> result of method names[n]
CALL = 12          # CALL f argc: args... -> result of FUNCTIONS[f]
RETURN = 13
RAISE = 14         # pop a value, raise it as a VM error
SETUP_EXCEPT = 15  # SETUP_EXCEPT t: a VM error jumps to t with its value pushed
POP_EXCEPT = 16
DIV = 17           # a b -> a // b, in a residual call (VM error 0 when b is 0)
MULTIPLE = 18      # a b -> 1 if a is a multiple of b (a residual call returning a bool)
POP = 19
DUP = 20
MOD = 21

NAMES = ["CONST", "LOAD", "STORE", "ADD", "SUB", "LT", "JUMP", "JUMP_IF_FALSE", "NEW",
         "GETFIELD", "SETFIELD", "SEND", "CALL", "RETURN", "RAISE", "SETUP_EXCEPT",
         "POP_EXCEPT", "DIV", "MULTIPLE", "POP", "DUP", "MOD"]


class VMError(Exception):
    def __init__(self, w_value):
        self.w_value = w_value


class W_Object(object):
    def to_int(self):
        raise VMError(W_Int(-1))

    def getfield(self, name):
        raise VMError(W_Int(-3))

    def setfield(self, name, w_value):
        raise VMError(W_Int(-3))

    def getclass(self):
        raise VMError(W_Int(-4))

    def repr(self):
        return "?"


class W_Int(W_Object):
    _immutable_fields_ = ["value"]

    def __init__(self, value):
        self.value = value

    def to_int(self):
        return self.value

    def repr(self):
        return "%d" % self.value


class W_Instance(W_Object):
    def __init__(self, cls):
        self.cls = cls
        self.fields = [ZERO] * len(cls.field_names)

    def getclass(self):
        return self.cls

    def getfield(self, name):
        cls = promote(self.cls)
        i = field_index(cls, name)
        if i < 0:
            raise VMError(W_Int(-3))
        return self.fields[i]

    def setfield(self, name, w_value):
        cls = promote(self.cls)
        i = field_index(cls, name)
        if i < 0:
            raise VMError(W_Int(-3))
        self.fields[i] = w_value

    def repr(self):
        return "<%s>" % self.cls.name


ZERO = W_Int(0)


class Class(object):
    _immutable_fields_ = ["name", "field_names[*]", "methods"]

    def __init__(self, name, field_names):
        self.name = name
        self.field_names = field_names
        self.methods = {}


@elidable
def field_index(cls, name):
    i = 0
    for n in cls.field_names:
        if n == name:
            return i
        i += 1
    return -1


@elidable
def lookup_method(cls, name):
    return cls.methods.get(name, None)


class Code(object):
    _immutable_fields_ = ["name", "ops[*]", "names[*]", "nlocals"]

    def __init__(self, name, ops, names, nlocals):
        self.name = name
        self.ops = ops
        self.names = names
        self.nlocals = nlocals


@dont_look_inside
def divide(a, b):
    if b == 0:
        raise VMError(W_Int(0))
    return a // b


@dont_look_inside
def is_multiple(a, b):
    if b == 0:
        raise VMError(W_Int(0))
    return a % b == 0


class Frame(object):
    def __init__(self, code, args):
        self.locals = [ZERO] * code.nlocals
        for i in range(len(args)):
            self.locals[i] = args[i]
        self.stack = [ZERO] * 16
        self.sp = 0
        self.handler_pcs = []
        self.handler_sps = []

    def push(self, w):
        self.stack[self.sp] = w
        self.sp += 1

    def pop(self):
        self.sp -= 1
        return self.stack[self.sp]

    def pop_args(self, argc):
        args = [ZERO] * argc
        i = argc - 1
        while i >= 0:
            args[i] = self.pop()
            i -= 1
        return args


def get_location(pc, code):
    return "%s:%d %s" % (code.name, pc, NAMES[code.ops[pc]])


jitdriver = JitDriver(greens=["pc", "code"], reds=["frame"], get_printable_location=get_location)


def interpret(code, args):
    frame = Frame(code, args)
    pc = 0
    while True:
        jitdriver.jit_merge_point(pc=pc, code=code, frame=frame)
        op = code.ops[pc]
        try:
            if op == CONST:
                frame.push(W_Int(code.ops[pc + 1]))
                pc += 2
            elif op == LOAD:
                frame.push(frame.locals[code.ops[pc + 1]])
                pc += 2
            elif op == STORE:
                frame.locals[code.ops[pc + 1]] = frame.pop()
                pc += 2
            elif op == ADD or op == SUB or op == LT or op == MOD:
                b = frame.pop().to_int()
                a = frame.pop().to_int()
                if op == ADD:
                    try:
                        r = ovfcheck(a + b)
                    except OverflowError:
                        raise VMError(W_Int(-2))
                elif op == SUB:
                    r = a - b
                elif op == MOD:
                    r = a % b
                else:
                    r = 1 if a < b else 0
                frame.push(W_Int(r))
                pc += 1
            elif op == JUMP:
                target = code.ops[pc + 1]
                if target < pc:
                    jitdriver.can_enter_jit(pc=target, code=code, frame=frame)
                pc = target
            elif op == JUMP_IF_FALSE:
                if frame.pop().to_int() == 0:
                    pc = code.ops[pc + 1]
                else:
                    pc += 2
            elif op == NEW:
                frame.push(W_Instance(CLASSES[code.ops[pc + 1]]))
                pc += 2
            elif op == GETFIELD:
                w_obj = frame.pop()
                frame.push(w_obj.getfield(code.names[code.ops[pc + 1]]))
                pc += 2
            elif op == SETFIELD:
                w_value = frame.pop()
                w_obj = frame.pop()
                w_obj.setfield(code.names[code.ops[pc + 1]], w_value)
                pc += 2
            elif op == SEND:
                args = frame.pop_args(code.ops[pc + 2] + 1)
                cls = promote(args[0].getclass())
                meth = lookup_method(cls, code.names[code.ops[pc + 1]])
                if meth is None:
                    raise VMError(W_Int(-5))
                frame.push(interpret(meth, args))
                pc += 3
            elif op == CALL:
                args = frame.pop_args(code.ops[pc + 2])
                frame.push(interpret(FUNCTIONS[code.ops[pc + 1]], args))
                pc += 3
            elif op == RETURN:
                return frame.pop()
            elif op == RAISE:
                raise VMError(frame.pop())
            elif op == SETUP_EXCEPT:
                frame.handler_pcs.append(code.ops[pc + 1])
                frame.handler_sps.append(frame.sp)
                pc += 2
            elif op == POP_EXCEPT:
                frame.handler_pcs.pop()
                frame.handler_sps.pop()
                pc += 1
            elif op == DIV:
                b = frame.pop().to_int()
                a = frame.pop().to_int()
                frame.push(W_Int(divide(a, b)))
                pc += 1
            elif op == MULTIPLE:
                b = frame.pop().to_int()
                a = frame.pop().to_int()
                frame.push(W_Int(1 if is_multiple(a, b) else 0))
                pc += 1
            elif op == POP:
                frame.pop()
                pc += 1
            elif op == DUP:
                w = frame.pop()
                frame.push(w)
                frame.push(w)
                pc += 1
            else:
                raise VMError(W_Int(-6))
        except VMError as e:
            if len(frame.handler_pcs) == 0:
                raise
            pc = frame.handler_pcs.pop()
            frame.sp = frame.handler_sps.pop()
            frame.push(e.w_value)


# ____________________________________________________________
# An assembler (run at import time): opcode names, ints, "label:" and "@label".

OPCODES = {}
for _i in range(len(NAMES)):
    OPCODES[NAMES[_i]] = _i


def assemble(name, nlocals, source, names=None):
    tokens = source.split()
    labels = {}
    pos = 0
    for t in tokens:
        if t.endswith(":"):
            labels[t[:-1]] = pos
        else:
            pos += 1
    ops = []
    for t in tokens:
        if t.endswith(":"):
            continue
        if t.startswith("@"):
            ops.append(labels[t[1:]])
        elif t in OPCODES:
            ops.append(OPCODES[t])
        else:
            ops.append(int(t))
    return Code(name, ops, names or [], nlocals)


# Two classes with a field `v` at different positions and a method `get`.
CLASS_A = Class("A", ["v"])
CLASS_B = Class("B", ["w", "v"])
CLASSES = [CLASS_A, CLASS_B]
CLASS_A.methods["get"] = assemble("A.get", 1, "LOAD 0 GETFIELD 0 RETURN", ["v"])
CLASS_B.methods["get"] = assemble("B.get", 1, "LOAD 0 GETFIELD 0 CONST 1000 ADD RETURN", ["v"])

FUNCTIONS = []
# 0: add(a, b)
FUNCTIONS.append(assemble("add", 2, "LOAD 0 LOAD 1 ADD RETURN"))
# 1: fib(k), recursive
FUNCTIONS.append(assemble("fib", 1, """
    LOAD 0 CONST 2 LT JUMP_IF_FALSE @rec LOAD 0 RETURN
rec:
    LOAD 0 CONST 1 SUB CALL 1 1 LOAD 0 CONST 2 SUB CALL 1 1 ADD RETURN
"""))
# 2: check(k): raises k when k is a multiple of 7 (with a residual call returning a bool)
FUNCTIONS.append(assemble("check", 1, """
    LOAD 0 CONST 7 MULTIPLE JUMP_IF_FALSE @ok LOAD 0 RAISE
ok:
    LOAD 0 RETURN
"""))
# 3: thrower(k): raises k + 1 from one frame down
FUNCTIONS.append(assemble("thrower", 1, "LOAD 0 CONST 1 ADD CALL 4 1 RETURN"))
# 4: raiser(k)
FUNCTIONS.append(assemble("raiser", 1, "LOAD 0 RAISE"))

# The programs: local 0 is n; each returns its result.
PROGRAMS = {}
# A counted loop: guard_true/guard_false on the loop condition, the overflow check of ADD.
PROGRAMS["loop"] = assemble("loop", 3, """
    CONST 0 STORE 1 CONST 0 STORE 2
top:
    LOAD 1 LOAD 0 LT JUMP_IF_FALSE @end
    LOAD 2 LOAD 1 ADD STORE 2
    LOAD 1 CONST 1 ADD STORE 1
    JUMP @top
end:
    LOAD 2 RETURN
""")
# A branch that changes direction halfway, and one taken every third iteration (asked of a
# residual call returning a bool): guards that fail often, so bridges.
PROGRAMS["phases"] = assemble("phases", 4, """
    CONST 0 STORE 1 CONST 0 STORE 2
    LOAD 0 CONST 2 DIV STORE 3
top:
    LOAD 1 LOAD 0 LT JUMP_IF_FALSE @end
    LOAD 1 LOAD 3 LT JUMP_IF_FALSE @second
    LOAD 2 CONST 1 ADD STORE 2 JUMP @third
second:
    LOAD 2 CONST 5 ADD STORE 2
third:
    LOAD 1 CONST 3 MULTIPLE JUMP_IF_FALSE @next
    LOAD 2 CONST 100 ADD STORE 2
next:
    LOAD 1 CONST 1 ADD STORE 1
    JUMP @top
end:
    LOAD 2 RETURN
""")
# An instance of B every third iteration, of A otherwise: the promoted class changes
# (guard_value on the class pointer fails often, a bridge), fields found by the elidable
# lookup.
PROGRAMS["objects"] = assemble("objects", 5, """
    CONST 0 STORE 1 CONST 0 STORE 2
top:
    LOAD 1 LOAD 0 LT JUMP_IF_FALSE @end
    LOAD 1 CONST 3 MOD JUMP_IF_FALSE @makeb
    NEW 0 STORE 4 JUMP @fill
makeb:
    NEW 1 STORE 4
fill:
    LOAD 4 LOAD 1 SETFIELD 0
    LOAD 2 LOAD 4 SEND 1 0 ADD STORE 2
    LOAD 1 CONST 1 ADD STORE 1
    JUMP @top
end:
    LOAD 2 RETURN
""", ["v", "get"])
# Calls between interpreted frames in the loop, then a recursive fib.
PROGRAMS["calls"] = assemble("calls", 3, """
    CONST 0 STORE 1 CONST 0 STORE 2
top:
    LOAD 1 LOAD 0 LT JUMP_IF_FALSE @end
    LOAD 2 LOAD 1 CONST 3 CALL 0 2 ADD STORE 2
    LOAD 1 CONST 1 ADD STORE 1
    JUMP @top
end:
    LOAD 2 CONST 10 CALL 1 1 ADD RETURN
""")
# VM errors raised two frames down (every 9th iteration), by a called function (every 7th)
# and inside a residual call (a division by i % 5), caught by this frame's handlers.
PROGRAMS["exceptions"] = assemble("exceptions", 3, """
    CONST 0 STORE 1 CONST 0 STORE 2
top:
    LOAD 1 LOAD 0 LT JUMP_IF_FALSE @end
    SETUP_EXCEPT @h1
    LOAD 2 LOAD 1 CALL 2 1 ADD STORE 2
    POP_EXCEPT JUMP @second
h1:
    LOAD 2 SUB STORE 2
second:
    SETUP_EXCEPT @h2
    LOAD 2 CONST 1000 LOAD 1 CONST 5 MOD DIV ADD STORE 2
    POP_EXCEPT JUMP @third
h2:
    POP LOAD 2 CONST 7 ADD STORE 2
third:
    LOAD 1 CONST 9 MOD JUMP_IF_FALSE @throw
    JUMP @next
throw:
    SETUP_EXCEPT @h3
    LOAD 1 CALL 3 1 POP
    POP_EXCEPT JUMP @next
h3:
    LOAD 2 ADD STORE 2
next:
    LOAD 1 CONST 1 ADD STORE 1
    JUMP @top
end:
    LOAD 2 RETURN
""")
# A residual call that raises at every iteration, caught here: guard_exception.
PROGRAMS["residual"] = assemble("residual", 3, """
    CONST 0 STORE 1 CONST 0 STORE 2
top:
    LOAD 1 LOAD 0 LT JUMP_IF_FALSE @end
    SETUP_EXCEPT @h
    LOAD 1 CONST 0 DIV STORE 2
    POP_EXCEPT JUMP @next
h:
    LOAD 2 ADD CONST 1 ADD STORE 2
next:
    LOAD 1 CONST 1 ADD STORE 1
    JUMP @top
end:
    LOAD 2 RETURN
""")
# Doubling until ADD overflows, n times: the overflow guard fails at the end of each inner
# loop, and the VM error is caught.
PROGRAMS["overflow"] = assemble("overflow", 5, """
    CONST 0 STORE 1 CONST 0 STORE 2
top:
    LOAD 1 LOAD 0 LT JUMP_IF_FALSE @end
    LOAD 1 CONST 1 ADD STORE 3 CONST 0 STORE 4
    SETUP_EXCEPT @caught
double:
    LOAD 3 LOAD 3 ADD STORE 3
    LOAD 4 CONST 1 ADD STORE 4
    JUMP @double
caught:
    POP LOAD 2 LOAD 4 ADD STORE 2
    LOAD 1 CONST 1 ADD STORE 1
    JUMP @top
end:
    LOAD 2 RETURN
""")
# A loop, then a VM error no frame catches: it leaves the interpreter.
PROGRAMS["uncaught"] = assemble("uncaught", 3, """
    CONST 0 STORE 1
top:
    LOAD 1 LOAD 0 LT JUMP_IF_FALSE @end
    LOAD 1 CONST 1 ADD STORE 1
    JUMP @top
end:
    LOAD 1 CALL 3 1 RETURN
""")


def entry_point(argv):
    if len(argv) < 3:
        print("usage: object_vm PROGRAM N")
        return 2
    code = PROGRAMS.get(argv[1], None)
    if code is None:
        print("no program %s" % argv[1])
        return 2
    n = int(argv[2])
    try:
        w_result = interpret(code, [W_Int(n)])
    except VMError as e:
        print("uncaught VM error %s" % e.w_value.repr())
        return 3
    print("%s %d: %s" % (argv[1], n, w_result.repr()))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
