# run: 3
# run: 2
# A frame whose stack starts as `[None] * 8` and whose run loop returns what it pops: the
# result is always None until the pushes are annotated, which used to be an early E0305.


class W_Int:
    def __init__(self, v):
        self.v = v

    def rep(self):
        return str(self.v)


class Frame(object):
    def __init__(self):
        self.stack = [None] * 8
        self.stackpos = 0

    def push(self, w_x):
        self.stack[self.stackpos] = w_x
        self.stackpos += 1

    def pop(self):
        stackpos = self.stackpos - 1
        assert stackpos >= 0
        self.stackpos = stackpos
        res = self.stack[stackpos]
        self.stack[stackpos] = None
        return res

    def interp(self, n):
        pc = 0
        while pc < n:
            pc += 1
            if pc == 3:
                return self.pop()


def run(w_arg, n):
    frame = Frame()
    frame.push(w_arg)
    return frame.interp(n)


def entry_point(argv):
    w = run(W_Int(len(argv)), int(argv[1]))
    if w is None:
        print("none")
    else:
        print(w.rep())
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
