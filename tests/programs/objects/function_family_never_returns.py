# run:
# run: 3
# Functions held in one value (an attribute, a prebuilt list) where one member always
# raises and so never returns (PySOM's storage locations: `_unwritten_inc` beside the
# `inc` functions that return the new value; `_restart` among the primitives): the family
# still has one signature, as RPython's call normalisation gives it.


class UninitializedStorageLocationException(Exception):
    pass


class Integer(object):
    def __init__(self, value):
        self.value = value

    def prim_inc(self):
        return Integer(self.value + 1)


class Obj(object):
    def __init__(self):
        self.fields = [Integer(0), Integer(10)]


class Location(object):
    _immutable_fields_ = ["access_idx", "inc_fn", "read_fn"]

    def __init__(self, access_idx, read_fn, inc_fn):
        self.access_idx = access_idx
        self.read_fn = read_fn
        self.inc_fn = inc_fn


def _unwritten_read(node, obj):
    return None


def _unwritten_inc(node, obj):
    raise UninitializedStorageLocationException()


def _array_read(node, obj):
    return obj.fields[node.access_idx]


def _array_inc(node, obj):
    val = obj.fields[node.access_idx]
    new_val = val.prim_inc()
    obj.fields[node.access_idx] = new_val
    return new_val


def _make_direct_inc(idx):
    def inc_location(node, obj):
        new_val = obj.fields[idx].prim_inc().prim_inc()
        obj.fields[idx] = new_val
        return new_val

    return inc_location


_direct_inc = [_make_direct_inc(0), _make_direct_inc(1)]


def _restart(rcvr, arg):
    raise RuntimeError("Restart primitive is not supported")


def _plus(rcvr, arg):
    return rcvr + arg


def _times(rcvr, arg):
    return rcvr * arg


PRIMITIVES = [_plus, _restart, _times]


def make_location(kind, idx):
    if kind == 0:
        return Location(idx, _unwritten_read, _unwritten_inc)
    if kind == 1:
        return Location(idx, _array_read, _array_inc)
    return Location(idx, _array_read, _direct_inc[idx])


def entry_point(argv):
    n = 2
    if len(argv) > 1:
        n = int(argv[1])
    obj = Obj()
    for kind in range(3):
        for idx in range(2):
            loc = make_location(kind, idx)
            for i in range(n):
                try:
                    v = loc.inc_fn(loc, obj)
                    print("inc", kind, idx, v.value)
                except UninitializedStorageLocationException:
                    print("uninitialized", kind, idx)
                    break
            r = loc.read_fn(loc, obj)
            if r is None:
                print("read nil")
            else:
                print("read", r.value)
    for p in PRIMITIVES:
        try:
            print(p(n, 7))
        except RuntimeError as e:
            print("RuntimeError:", str(e))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
