# run:
# run: core-lib/Smalltalk/Object.som Hello ../x.y.z
# str.rsplit (and split with maxsplit) as a VM's class loader decomposes paths:
# directory, file name and extension; at import time and at run time.
SEP = "/"
PARTS = "a/b/c.d".rsplit(SEP, 1) + "x y  z ".split(None, 1) + " p q ".rsplit(None, 1)


def path_split(path):
    path_and_file = path.rsplit(SEP, 1)
    if len(path_and_file) <= 1:
        directory = ""
    else:
        directory = path_and_file[0]
    file_and_ext = path_and_file[-1].rsplit(".", 1)
    if len(file_and_ext) <= 1:
        ext = ""
    else:
        ext = file_and_ext[-1]
    return directory, file_and_ext[0], ext


def entry_point(argv):
    print(PARTS)
    for arg in argv[1:] + ["", "noext", ".hidden", "a//b", "x.y.z/"]:
        d, f, e = path_split(arg)
        print("[" + d + "]", "[" + f + "]", "[" + e + "]")
    print("aaa".rsplit("aa"), "a,b,c,d".rsplit(",", 2), "a,b,c".rsplit(",", 0), "a,b,c".split(",", 1))
    print("one two  three".split(None, 1), "k=v=w".split("=", -1))
    sep = argv[0][:0]
    try:
        print("abc".rsplit(sep))
    except ValueError as e:
        print("ValueError:", e)
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(entry_point(sys.argv))
