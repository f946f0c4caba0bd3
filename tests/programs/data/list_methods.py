# List methods: append, pop with and without index, insert, extend, reverse, index, remove, count, copy.


def entry_point(argv):
    l = [5, 3, 8]
    l.append(1)
    l.append(9)
    print(l, len(l))
    print(l.pop(), l)
    print(l.pop(0), l)
    print(l.pop(-2), l)
    l.insert(0, 100)
    l.insert(2, 200)
    l.insert(-1, 300)
    l.insert(50, 400)
    l.insert(-50, 500)
    print(l)
    l.extend([7, 7, 2])
    l.extend([])
    print(l, l.count(7), l.count(42))
    l.reverse()
    print(l)
    print(l.index(7), l.index(500), l.index(400))
    l.remove(7)
    l.remove(500)
    print(l)
    c = l.copy()
    c.append(-1)
    print(len(l), len(c), l == c[:-1], 3 in l, 42 in l, 42 not in l)
    names = []
    for w in "delta alpha charlie bravo alpha".split():
        if w not in names:
            names.append(w)
    print(names)
    names.insert(1, "echo")
    names.remove("alpha")
    names.extend(["golf", "hotel"])
    print(names, names.index("golf"))
    while len(names) > 2:
        print("popped", names.pop(1))
    print(names)
    stack = []
    for i in range(5):
        stack.append(i * i)
    total = 0
    while stack:
        total += stack.pop()
    print("total", total, stack, len(stack) == 0)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
