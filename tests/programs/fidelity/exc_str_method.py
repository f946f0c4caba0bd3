# run:
# run: boom
# __str__ on an exception class decides str(e), formatting and the uncaught message.


class ParseError(Exception):
    def __init__(self, msg, line):
        Exception.__init__(self, msg)
        self.msg = msg
        self.line = line

    def __str__(self):
        return "line %d: %s" % (self.line, self.msg)


class Plain(Exception):
    pass


class Sub(ParseError):
    pass


def parse(s, line):
    if len(s) > 3:
        raise Sub("too long: " + s, line)
    raise ParseError("bad " + s, line)


def entry_point(argv):
    try:
        parse("ab", 3)
    except ParseError as e:
        print(str(e))
        print("caught: %s" % e)
        print(f"caught {e}")
    try:
        parse("abcdef", 7)
    except Exception as e:
        print(str(e))
    try:
        raise Plain("plain")
    except Plain as e:
        print(str(e))
    if len(argv) > 1:
        parse(argv[1], 99)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
