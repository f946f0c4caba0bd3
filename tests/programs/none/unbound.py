# run:
# run: a
# run: a b
# Locals assigned only on some paths: reading them where they are unbound raises
# UnboundLocalError (caught here, uncaught with two arguments), as in CPython.


def last_positive(xs):
    for x in xs:
        if x > 0:
            found = x
    return found


def first_word(argv):
    if len(argv) > 1:
        word = argv[1]
    return word


def counted(n):
    i = 0
    while i <= 1:
        c = i * 2 + n
        i += 1
    return c


def in_try(n):
    try:
        if n > 2:
            raise ValueError("big")
        v = n * 10
    except ValueError:
        pass
    return v


def entry_point(argv):
    print(last_positive([1, -2, 3]))
    try:
        print(last_positive([-1, -2]))
    except UnboundLocalError as e:
        print("UnboundLocalError:", str(e))
    try:
        print(first_word(argv))
    except NameError as e:
        print("NameError:", str(e))
    print(counted(len(argv)))
    print(in_try(len(argv)))
    if len(argv) == 3:
        print(first_word([]))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
