# run:
# run: bools
# run: mixed
# A float list that a bool list flowed into (PySOM's array strategies: a bool store
# passed to the float-store filler): the bools stay bools, shown, type-tested and read
# as numbers as CPython does, and a float wrapper's isinstance assert fails on them.


class Double(object):
    def __init__(self, value):
        assert isinstance(value, float)
        self._embedded_double = value

    def get_embedded_double(self):
        return self._embedded_double

    def __str__(self):
        return str(self._embedded_double)


class Boolean(object):
    def __init__(self, value):
        self.value = value


def fill_as_double(size, next_i, storage, values):
    # `storage` is a float list here, a bool list from fill_from (the bug in PySOM).
    while next_i < size:
        v = values[next_i % len(values)]
        if v < 0.0:
            # Something else: box what is there so far.
            boxed = []
            for i in range(0, next_i):
                boxed.append(Double(storage[i]))
            return boxed
        storage[next_i] = v
        next_i += 1
    return None


def fill_from(first_is_bool, first, size, values):
    if first_is_bool:
        bool_store = [first] * size
        return bool_store, fill_as_double(size, 1, bool_store, values)
    double_store = [0.0] * size
    double_store[0] = 1.5
    return double_store, fill_as_double(size, 1, double_store, values)


def describe(x):
    if isinstance(x, bool):
        kind = "bool"
    elif isinstance(x, float):
        kind = "float"
    else:
        kind = "other"
    return kind + " " + str(x) + " " + repr(x)


def show(storage):
    i = 0
    while i < len(storage):
        x = storage[i]
        print(i, x, describe(x), isinstance(x, int))
        print("  as number:", x + 0.5, x * 2.0, x == 1.0, x == True, x < 0.5, -x + 0.0, float(x), int(x), bool(x))
        print("  formatted: %s|%r|%.1f|%d" % (x, x, x, x), f"{x}|{x!r}|{x:.2f}|{x!s:>7}")
        if x:
            print("  truthy")
        assert isinstance(x, (float, bool))
        if isinstance(x, float):
            y = x
            print("  narrowed float", y / 2.0)
        else:
            print("  narrowed bool", not x)
        i += 1


def entry_point(argv):
    mode = argv[1] if len(argv) > 1 else "floats"
    values = [2.5, 3.0]
    if mode == "mixed":
        values = [2.5, -1.0]
    storage, boxed = fill_from(mode != "floats", True, 4, values)
    show(storage)
    storage[1] = False
    print(storage[1], storage[0] + storage[1] + 0.0)
    copy = storage[:]
    copy.append(True)
    copy.append(0.25)
    print(len(copy), copy.pop(), copy.pop(), str(copy[-1]))
    for x in copy:
        print(x, end=" ")
    print()
    if boxed is not None:
        for d in boxed:
            print(d)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
