# run: 20
# run: 300
# A residual call that raises on the iteration the JIT traces (the first, at
# threshold=1) and returns normally afterwards: the trace holds guard_exception, which
# then fails at every iteration, and the frame resumes after the call on the normal path.
# That path reads the call's result, so the guard's resume data must hold it (a stale
# register there gave wrong sums).

from kiln.jit import JitDriver, dont_look_inside

jitdriver = JitDriver(greens=[], reds=["i", "n", "total"])


class Odd(Exception):
    pass


@dont_look_inside
def weigh(i):
    if i % 97 == 0:
        raise Odd()
    return i * 3 + 1


def run(n):
    i = 0
    total = 0
    while i < n:
        jitdriver.jit_merge_point(i=i, n=n, total=total)
        try:
            w = weigh(i)
            total += w
        except Odd:
            total -= 1000
        i += 1
    return total


def entry_point(argv):
    n = int(argv[1]) if len(argv) > 1 else 20
    print("total", run(n))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
