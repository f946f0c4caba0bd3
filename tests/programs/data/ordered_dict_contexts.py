# run:
# run: self other
# collections.OrderedDict as PySOM's method generation context uses it: arguments and
# locals by name, in insertion order, with `in`, `[]`, `len`, `values()` and `get`.
from collections import OrderedDict


class Argument(object):
    def __init__(self, name, idx):
        self.name = name
        self.idx = idx


class MethodGenerationContext(object):
    def __init__(self):
        self._arguments = OrderedDict()
        self._locals = OrderedDict()

    def add_argument(self, arg):
        if arg in self._arguments:
            return False
        self._arguments[arg] = Argument(arg, len(self._arguments))
        return True

    def add_local(self, name):
        if name in self._locals:
            return None
        result = Argument(name, len(self._locals))
        self._locals[name] = result
        return result

    def describe(self):
        parts = [a.name + "@" + str(a.idx) for a in self._arguments.values()]
        parts += [l.name + "#" + str(l.idx) for l in list(self._locals.values())]
        return " ".join(parts)


def entry_point(argv):
    mgenc = MethodGenerationContext()
    mgenc.add_argument("self")
    for a in argv[1:]:
        print(a, mgenc.add_argument(a))
    for name in ["tmp", "i", "tmp", "acc"]:
        print(name, mgenc.add_local(name) is not None)
    print(mgenc.describe())
    print(len(mgenc._arguments), mgenc._locals.get("i").idx, "j" in mgenc._locals)
    del mgenc._locals["tmp"]
    print(mgenc.describe(), sorted(mgenc._locals.keys()))
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(entry_point(sys.argv))
