# run:
# run: 7 2 -4
# Static methods called through a class value (PySOM's AST specialisation: `for
# specialization in [IntToIntDoNode, ..., IfNode]: specialization.can_specialize(...)`),
# class attributes read through it, `x.__class__.helper(...)`, and static methods only the
# subclasses define, called through `self` of the base (AttributeError where one lacks it).


class Node(object):
    arity = 2

    def __init__(self, selector):
        self.selector = selector

    def replace(self, new_node):
        return new_node

    def execute(self, n):
        return -1

    def check(self, x):
        return self.accepts(x)


class SpecializedNode(Node):
    name = "specialized"

    @staticmethod
    def can_specialize(selector, rcvr, node):
        return False


class IntLoopNode(SpecializedNode):
    name = "int-loop"

    def __init__(self, selector, limit):
        Node.__init__(self, selector)
        self.limit = limit

    def execute(self, n):
        total = 0
        for i in range(n, self.limit):
            total += i
        return total

    @staticmethod
    def can_specialize(selector, rcvr, node):
        return selector == "to:do:" and rcvr >= 0

    @staticmethod
    def specialize_node(selector, rcvr, node):
        return node.replace(IntLoopNode(selector, rcvr + 3))

    @staticmethod
    def accepts(x):
        return x > 1


class DownLoopNode(SpecializedNode):
    name = "down-loop"

    def execute(self, n):
        return n * 2

    @staticmethod
    def can_specialize(selector, rcvr, node):
        return selector == "downTo:do:"

    @staticmethod
    def specialize_node(selector, rcvr, node):
        return node.replace(DownLoopNode(selector))

    @staticmethod
    def accepts(x):
        return x > 5


class IfNode(SpecializedNode):
    name = "if"

    def execute(self, n):
        if n > 0:
            return 1
        return 0

    @staticmethod
    def can_specialize(selector, rcvr, node):
        return selector == "ifTrue:" or rcvr < 0

    @staticmethod
    def specialize_node(selector, rcvr, node):
        return node.replace(IfNode(selector))


class UninitializedNode(Node):
    def specialize(self, rcvr):
        for specialization in [IntLoopNode, DownLoopNode, IfNode]:
            if specialization.can_specialize(self.selector, rcvr, self):
                # `name` differs per class (a vtable slot), `arity` does not (a constant).
                print("specialised as", specialization.name, specialization.arity)
                return specialization.specialize_node(self.selector, rcvr, self)
        return self


def same_kind(node, rcvr):
    # The class of an instance as a value: call its static method.
    return node.__class__.can_specialize(node.selector, rcvr, node)


def entry_point(argv):
    rcvrs = [3, -2]
    for a in argv[1:]:
        rcvrs.append(int(a))
    for selector in ["to:do:", "downTo:do:", "ifTrue:", "at:put:"]:
        for rcvr in rcvrs:
            node = UninitializedNode(selector).specialize(rcvr)
            print(selector, rcvr, node.execute(rcvr))
            if isinstance(node, SpecializedNode):
                print("  same kind again:", same_kind(node, rcvr))
    for n in [IntLoopNode("to:do:", 4), DownLoopNode("x"), IfNode("y")]:
        try:
            print("accepts 3:", n.check(3))
        except AttributeError as e:
            print("AttributeError:", str(e))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
