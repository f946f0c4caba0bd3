# run: 5
# run: 12
# PyPy's tl with both of its interpreters (with and without calls), made by one factory
# called twice: two JitDrivers of one name, each the portal of its own interpreter.
import _tl as tl
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

CALLS = tlopcode.compile('''
    PUSH 7
    CALL func
    PUSH 3
    SUB
    RETURN
func:
    PUSH 6
    PUSH 4
    MUL
    RETURN
''')


def entry_point(argv):
    n = int(argv[1])
    print("%d" % tl.interp(FACTORIAL, 0, n))
    print("%d" % tl.interp_without_call(FACTORIAL, 0, n + 1))
    print("%d" % tl.interp(CALLS, 0, 0))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
