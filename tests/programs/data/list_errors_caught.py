# List errors caught: IndexError on get/set/pop/del, ValueError from index and remove, with CPython messages.


def get(l, i):
    try:
        return l[i]
    except IndexError as e:
        print("get", i, "->", e)
        return -1


def put(l, i, v):
    try:
        l[i] = v
        return True
    except IndexError as e:
        print("put", i, "->", e)
        return False


def entry_point(argv):
    l = [10, 20, 30]
    print(get(l, 0), get(l, 2), get(l, -3), get(l, 3), get(l, -4), get(l, 100))
    print(put(l, 1, 21), put(l, 3, 40), put(l, -4, 0), l)
    empty = [0]
    empty.pop()
    try:
        empty.pop()
    except IndexError as e:
        print("pop empty:", e)
    try:
        l.pop(7)
    except IndexError as e:
        print("pop index:", e)
    try:
        del l[5]
    except IndexError as e:
        print("del:", e)
    try:
        print(l.index(99))
    except ValueError as e:
        print("index:", e)
    try:
        l.remove(99)
    except ValueError as e:
        print("remove:", e)
    words = ["a", "b"]
    try:
        print(words.index("zz"))
    except ValueError as e:
        print("index str:", e)
    grid = [[1, 2], [3, 4]]
    hits = 0
    for r in range(-3, 3):
        for c in range(-3, 3):
            try:
                hits += grid[r][c]
            except IndexError:
                hits += 1000
    print("hits", hits)
    print(l)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
