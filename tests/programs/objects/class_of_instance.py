# run:
# run: a b c
# `value.__class__` (PySOM's object layouts): the class of an instance as a value,
# compared with `is` to class constants, stored in a list beside None, used to make a
# new instance, and reading it again once a subclass appears later in the program.


class AbstractObject(object):
    def describe(self):
        return "object"


class Integer(AbstractObject):
    def __init__(self, value):
        self.value = value

    def describe(self):
        return "int %d" % self.value


class Double(AbstractObject):
    def __init__(self, value):
        self.value = value

    def describe(self):
        return "double %s" % self.value


class Object(AbstractObject):
    pass


class Layout(object):
    def __init__(self, n):
        self._storage_types = [None] * n

    def with_initialized_field(self, idx, spec_class):
        # First we generalize to Integer, Double, or Object
        if spec_class is Integer or spec_class is Double:
            spec_type = spec_class
        else:
            spec_type = Object
        if self._storage_types[idx] is spec_type:
            return False
        assert self._storage_types[idx] is None
        self._storage_types[idx] = spec_type
        return True

    def kind(self, idx):
        t = self._storage_types[idx]
        if t is None:
            return "uninitialized"
        if t is Integer:
            return "Integer"
        if t is Double:
            return "Double"
        return "Object"


def make(argv, i):
    if len(argv) > i + 1:
        return Integer(i)
    if len(argv) > i:
        return Double(i + 0.5)
    return Object()


def same_class(a, b):
    return a.__class__ is b.__class__


class Late(Object):
    def describe(self):
        return "late"


def late_class(argv):
    if len(argv) > 3:
        return Late().__class__
    return Object().__class__


def entry_point(argv):
    layout = Layout(5)
    values = []
    for i in range(4):
        value = make(argv, i)
        values.append(value)
        changed = layout.with_initialized_field(i, value.__class__)
        again = layout.with_initialized_field(i, value.__class__)
        print(i, value.describe(), changed, again, layout.kind(i))
    print(layout.kind(4))
    print(same_class(values[0], values[1]), same_class(values[0], values[3]))
    cls = values[3].__class__
    print(cls is Object, cls is not Integer, values[3].__class__ is Late)
    print(late_class(argv) is Late, late_class(argv) is Object)
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(entry_point(sys.argv))
