# run:
# Bare `raise` re-raises the current exception from an inner handler to an outer one, keeping its class and attributes.


class AppError(Exception):
    def __init__(self, msg, depth):
        Exception.__init__(self, msg)
        self.depth = depth
        self.notes = []


class Fatal(AppError):
    pass


def level3(n):
    if n > 2:
        raise Fatal("too deep", n)
    raise AppError("shallow", n)


def level2(n):
    try:
        level3(n)
    except AppError as e:
        e.notes.append("level2")
        e.depth += 10
        raise
    return 0


def level1(n):
    try:
        return level2(n)
    except Fatal as e:
        e.notes.append("level1")
        raise
    except AppError as e:
        e.notes.append("level1-app")
        return e.depth


def top(n):
    try:
        return "value %d" % level1(n)
    except AppError as e:
        return "%s %s depth=%d notes=%s" % (type_name(e), str(e), e.depth, ",".join(e.notes))


def type_name(e):
    if isinstance(e, Fatal):
        return "Fatal"
    return "AppError"


def entry_point(argv):
    for n in range(5):
        print(top(n))
    try:
        try:
            raise ValueError("inner")
        except ValueError:
            raise
    except ValueError as e:
        print("outer got", str(e))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
