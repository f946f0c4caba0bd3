# run: 3
# run: 40
# run: 300
# A bytecode interpreter (the portal of `jitdriver`) whose primitives loop under drivers of
# their own, in PySOM's idiom (its `put_all_*_driver`s, `to_do_node.py`'s `int_driver`): a
# `while` in a helper function with a `jit_merge_point`, called from the main loop, with
# greens and reds of other types than the portal's (an instance green, a float red, a str
# green). Each driver gets its own loops; the main loop's calls of the primitives are
# residual calls.

from kiln.jit import JitDriver, promote


class Block(object):
    _immutable_fields_ = ["step", "name"]

    def __init__(self, step, name):
        self.step = step
        self.name = name

    def invoke(self, x):
        return x + self.step


def fill_location(block):
    return "fill with %s" % block.name


fill_driver = JitDriver(greens=["block"], reds=["i", "storage"], get_printable_location=fill_location)


def prim_fill(storage, block):
    # Array>>putAll: with a block: storage[i] = block value, one loop per block.
    i = 0
    while i < len(storage):
        fill_driver.jit_merge_point(block=block, i=i, storage=storage)
        storage[i] = block.invoke(i)
        i += 1


def sum_location(scale):
    return "sum scaled by %d" % scale


sum_driver = JitDriver(greens=["scale"], reds=["i", "total", "values"], get_printable_location=sum_location)


def prim_sum(values, scale):
    # A float red: the scaled sum of the list.
    total = 0.0
    i = 0
    while i < len(values):
        sum_driver.jit_merge_point(scale=scale, total=total, i=i, values=values)
        total += float(values[i] * scale) / 2.0
        i += 1
    return total


def count_location(sep):
    return "count %s" % sep


count_driver = JitDriver(greens=["sep"], reds="auto", get_printable_location=count_location)


def prim_count(text, sep):
    # A str green and reds='auto'.
    n = 0
    i = 0
    while i < len(text):
        count_driver.jit_merge_point(sep=sep)
        if text[i] == sep:
            n += 1
        i += 1
    return n


FILL = 0
SUM = 1
COUNT = 2
LOOP = 3
HALT = 4


def main_location(pc, code):
    return "main %d:%d" % (pc, code[pc])


jitdriver = JitDriver(greens=["pc", "code"], reds=["n", "acc", "storage", "blocks", "text"], get_printable_location=main_location)


def interpret(code, n, size):
    storage = [0] * size
    blocks = [Block(1, "inc"), Block(3, "add3")]
    text = "a,b,,c" * size
    acc = 0.0
    pc = 0
    while True:
        jitdriver.jit_merge_point(pc=pc, code=code, n=n, acc=acc, storage=storage, blocks=blocks, text=text)
        op = code[pc]
        if op == FILL:
            block = promote(blocks[n % 2])
            prim_fill(storage, block)
            pc += 1
        elif op == SUM:
            acc += prim_sum(storage, n % 3 + 1)
            pc += 1
        elif op == COUNT:
            acc += float(prim_count(text, ","))
            pc += 1
        elif op == LOOP:
            n -= 1
            if n > 0:
                pc = 0
            else:
                pc += 1
        else:
            return acc


def entry_point(argv):
    n = int(argv[1])
    code = [FILL, SUM, COUNT, LOOP, HALT]
    print(interpret(code, n, 20))
    # The primitives alone (no portal of `jitdriver` around them).
    storage = [0] * n
    prim_fill(storage, Block(2, "add2"))
    print(storage[n - 1])
    print(prim_sum(storage, 2))
    print(prim_count("x;y;z" * n, ";"))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
