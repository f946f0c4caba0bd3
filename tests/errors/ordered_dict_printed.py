"""An OrderedDict shown as text or compared with `==`: CPython prints `OrderedDict({...})`
and compares two of them in order, which Kiln's dict would not, so both are errors."""
from collections import OrderedDict


def entry_point(argv):
    a = OrderedDict()
    b = OrderedDict()
    for s in argv:
        a[s] = len(s)
    b["x"] = 1
    print(a)
    print(a == b)
    return 0
