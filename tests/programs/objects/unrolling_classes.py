# run:
# unrolling_iterable over a tuple of classes: isinstance tests and constructor calls unrolled per class.

from kiln.objectmodel import unrolling_iterable


class Instr(object):
    size = 1

    def __init__(self, arg):
        self.arg = arg


class Load(Instr):
    size = 2


class Store(Instr):
    size = 3


class Jump(Instr):
    size = 5


class Nop(Instr):
    pass


KINDS = unrolling_iterable([(Load, "load"), (Store, "store"), (Jump, "jump")])


def name_of(ins):
    for cls, name in KINDS:
        if isinstance(ins, cls):
            return name
    return "instr"


def make(name, arg):
    for cls, n in KINDS:
        if n == name:
            return cls(arg)
    return Nop(arg)


def entry_point(argv):
    prog = []
    for name in ["load", "store", "jump", "zzz", "load"]:
        prog.append(make(name, len(prog) * 7))
    pc = 0
    for ins in prog:
        print(pc, name_of(ins), ins.arg, ins.size)
        pc += ins.size
    print("end", pc)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
