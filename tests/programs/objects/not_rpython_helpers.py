# run:
# @not_rpython helpers run only at import time (building classes' tables and prebuilt instances); run-time code uses their results.

from kiln.objectmodel import not_rpython


class Opcode(object):
    def __init__(self, name, num, stack_effect):
        self.name = name
        self.num = num
        self.stack_effect = stack_effect


@not_rpython
def define_opcodes(spec):
    table = []
    by_name = {}
    for i, (name, effect) in enumerate(spec):
        op = Opcode(name.upper(), i, effect)
        table.append(op)
        by_name[name] = op
    return table, by_name


@not_rpython
def check_table(table):
    for i, op in enumerate(table):
        if op.num != i:
            raise ValueError("bad table")
    return len(table)


TABLE, BY_NAME = define_opcodes([("push", 1), ("pop", -1), ("add", -1), ("dup", 1), ("swap", 0)])
NUM_OPS = check_table(TABLE)


def max_depth(names):
    depth = 0
    best = 0
    for n in names:
        depth += BY_NAME[n].stack_effect
        if depth > best:
            best = depth
    return best


def entry_point(argv):
    for op in TABLE:
        print(op.num, op.name, op.stack_effect)
    print(NUM_OPS, max_depth(["push", "push", "dup", "add", "push", "swap", "add", "pop"]))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
