# run:
# run: 3
# An ovfcheck'd multiplication overflows and OverflowError escapes entry_point.
from kiln.rarith import ovfcheck


def power_checked(b, e):
    r = 1
    for i in range(e):
        r = ovfcheck(r * b)
    return r


def entry_point(argv):
    base = 10
    if len(argv) > 1:
        base = int(argv[1])
    e = 1
    while True:
        print(base, e, power_checked(base, e))
        e += 7
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
