# run:
# run: 8
# we_are_translated() guards debug-only checks; output is identical whether or not the program is translated.

from kiln.objectmodel import we_are_translated


class Stack(object):
    def __init__(self):
        self.items = []
        self.debug_log = []

    def push(self, v):
        if not we_are_translated():
            self.debug_log.append("push %d" % v)
        self.items.append(v)

    def pop(self):
        if not we_are_translated():
            assert len(self.items) > 0
        return self.items.pop()


def mode_name():
    if we_are_translated():
        return "native"
    return "python"


def entry_point(argv):
    n = 5
    if len(argv) > 1:
        n = int(argv[1])
    s = Stack()
    for i in range(n):
        s.push(i * i)
    total = 0
    while len(s.items) > 0:
        total += s.pop()
    print(total)
    name = mode_name()
    print(name == "native" or name == "python", len(name) >= 6)
    if we_are_translated():
        print("checks skipped")
    else:
        print("checks skipped")
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
