# rpython.rlib.rerased: a list with storage strategies (ints, then objects) kept as erased storage, as PySOM's arrays do; and erase_int.
from rpython.rlib.rerased import erase_int, is_integer, new_erasing_pair, unerase_int

int_erase, int_unerase = new_erasing_pair("int_list")
obj_erase, obj_unerase = new_erasing_pair("obj_list")
str_erase, str_unerase = new_erasing_pair("str")


class Box(object):
    def __init__(self, name):
        self.name = name


class Array(object):
    def __init__(self, n):
        self.is_int = True
        self.storage = int_erase([0] * n)

    def put_int(self, i, v):
        if self.is_int:
            int_unerase(self.storage)[i] = v
        else:
            obj_unerase(self.storage)[i] = Box(str(v))

    def put_obj(self, i, b):
        if self.is_int:
            ints = int_unerase(self.storage)
            objs = [Box(str(x)) for x in ints]
            self.storage = obj_erase(objs)
            self.is_int = False
        obj_unerase(self.storage)[i] = b

    def show(self):
        if self.is_int:
            return "ints " + str(int_unerase(self.storage))
        return "objs " + ",".join([b.name for b in obj_unerase(self.storage)])


def entry_point(argv):
    a = Array(4)
    a.put_int(1, 7)
    print(a.show())
    a.put_obj(2, Box("box"))
    a.put_int(3, 9)
    print(a.show())
    slots = [str_erase("text"), erase_int(-5), str_erase(None), int_erase([1, 2])]
    for e in slots:
        if is_integer(e):
            print("int", unerase_int(e))
        else:
            print("not an int")
    print(str_unerase(slots[0]), str_unerase(slots[2]) is None)
    try:
        str_unerase(slots[3])
    except AssertionError:
        print("AssertionError: unerase of another pair")
    try:
        erase_int(4611686018427387904)
    except OverflowError as e:
        print("OverflowError:", str(e))
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(entry_point(sys.argv))
