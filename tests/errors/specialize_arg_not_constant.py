"""specialize.arg asks for one copy per constant value: a variable argument is an error."""
from kiln.objectmodel import specialize


@specialize.arg(1)
def scaled(x, factor):
    return x * factor


def entry_point(argv):
    print(scaled(3, 2))
    print(scaled(3, len(argv)))
    return 0
