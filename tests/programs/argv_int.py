# run:
# run: 10
# run: -7 3
# run: 0 0 0
# run: +5 007 -12 100000000000
# Command-line arguments: len(argv), argv[i] and int(argv[i]).


def entry_point(argv):
    count = len(argv) - 1
    total = 0
    product = 1
    i = 1
    while i < len(argv):
        value = int(argv[i])
        total += value
        product *= value
        i += 1
    print("count", count, "sum", total, "product", product)
    if count > 0:
        print("first", int(argv[1]), "last", int(argv[len(argv) - 1]))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
