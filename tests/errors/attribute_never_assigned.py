"""Reading an attribute that no code assigns: the message names the class and what it has."""


class Frame(object):
    def __init__(self, code):
        self.code = code
        self.pc = 0

    def step(self):
        self.pc += 1


def entry_point(argv):
    f = Frame("abc")
    f.step()
    print(f.stack_depth)
    return 0
