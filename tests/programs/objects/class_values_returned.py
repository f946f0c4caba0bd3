# run:
# run: x
# One of several classes (never instantiated) or functions as a value: a helper's
# result that is one known class or function meets another at a return, and `is`
# tells them apart (they were both one null pointer, and `is` was always True).


class Kind(object):
    pass


class Small(Kind):
    pass


class Large(Kind):
    pass


def small_kind():
    return Small


def pick_kind(flag):
    if flag:
        return small_kind()
    return Large


def one():
    return 1


def two():
    return 2


def get_one():
    return one


def pick_fn(flag):
    if flag:
        return get_one()
    return two


def entry_point(argv):
    flag = len(argv) > 1
    k = pick_kind(flag)
    print(k is Small, k is Large, k is not Small)
    print(pick_fn(flag)(), pick_fn(not flag)())
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(entry_point(sys.argv))
