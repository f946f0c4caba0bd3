# run:
# run: a b c d
# `isinstance(x, list)` (and str, dict) of a value that may be None (PySOM's
# `ReturnException.__init__`: `assert isinstance(target, list)` of a block's outer frame,
# None for a block without one): True exactly when it is not None.


class Block(object):
    def __init__(self, outer):
        self._outer = outer

    def get_on_stack_marker(self):
        return self._outer


class ReturnException(Exception):
    def __init__(self, result, target):
        self._result = result
        self._target = target
        assert isinstance(target, list)

    def has_reached_target(self, current):
        assert isinstance(current, list)
        return current is self._target


def pick_name(n):
    if n > 3:
        return None
    return "name%d" % n


def pick_dict(n):
    if n > 3:
        return None
    return {"n": n}


def entry_point(argv):
    n = len(argv)
    outer = [1, 2, 3]
    blocks = [Block(outer), Block(None)]
    for b in blocks:
        target = b.get_on_stack_marker()
        print("is list:", isinstance(target, list), "is dict:", isinstance(target, dict))
        try:
            raise ReturnException(n, target)
        except ReturnException as e:
            print("reached:", e.has_reached_target(outer))
        except AssertionError:
            print("AssertionError")
    name = pick_name(n)
    d = pick_dict(n)
    print(isinstance(name, str), isinstance(d, dict), isinstance(d, list))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
