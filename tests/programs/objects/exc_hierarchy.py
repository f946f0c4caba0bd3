# run:
# run: 0
# run: 3
# A user exception hierarchy rooted at Exception and at ValueError/KeyError; handlers catch by base class.


class InterpError(Exception):
    pass


class ParseError(InterpError):
    pass


class RuntimeFault(InterpError):
    pass


class StackUnderflow(RuntimeFault):
    pass


class BadValue(ValueError):
    pass


class MissingName(KeyError):
    pass


def fail(kind):
    if kind == 0:
        raise ParseError("unexpected token")
    if kind == 1:
        raise StackUnderflow("pop from empty stack")
    if kind == 2:
        raise RuntimeFault("generic fault")
    if kind == 3:
        raise BadValue("bad value 3")
    if kind == 4:
        raise MissingName("x")
    if kind == 5:
        raise InterpError("plain")
    return kind * 10


def classify(kind):
    try:
        return "ok %d" % fail(kind)
    except StackUnderflow as e:
        return "underflow: " + str(e)
    except RuntimeFault as e:
        return "runtime: " + str(e)
    except InterpError as e:
        return "interp: " + str(e)
    except ValueError as e:
        return "value: " + str(e)
    except LookupError:
        return "lookup"


def entry_point(argv):
    start = 0
    if len(argv) > 1:
        start = int(argv[1])
    for k in range(start, 7):
        print(k, classify(k))
    try:
        fail(4)
    except KeyError:
        print("KeyError caught MissingName")
    try:
        fail(3)
    except Exception:
        print("Exception caught BadValue")
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
