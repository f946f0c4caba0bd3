# run:
# run: x
# Writing to stderr and stdout the usual ways: the output order matches CPython's (stdout
# is flushed before anything goes to stderr).
import sys


def log(msg):
    print("log:", msg, file=sys.stderr)


def entry_point(argv):
    print("starting", len(argv))
    log("one")
    sys.stdout.write("partial ")
    sys.stdout.write("line\n")
    n = sys.stderr.write("direct to stderr\n")
    print("wrote", n, "characters", flush=True)
    print("to stdout explicitly", file=sys.stdout)
    print("a", 1, 2.5, sep="-", end="!\n", file=sys.stderr)
    if len(argv) > 1:
        print("last line on stderr", file=sys.stderr)
        return 3
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(entry_point(sys.argv))
