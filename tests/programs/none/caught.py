# run:
# run: x
# Each operation on a value that may be None raises CPython's exception, caught in RPy.


class Node(object):
    def __init__(self, v, left):
        self.v = v
        self.left = left

    def value(self):
        return self.v


def pick_node(argv, n):
    if len(argv) > n:
        return Node(n, None)
    return None


def pick_str(argv, n):
    if len(argv) > n:
        return "s%d" % n
    return None


def pick_list(argv, n):
    if len(argv) > n:
        return [n, n + 1]
    return None


def pick_dict(argv, n):
    if len(argv) > n:
        return {"a": n}
    return None


def attr(argv):
    try:
        print(pick_node(argv, 1).v)
    except AttributeError as e:
        print("AttributeError:", str(e))


def setattr_(argv):
    try:
        pick_node(argv, 1).v = 5
        print("set")
    except AttributeError as e:
        print("AttributeError:", str(e))


def method(argv):
    try:
        print(pick_node(argv, 1).value())
    except AttributeError as e:
        print("AttributeError:", str(e))


def str_method(argv):
    try:
        print(pick_str(argv, 1).upper())
    except AttributeError as e:
        print("AttributeError:", str(e))


def list_method(argv):
    try:
        pick_list(argv, 1).append(3)
        print("appended")
    except AttributeError as e:
        print("AttributeError:", str(e))


def index(argv):
    try:
        print(pick_list(argv, 1)[0])
    except TypeError as e:
        print("TypeError:", str(e))
    try:
        print(pick_str(argv, 1)[0])
    except TypeError as e:
        print("TypeError:", str(e))
    try:
        print(pick_dict(argv, 1)["a"])
    except TypeError as e:
        print("TypeError:", str(e))


def setitem(argv):
    try:
        pick_list(argv, 1)[0] = 7
        print("stored")
    except TypeError as e:
        print("TypeError:", str(e))


def delitem(argv):
    try:
        del pick_list(argv, 1)[0]
        print("deleted")
    except TypeError as e:
        print("TypeError:", str(e))


def slicing(argv):
    try:
        print(len(pick_list(argv, 1)[0:1]))
    except TypeError as e:
        print("TypeError:", str(e))
    try:
        print(pick_str(argv, 1)[1:])
    except TypeError as e:
        print("TypeError:", str(e))


def length(argv):
    try:
        print(len(pick_str(argv, 1)))
    except TypeError as e:
        print("TypeError:", str(e))
    try:
        print(len(pick_list(argv, 1)))
    except TypeError as e:
        print("TypeError:", str(e))


def concat(argv):
    try:
        print("<" + pick_str(argv, 1))
    except TypeError as e:
        print("TypeError:", str(e))
    try:
        print(pick_str(argv, 1) + ">")
    except TypeError as e:
        print("TypeError:", str(e))
    try:
        print(len([0] + pick_list(argv, 1)))
    except TypeError as e:
        print("TypeError:", str(e))
    try:
        s = "a"
        s += pick_str(argv, 1)
        print(s)
    except TypeError as e:
        print("TypeError:", str(e))


def repeat(argv):
    try:
        print(pick_str(argv, 1) * 2)
    except TypeError as e:
        print("TypeError:", str(e))
    try:
        print(3 * pick_str(argv, 1))
    except TypeError as e:
        print("TypeError:", str(e))


def contains(argv):
    try:
        print(1 in pick_list(argv, 1))
    except TypeError as e:
        print("TypeError:", str(e))
    try:
        print("a" in pick_dict(argv, 1))
    except TypeError as e:
        print("TypeError:", str(e))


def iteration(argv):
    try:
        total = 0
        for x in pick_list(argv, 1):
            total += x
        print(total)
    except TypeError as e:
        print("TypeError:", str(e))


def entry_point(argv):
    attr(argv)
    setattr_(argv)
    method(argv)
    str_method(argv)
    list_method(argv)
    index(argv)
    setitem(argv)
    delitem(argv)
    slicing(argv)
    length(argv)
    concat(argv)
    repeat(argv)
    contains(argv)
    iteration(argv)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
