# run:
# Bound methods stored in variables, lists and attributes and called later; each keeps its own receiver.


class Counter(object):
    def __init__(self, name, step):
        self.name = name
        self.step = step
        self.n = 0

    def tick(self):
        self.n += self.step
        return self.n

    def reset(self):
        self.n = 0
        return 0


class Button(object):
    def __init__(self, label, callback):
        self.label = label
        self.callback = callback

    def press(self):
        return "%s -> %d" % (self.label, self.callback())


def entry_point(argv):
    a = Counter("a", 1)
    b = Counter("b", 10)
    t = a.tick
    t()
    t()
    print(a.n, b.n)
    ticks = [a.tick, b.tick, b.tick, a.tick]
    total = 0
    for f in ticks:
        total += f()
    print(total, a.n, b.n)
    buttons = [Button("a+", a.tick), Button("b+", b.tick), Button("a+", a.tick)]
    for btn in buttons:
        print(btn.press())
    r = b.reset
    r()
    print(buttons[1].press(), b.n)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
