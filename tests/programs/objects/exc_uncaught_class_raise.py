# run:
# An uncaught exception raised as a bare class (no message) after a re-raise: the last stderr line is just the class name.


class Abort(Exception):
    pass


def check(n):
    if n > 3:
        raise Abort
    return n


def run():
    done = 0
    for i in range(10):
        try:
            done += check(i)
        except Abort:
            print("aborting after", done)
            raise
    return done


def entry_point(argv):
    print("result", run())
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
