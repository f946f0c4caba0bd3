# run:
# run: 0
# run: 42
# The int returned by entry_point is the process exit code (3 unless given in argv[1]).


def entry_point(argv):
    code = 3
    if len(argv) > 1:
        code = int(argv[1])
    print("exiting with", code)
    return code


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
