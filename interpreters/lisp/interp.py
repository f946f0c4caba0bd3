"""The evaluator: an AST of ``Node`` subclasses, each overriding ``eval`` or ``step``.

The compiler (compiler.py) turns every top-level form into a tree of nodes whose
variables are already resolved: a local variable is a (depth, index) pair into the chain
of ``Frame`` objects, a global variable is its ``GlobalCell``.

Every node can be evaluated in two ways:

- ``node.eval(frame)`` evaluates it in a non-tail position and returns its value;
- ``node.step(frame)`` evaluates it in a tail position: it returns the value, or, when
  the value is that of a call to a closure, it stores the closure's body and the new
  frame in ``tail`` and returns None, without making the call.

``Node.eval`` is the trampoline: it calls ``step`` and, while ``step`` asks for a tail
call, goes on with the stored body and frame in the same loop. So a loop written as a
tail-recursive procedure runs in constant Python (and native) stack, and the Python stack
grows only with non-tail calls. Compound nodes (``If``, ``Begin``, ``Let``...) pass their
own tail position on by returning their last sub-node's ``step``, which nests only as
deep as the program text does. Nodes that never make a call in tail position derive from
``SimpleNode`` and compute their value directly in ``eval``.
"""

from kiln.jit import JitDriver

from objects import Frame, UnboundVariable, W_Closure, w_void


def get_location(node):
    """Where the trampoline is, for the JIT log: the kind of node it evaluates."""
    return node.kind


# The trampoline is the interpreter's loop: the node it evaluates is green (the same node
# means the same code), the frame is red. It recurses (non-tail calls evaluate nodes), so
# the driver says so.
jitdriver = JitDriver(greens=["node"], reds=["frame"], get_printable_location=get_location, is_recursive=True)


class TailCall(object):
    """Where ``App.step`` leaves the call it asks the trampoline to make.

    There is a single prebuilt instance, ``tail``: its fields are written by ``step`` and
    read by the trampoline immediately after ``step`` returns None, so nested
    evaluations never see each other's values.
    """

    def __init__(self):
        self.node = None
        self.frame = None


tail = TailCall()


class Node(object):
    """Base class of the AST nodes."""

    kind = "node"

    def eval(self, frame):
        """Evaluate the node in a non-tail position and return its value.

        This is the trampoline that runs the tail calls ``step`` asks for.
        """
        node = self
        while True:
            jitdriver.jit_merge_point(node=node, frame=frame)
            w_result = node.step(frame)
            if w_result is not None:
                return w_result
            next_node = tail.node
            assert next_node is not None
            node = next_node
            frame = tail.frame

    def step(self, frame):
        """Evaluate the node in a tail position.

        Return the value, or return None after storing in ``tail`` the node and frame
        whose evaluation gives the value.
        """
        raise NotImplementedError("step")


class SimpleNode(Node):
    """A node that never makes a call in tail position; subclasses override ``eval``."""

    def step(self, frame):
        return self.eval(frame)


def frame_at(frame, depth):
    """The frame ``depth`` levels up the chain from ``frame``.

    The compiler only emits local-variable nodes inside a scope, with a depth that the
    chain of frames has, so there is always such a frame.
    """
    while depth > 0:
        assert frame is not None
        frame = frame.parent
        depth -= 1
    assert frame is not None
    return frame


# ---------------------------------------------------------------------------------------
# Constants and variables


class Const(SimpleNode):
    """A literal, or a quoted datum."""

    def __init__(self, w_value):
        self.w_value = w_value

    def eval(self, frame):
        return self.w_value


class LocalRef(SimpleNode):
    """A read of the local variable in slot ``index`` of the frame ``depth`` levels up."""

    def __init__(self, name, depth, index):
        self.name = name
        self.depth = depth
        self.index = index

    def eval(self, frame):
        w_value = frame_at(frame, self.depth).values[self.index]
        if w_value is None:
            raise UnboundVariable("variable used before its definition: " + self.name)
        return w_value


class SetLocal(SimpleNode):
    """``(set! name value)`` of a local variable, which must be initialised."""

    def __init__(self, name, depth, index, value):
        self.name = name
        self.depth = depth
        self.index = index
        self.value = value

    def eval(self, frame):
        w_value = self.value.eval(frame)
        values = frame_at(frame, self.depth).values
        if values[self.index] is None:
            raise UnboundVariable("set! of a variable before its definition: " + self.name)
        values[self.index] = w_value
        return w_void


class DefineLocal(SimpleNode):
    """An internal ``define``: initialises a slot of the body's own frame."""

    def __init__(self, index, value):
        self.index = index
        self.value = value

    def eval(self, frame):
        w_value = self.value.eval(frame)
        assert frame is not None  # an internal define is always in a body's frame
        frame.values[self.index] = w_value
        return w_void


class GlobalRef(SimpleNode):
    """A read of a global variable."""

    def __init__(self, cell):
        self.cell = cell

    def eval(self, frame):
        w_value = self.cell.value
        if w_value is None:
            raise UnboundVariable("unbound variable: " + self.cell.name)
        return w_value


class SetGlobal(SimpleNode):
    """``(set! name value)`` of a global variable, which must be defined."""

    def __init__(self, cell, value):
        self.cell = cell
        self.value = value

    def eval(self, frame):
        w_value = self.value.eval(frame)
        if self.cell.value is None:
            raise UnboundVariable("set! of an unbound variable: " + self.cell.name)
        self.cell.value = w_value
        return w_void


class DefineGlobal(SimpleNode):
    """A top-level ``define``: binds or rebinds a global variable."""

    def __init__(self, cell, value):
        self.cell = cell
        self.value = value

    def eval(self, frame):
        self.cell.value = self.value.eval(frame)
        return w_void


# ---------------------------------------------------------------------------------------
# Control


class If(Node):
    """``(if test consequent alternative)``; a missing alternative is a ``Const`` void."""

    kind = "if"

    def __init__(self, test, consequent, alternative):
        self.test = test
        self.consequent = consequent
        self.alternative = alternative

    def step(self, frame):
        if self.test.eval(frame).is_true():
            return self.consequent.step(frame)
        return self.alternative.step(frame)


class Begin(Node):
    """A sequence: evaluates ``body`` for effect, then ``last`` in the tail position."""

    kind = "begin"

    def __init__(self, body, last):
        self.body = body
        self.last = last

    def step(self, frame):
        for node in self.body:
            node.eval(frame)
        return self.last.step(frame)


class And(Node):
    """``(and e1 ... en)`` with n >= 2: the first false value, or the last value."""

    kind = "and"

    def __init__(self, tests, last):
        self.tests = tests
        self.last = last

    def step(self, frame):
        for node in self.tests:
            w_value = node.eval(frame)
            if not w_value.is_true():
                return w_value
        return self.last.step(frame)


class Or(Node):
    """``(or e1 ... en)`` with n >= 2: the first true value, or the last value."""

    kind = "or"

    def __init__(self, tests, last):
        self.tests = tests
        self.last = last

    def step(self, frame):
        for node in self.tests:
            w_value = node.eval(frame)
            if w_value.is_true():
                return w_value
        return self.last.step(frame)


# ---------------------------------------------------------------------------------------
# Scopes and procedures


class Let(Node):
    """``(let ((name init) ...) body)``: inits are evaluated in the enclosing frame.

    The new frame has ``frame_size`` slots: the bound variables first, then one per
    internal ``define`` of the body.
    """

    kind = "let"

    def __init__(self, inits, frame_size, body):
        self.inits = inits
        self.frame_size = frame_size
        self.body = body

    def step(self, frame):
        values = [None] * self.frame_size
        for i in range(len(self.inits)):
            values[i] = self.inits[i].eval(frame)
        return self.body.step(Frame(values, frame))


class Letrec(Node):
    """``(letrec ((name init) ...) body)``: inits are evaluated in the new frame, in order.

    This is ``letrec*``: an init may use the variables initialised before it, and every
    lambda among the inits sees all of them.
    """

    kind = "letrec"

    def __init__(self, inits, frame_size, body):
        self.inits = inits
        self.frame_size = frame_size
        self.body = body

    def step(self, frame):
        new_frame = Frame([None] * self.frame_size, frame)
        for i in range(len(self.inits)):
            new_frame.values[i] = self.inits[i].eval(new_frame)
        return self.body.step(new_frame)


class Lambda(SimpleNode):
    """``(lambda params body)``: makes a closure of ``code`` over the current frame."""

    def __init__(self, code):
        self.code = code

    def eval(self, frame):
        return W_Closure(self.code, frame)


class App(Node):
    """A procedure call ``(fn arg ...)``.

    A closure is not called here: its body and new frame go to the trampoline, which is
    what makes every call in a tail position a proper tail call. Other procedures (the
    primitives) are called directly.
    """

    kind = "app"

    def __init__(self, fn, args):
        self.fn = fn
        self.args = args

    def step(self, frame):
        w_fn = self.fn.eval(frame)
        args = []
        for node in self.args:
            args.append(node.eval(frame))
        if isinstance(w_fn, W_Closure):
            tail.frame = w_fn.bind(args)
            tail.node = w_fn.code.body
            return None
        return w_fn.call(args)
