# float() of a malformed string escapes entry_point: ValueError: could not convert string to float: '1,5'.


def entry_point(argv):
    readings = ["1.5", "2.25", "1,5", "3"]
    acc = 0.0
    for r in readings:
        acc += float(r)
        print(acc)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
