# run:
# run: hello
# run: hello world again
# Command-line arguments printed as strings (argv[0], the program path, is never printed).


def entry_point(argv):
    n = len(argv)
    print("arguments:", n - 1)
    i = 1
    while i < n:
        print(i, argv[i])
        i += 1
    if n > 2:
        print(argv[2], argv[1])
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
