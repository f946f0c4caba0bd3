# run: 5
# run: 30
# run: x
# PyPy's tla (rpython/jit/tl/tla/tla.py, in _tla.py): boxed ints and strs, a virtualizable
# frame; a count-down loop, then int + str raises its OperationError.
import _tla as tla

# count down from the argument, adding 3 each time: DUP JUMP_IF, SUB 1, ...
CODE = ''.join([chr(c) for c in [
    tla.DUP, tla.JUMP_IF, 6,
    tla.CONST_INT, 100, tla.RETURN,
    tla.CONST_INT, 1, tla.SUB,
    tla.DUP, tla.JUMP_IF, 6,
    tla.NEWSTR, ord('!'), tla.ADD, tla.RETURN,
]])


def entry_point(argv):
    a = argv[1]
    if a.isdigit():
        w_arg = tla.W_IntObject(int(a))
    else:
        w_arg = tla.W_StringObject(a)
    try:
        w_res = tla.run(CODE, w_arg)
        print(w_res.getrepr())
    except tla.OperationError:
        print("OperationError")
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
