# run:
# run: 7
# Accessors made at import time, one per field index, reading and writing the field
# `"_field" + str(idx)` with getattr/setattr (PySOM's storage locations): the name is a
# constant once the closure's index is, as in RPython's flow space.
from rpython.rlib.unroll import unrolling_iterable


class Obj(object):
    def __init__(self):
        self._field1 = 0
        self._field2 = 0
        self._field3 = 0
        self.label1 = "a"
        self.label2 = "b"


def _make_read(field_idx):
    def read_location(obj):
        return getattr(obj, "_field" + str(field_idx))

    return read_location


def _make_inc(field_idx):
    def inc_location(obj):
        field_name = "_field" + str(field_idx)
        val = getattr(obj, field_name) + 1
        setattr(obj, field_name, val)
        return val

    return inc_location


def _make_label(field_idx):
    def label(obj):
        return getattr(obj, "label%s" % str(field_idx)) + str(field_idx * 1.5) + str(field_idx > 1)

    return label


READS = [_make_read(i + 1) for i in range(3)]
INCS = [_make_inc(i + 1) for i in range(3)]
LABELS = unrolling_iterable([_make_label(1), _make_label(2)])


def entry_point(argv):
    obj = Obj()
    n = len(argv)
    for i in range(n * 3):
        INCS[i % 3](obj)
    total = 0
    for read in READS:
        total = total * 10 + read(obj)
    print(total, obj._field1, obj._field2, obj._field3)
    for label in LABELS:
        print(label(obj))
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(entry_point(sys.argv))
