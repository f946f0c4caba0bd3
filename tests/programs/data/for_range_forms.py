# run:
# run: 7 -2
# for over range with one, two and three arguments, negative and large steps, empty ranges, break/continue/else.


def collect(start, stop, step):
    out = []
    for i in range(start, stop, step):
        out.append(i)
    return out


def entry_point(argv):
    a = 10
    b = 3
    if len(argv) > 2:
        a = int(argv[1])
        b = int(argv[2])
    print([i for i in range(5)], [i for i in range(0)], [i for i in range(-3)])
    print([i for i in range(2, 8)], [i for i in range(8, 2)], [i for i in range(-4, 1)])
    print(collect(0, 20, 3), collect(20, 0, -3), collect(10, -11, -5), collect(5, 5, 1), collect(5, 6, 100))
    print(collect(0, a, b) if b > 0 else collect(a, 0, b))
    print(collect(-1, -10, -1), collect(100, 99, -1), collect(-5, 5, 4))
    total = 0
    for i in range(a):
        for j in range(i, a, 2):
            total += i * j
    print("total", total)
    for n in range(2, 30):
        for d in range(2, n):
            if n % d == 0:
                break
        else:
            print("prime", n)
    evens = 0
    i = -1
    for i in range(20, -1, -1):
        if i % 2 == 1:
            continue
        evens += 1
        if i < 6:
            break
    print("evens", evens, "stopped at", i)
    s = 0
    for i in range(1, 101):
        s += i
    print(s, s // 2)
    n = 4
    for i in range(n):
        n -= 1
        print("i", i, "n", n)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
