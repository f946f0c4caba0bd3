# run: 5
# run: 12
# PyPy's tlc (rpython/jit/tl/tlc.py, in _tlc.py): the toy language with cons cells and
# objects (NEW, SETATTR, SEND), an elidable lookup; factorial and a method send.
import _tlc as tlc
import _tlopcode as tlopcode

FACTORIAL = tlopcode.compile('''
    PUSH 1   #  accumulator
    PUSHARG
start:
    PICK 0
    PUSH 1
    LE
    BR_COND exit
    SWAP
    PICK 1
    MUL
    SWAP
    PUSH 1
    SUB
    PUSH 1
    BR_COND start
exit:
    POP
    RETURN
''')

POOL = tlc.ConstantPool()
OBJECTS = tlopcode.compile('''
    NEW x,y,area=area
    PICK 0
    PUSHARG
    SETATTR x
    PICK 0
    PUSH 7
    SETATTR y
    SEND area/0
    NIL
    PUSH 3
    CONS
    PUSH 4
    CONS
    CDR
    CAR
    ADD
    RETURN
area:
    PUSHARG
    GETATTR x
    PUSHARG
    GETATTR y
    MUL
    RETURN
''', POOL)


def entry_point(argv):
    n = int(argv[1])
    print("%d" % tlc.interp(FACTORIAL, 0, n))
    print("%d" % tlc.interp_nonjit(FACTORIAL, 0, n + 2))
    print("%d" % tlc.interp(OBJECTS, 0, n, POOL))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
