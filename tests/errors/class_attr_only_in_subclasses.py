"""A class attribute that only the subclasses define, read through the base (`self.kind`)
where the program also creates instances of the base: CPython raises AttributeError for
those, where the vtable slot would give them an empty value, so it is an error naming the
class. (A static method in the same place raises AttributeError at run time instead: see
tests/programs/objects/static_methods_through_class_values.py.)"""


class Node(object):
    def describe(self):
        return self.kind


class IntNode(Node):
    kind = "int"


class IfNode(Node):
    kind = "if"


def entry_point(argv):
    for n in [IntNode(), IfNode(), Node()]:
        print(n.describe())
    return 0
