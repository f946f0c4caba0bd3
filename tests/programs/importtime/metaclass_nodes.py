# A metaclass that generates methods on AST node classes at import time, and type()
# with three arguments.


class NodeMeta(type):
    registry = []

    def __new__(mcs, name, bases, dct):
        fields = dct.get("_fields", ())
        dct["nfields"] = len(fields)
        cls = super().__new__(mcs, name, bases, dct)
        NodeMeta.registry.append(name)
        return cls

    def __init__(cls, name, bases, dct):
        super().__init__(name, bases, dct)
        kind = name.lower()

        def get_kind(self):
            return kind

        cls.get_kind = get_kind


class Node(metaclass=NodeMeta):
    _fields = ()

    def describe(self):
        return "node"


class Num(Node):
    _fields = ("value",)

    def __init__(self, value):
        self.value = value


class Add(Node):
    _fields = ("left", "right")

    def __init__(self, left, right):
        self.left = left
        self.right = right

    def describe(self):
        return "add of " + super().describe()


def evaluate(node):
    if isinstance(node, Num):
        return node.value
    if isinstance(node, Add):
        return evaluate(node.left) + evaluate(node.right)
    return 0


def _make_tag(name):
    return type(name, (object,), {"tag": name.lower(), "size": len(name)})


Tag = _make_tag("Bold")
REGISTRY = list(NodeMeta.registry)
META_OF_NUM = type(Num) is NodeMeta


def entry_point(argv):
    tree = Add(Num(len(argv)), Add(Num(40), Num(1)))
    print(evaluate(tree), tree.get_kind(), tree.left.get_kind())
    print(Num.nfields, Add.nfields, Node.nfields, REGISTRY, META_OF_NUM)
    print(tree.describe(), Num(3).describe())
    print(Tag.tag, Tag.size)
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(entry_point(sys.argv))
