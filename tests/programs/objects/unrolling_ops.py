# run:
# run: 6 4
# unrolling_iterable over (name, function) pairs: the for loop is unrolled, each iteration calls a different function.

from kiln.objectmodel import unrolling_iterable


def op_add(a, b):
    return a + b


def op_sub(a, b):
    return a - b


def op_and(a, b):
    return a & b


def op_shl(a, b):
    return a << b


OPS = unrolling_iterable([("add", op_add), ("sub", op_sub), ("and", op_and), ("shl", op_shl)])
SMALL = unrolling_iterable([1, 2, 3])


def dispatch(name, a, b):
    for opname, fn in OPS:
        if opname == name:
            return fn(a, b)
    return -1


def all_results(a, b):
    out = []
    for opname, fn in OPS:
        out.append("%s=%d" % (opname, fn(a, b)))
    return " ".join(out)


def entry_point(argv):
    a = 12
    b = 3
    if len(argv) > 2:
        a = int(argv[1])
        b = int(argv[2])
    print(all_results(a, b))
    for name in ["shl", "add", "mul", "and"]:
        print(name, dispatch(name, a, b))
    total = 0
    for k in SMALL:
        total += k * a
    print(total)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
