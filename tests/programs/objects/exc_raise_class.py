# run:
# `raise Cls` (the class, no arguments) versus `raise Cls(msg)`; str(e) of an exception raised without a message.


class Stop(Exception):
    pass


class Skip(Exception):
    pass


class Halt(Stop):
    pass


def step(i):
    if i % 5 == 4:
        raise Halt
    if i % 3 == 2:
        raise Skip
    if i == 7:
        raise Stop("seven")
    return i


def run(n):
    out = []
    for i in range(n):
        try:
            out.append(str(step(i)))
        except Skip as e:
            out.append("skip" + str(e))
        except Halt:
            out.append("halt")
        except Stop as e:
            out.append("stop(" + str(e) + ")")
    return " ".join(out)


def entry_point(argv):
    print(run(12))
    try:
        raise Skip
    except Exception as e:
        print("caught", "[" + str(e) + "]", isinstance(e, Skip), isinstance(e, Stop))
    try:
        raise Halt("with message")
    except Stop as e:
        print("caught", str(e), isinstance(e, Halt))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
