# time and os at run time, with RPython's semantics for os (file descriptors; Kiln's os
# functions take and return str, so code that also runs under CPython 3 writes through
# kiln.os, or only calls os.write when translated).
import os
import time

from kiln import os as kos
from kiln.objectmodel import we_are_translated


def write_out(s):
    if we_are_translated():
        os.write(1, s)
    else:
        kos.write(1, s)


def entry_point(argv):
    t0 = time.time()
    c0 = time.perf_counter()
    total = 0
    for i in range(100000):
        total += i % 7
    c1 = time.perf_counter()
    print(total, t0 > 1.0e9, c1 >= c0, time.monotonic() >= 0.0)
    write_out("written with os.write\n")
    fd = os.open("/dev/null", os.O_WRONLY, 0o644)
    print(fd > 2)
    os.close(fd)
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(entry_point(sys.argv))
