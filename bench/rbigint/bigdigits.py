# rpython.rlib.rbigint speed: str() and * of N-digit numbers (default 10000), timed
# inside the program. Run translated, or under CPython with PYTHONPATH=runtime/python
# (add "native" to time CPython's own ints on the same numbers instead).
import time

from rpython.rlib.rbigint import rbigint


def digits(seed, n):
    chars = []
    state = seed
    for i in range(n):
        state = (state * 1103515245 + 12345) % 2147483648
        chars.append(str((state >> 16) % 10))
    if chars[0] == "0":
        chars[0] = "7"
    return "".join(chars)


def entry_point(argv):
    n = 10000
    if len(argv) > 1:
        n = int(argv[1])
    reps = 5
    sa = digits(1, n)
    sb = digits(2, n)
    t0 = time.perf_counter()
    a = rbigint.fromstr(sa)
    b = rbigint.fromstr(sb)
    t1 = time.perf_counter()
    p = a.mul(b)
    for i in range(reps - 1):
        p = a.mul(b)
    t2 = time.perf_counter()
    s = a.str()
    for i in range(reps - 1):
        s = a.str()
    t3 = time.perf_counter()
    ps = p.str()
    t4 = time.perf_counter()
    q = p.floordiv(b)
    t5 = time.perf_counter()
    print("digits", n, "ok", s == sa and q.eq(a), "product digits", len(ps))
    print("fromstr (x2) %.2f ms" % ((t1 - t0) * 1000.0))
    print("mul         %.2f ms" % ((t2 - t1) * 1000.0 / reps))
    print("str         %.2f ms" % ((t3 - t2) * 1000.0 / reps))
    print("str(2n)     %.2f ms" % ((t4 - t3) * 1000.0))
    print("floordiv    %.2f ms" % ((t5 - t4) * 1000.0))
    return 0


def native(n):
    import sys

    if hasattr(sys, "set_int_max_str_digits"):
        sys.set_int_max_str_digits(0)
    sa = digits(1, n)
    sb = digits(2, n)
    reps = 5
    t0 = time.perf_counter()
    a = int(sa)
    b = int(sb)
    t1 = time.perf_counter()
    p = a * b
    for i in range(reps - 1):
        p = a * b
    t2 = time.perf_counter()
    s = str(a)
    for i in range(reps - 1):
        s = str(a)
    t3 = time.perf_counter()
    ps = str(p)
    t4 = time.perf_counter()
    q = p // b
    t5 = time.perf_counter()
    print("digits", n, "ok", s == sa and q == a, "product digits", len(ps))
    print("fromstr (x2) %.2f ms" % ((t1 - t0) * 1000.0))
    print("mul         %.2f ms" % ((t2 - t1) * 1000.0 / reps))
    print("str         %.2f ms" % ((t3 - t2) * 1000.0 / reps))
    print("str(2n)     %.2f ms" % ((t4 - t3) * 1000.0))
    print("floordiv    %.2f ms" % ((t5 - t4) * 1000.0))


if __name__ == "__main__":
    import sys

    if "native" in sys.argv:
        native(int(sys.argv[1]) if sys.argv[1] != "native" else 10000)
    else:
        sys.exit(entry_point(sys.argv))
