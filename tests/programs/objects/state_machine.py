# run:
# run: aabbbcabx
# A class-based state machine: State subclasses return the next state; prebuilt state instances; transition counts.


class State(object):
    name = "state"

    def __init__(self):
        self.entered = 0

    def on(self, ch):
        raise NotImplementedError

    def enter(self):
        self.entered += 1


class Start(State):
    name = "start"

    def on(self, ch):
        if ch == "a":
            return IN_A
        if ch == "b":
            return IN_B
        return ERROR


class InA(State):
    name = "in_a"

    def on(self, ch):
        if ch == "a":
            return self
        if ch == "b":
            return IN_B
        if ch == "c":
            return ACCEPT
        return ERROR


class InB(State):
    name = "in_b"

    def on(self, ch):
        if ch == "b":
            return self
        if ch == "c":
            return ACCEPT
        if ch == "a":
            return IN_A
        return ERROR


class Accept(State):
    name = "accept"

    def on(self, ch):
        return START.on(ch)


class Error(State):
    name = "error"

    def on(self, ch):
        return self


START = Start()
IN_A = InA()
IN_B = InB()
ACCEPT = Accept()
ERROR = Error()
ALL = [START, IN_A, IN_B, ACCEPT, ERROR]


class Machine(object):
    def __init__(self):
        self.state = START
        self.trace = []

    def feed(self, s):
        for ch in s:
            nxt = self.state.on(ch)
            if nxt is not self.state:
                nxt.enter()
                self.trace.append(nxt.name)
            self.state = nxt
        return self.state is ACCEPT


def entry_point(argv):
    inputs = ["abc", "aaac", "bbca", "abz", "", "cab"]
    if len(argv) > 1:
        inputs.append(argv[1])
    for s in inputs:
        m = Machine()
        ok = m.feed(s)
        print(repr(s), ok, m.state.name, "/".join(m.trace))
    for st in ALL:
        print(st.name, st.entered)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
