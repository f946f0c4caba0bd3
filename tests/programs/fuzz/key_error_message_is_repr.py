# run:
# Found by tests/fuzz: str() of a KeyError built with one argument is the argument's repr, as CPython's KeyError.__str__.


class MissingName(KeyError):
    pass


class Lookup(KeyError):
    def __init__(self, name):
        KeyError.__init__(self, name)
        self.name = name


def entry_point(argv):
    n = len(argv)
    for i in range(4):
        try:
            if i == 0:
                raise KeyError("x,y,z")
            elif i == 1:
                raise MissingName("tab\there")
            elif i == 2:
                raise Lookup("it's")
            else:
                raise KeyError(n)
        except KeyError as e:
            print(i, str(e), len(str(e)))
    try:
        raise LookupError("plain")
    except LookupError as e:
        print(str(e))
    raise MissingName("uncaught")


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
