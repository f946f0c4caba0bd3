# run:
# run: 7
# Attributes initialised to None in __init__ and later set to instances; narrowing through local copies; clearing them again.


class Task(object):
    def __init__(self, name, cost):
        self.name = name
        self.cost = cost
        self.parent = None
        self.blocker = None

    def chain(self):
        names = [self.name]
        p = self.parent
        while p is not None:
            names.append(p.name)
            p = p.parent
        return "<".join(names)

    def total_cost(self):
        t = self.cost
        p = self.parent
        if p is not None:
            t += p.total_cost()
        return t


class Scheduler(object):
    def __init__(self):
        self.current = None
        self.done = []

    def start(self, t):
        prev = self.current
        if prev is not None:
            self.done.append(prev)
        self.current = t

    def finish(self):
        cur = self.current
        if cur is None:
            return "idle"
        self.done.append(cur)
        self.current = None
        return cur.name


def entry_point(argv):
    n = 5
    if len(argv) > 1:
        n = int(argv[1])
    tasks = []
    for i in range(n):
        t = Task("t%d" % i, i + 1)
        if i > 0:
            t.parent = tasks[(i - 1) // 2]
        if i % 3 == 2:
            t.blocker = tasks[0]
        tasks.append(t)
    for t in tasks:
        b = t.blocker
        bname = "-" if b is None else b.name
        print(t.chain(), t.total_cost(), bname)
    s = Scheduler()
    print(s.finish())
    s.start(tasks[0])
    s.start(tasks[-1])
    print(s.finish(), s.finish(), len(s.done))
    tasks[-1].parent = None
    print(tasks[-1].chain(), tasks[-1].total_cost())
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
