# run:
# run: boom
# run: boom deeper
# __str__ on an exception class decides str(e), print(e), formatting and the report of
# an uncaught exception; classes without one keep the constructor's message.


class ParseError(Exception):
    def __init__(self, msg, line):
        Exception.__init__(self, msg)
        self.msg = msg
        self.line = line

    def __str__(self):
        return "line %d: %s" % (self.line, self.msg)


class Sub(ParseError):
    pass


class Loud(ParseError):
    def __str__(self):
        return self.msg.upper() + "!"


class Plain(Exception):
    pass


def parse(s, line):
    if len(s) > 5:
        raise Loud("very long: " + s, line)
    if len(s) > 3:
        raise Sub("too long: " + s, line)
    raise ParseError("bad " + s, line)


def fail(i):
    if i == 0:
        raise Plain("plain %d" % i)
    if i == 1:
        raise ValueError("value")
    parse("x" * i, i)


def entry_point(argv):
    try:
        parse("ab", 3)
    except ParseError as e:
        print(str(e))
        print("caught: %s" % e)
        print(f"caught {e}")
        print(e)
    for i in range(8):
        try:
            fail(i)
        except Exception as e:
            print(i, str(e))
    try:
        parse("abcd", 5)
    except ParseError as e:
        e.line = 50
        print(e)
    if len(argv) > 2:
        parse(argv[1] + argv[2], 77)
    if len(argv) > 1:
        parse(argv[1], 99)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
