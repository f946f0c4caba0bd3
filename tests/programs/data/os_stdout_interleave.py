# kiln.os.write to fd 1 interleaves correctly with print output, and reports UTF-8 byte counts.
from kiln import os


def entry_point(argv):
    print("before")
    n = os.write(1, "direct write\n")
    print("after", n)
    for i in range(3):
        print("print", i, end=" ")
        os.write(1, "[w" + str(i) + "]")
    print()
    m = os.write(1, "héllo → wörld\n")
    print("bytes", m, "chars", len("héllo → wörld\n"))
    print("done", os.write(1, ""))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
