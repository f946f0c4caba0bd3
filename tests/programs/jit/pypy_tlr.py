# run: 7
# run: 40
# PyPy's tlr (rpython/jit/tl/tlr.py, in _tlr.py), the smallest toy language of its JIT tests:
# SQUARE on a register machine, as PyPy's test_tlr runs it.
import _tlr as tlr


def entry_point(argv):
    n = int(argv[1])
    print(tlr.interpret(tlr.SQUARE, n))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
