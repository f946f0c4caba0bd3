"""Function hints that cannot hold together: @look_inside with @dont_look_inside, and
@unroll_safe (trace into it despite its loop) on a function the tracer may not enter."""
from kiln.jit import dont_look_inside, look_inside, unroll_safe


@look_inside
@dont_look_inside
def step(x):
    return x + 1


@unroll_safe
@dont_look_inside
def total(items):
    s = 0
    for x in items:
        s += x
    return s


def entry_point(argv):
    print(step(len(argv)) + total([1, len(argv)]))
    return 0
