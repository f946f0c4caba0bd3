# run:
# run: --no-gc
# rgc.disable()/enable()/isenabled() as a VM's --no-gc option uses them; collection
# still reclaims memory (as CPython's reference counting does with gc disabled).
from rpython.rlib import rgc


def churn(n):
    total = 0
    for i in range(n):
        items = [i] * 50
        total += len(items)
    return total


def entry_point(argv):
    if "--no-gc" in argv:
        rgc.disable()
        if rgc.isenabled() == 0:
            print("GC successfully disabled.")
        else:
            print("GC still enabled.")
    print(churn(20000))
    rgc.collect()
    print(rgc.isenabled())
    rgc.enable()
    print(rgc.isenabled())
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(entry_point(sys.argv))
