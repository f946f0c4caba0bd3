# Each kind of allocation, done directly inside `try`, runs the heap out under a small
# KILN_GC_MAX_HEAP; the program catches MemoryError, checks that the structure whose
# growth failed is intact, frees what it held and allocates the same way again.
# argv[1] names the kind; a second argument `once` stops after the first MemoryError
# (for --gc=none and the llinterp, which never free). tests/gc_limits.rs runs it with every collector, translated
# and on the llinterp; CPython has no heap limit (it would run until the machine's
# memory is gone), so it is not a differential program.


class Node(object):
    def __init__(self, next, value):
        self.next = next
        self.value = value


class Pair(object):
    def __init__(self, a, b):
        self.a = a
        self.b = b


def fill_lists(kind, src, small):
    # One allocation of about 8 KB per step, kept in a preallocated table, so that
    # the only allocation inside the loop is the one under test.
    keep = [None] * 20000
    i = 0
    try:
        while True:
            if kind == "list_mul":
                keep[i] = [i] * 1000
            elif kind == "list_add":
                keep[i] = src + small
            elif kind == "list_comp":
                keep[i] = [x + i for x in src]
            elif kind == "list_slice":
                keep[i] = src[1:]
            elif kind == "list_copy":
                keep[i] = list(src)
            elif kind == "list_range":
                keep[i] = list(range(i, i + 1000))
            elif kind == "sorted":
                keep[i] = sorted(src)
            elif kind == "dict_keys":
                keep[i] = list(DICT.keys())
            else:
                return -1
            i += 1
    except MemoryError:
        pass
    return i


def fill_strs(kind, s, parts):
    keep = [""] * 20000
    i = 0
    try:
        while True:
            if kind == "str_concat":
                keep[i] = s + parts[i % 3]
            elif kind == "str_mul":
                keep[i] = parts[i % 3] * 2000
            elif kind == "str_join":
                keep[i] = ",".join(parts * 300)
            elif kind == "str_replace":
                keep[i] = s.replace("a", "bb")
            elif kind == "str_format":
                keep[i] = "%s-%d" % (s, i)
            elif kind == "fstring":
                keep[i] = f"{s}{i}"
            elif kind == "format_spec":
                keep[i] = f"{i:>4000}"
            elif kind == "str_upper":
                keep[i] = s.upper()
            elif kind == "str_slice":
                keep[i] = s[1:]
            else:
                return -1
            i += 1
    except MemoryError:
        pass
    return i


def fill_small(kind):
    # Small objects, chained: the node and the object are allocated in the loop.
    head = None
    i = 0
    try:
        while True:
            if kind == "str_int":
                head = Node(head, str(i))
            elif kind == "tuple":
                head = Node(head, str((i, i + 1)))
            elif kind == "instance":
                head = Node(head, "")
            elif kind == "dict_new":
                head = Node(head, str(len({i: i, i + 1: i})))
            else:
                return -1
            i += 1
    except MemoryError:
        pass
    return i


def grow_list(kind):
    # One list grows until its growth fails; it must keep its items and length.
    lst = []
    i = 0
    try:
        while True:
            if kind == "append":
                lst.append(i)
            elif kind == "extend":
                lst.extend([i, i, i, i])
            elif kind == "insert":
                lst.insert(len(lst), i)
            elif kind == "inplace_add":
                lst += [i, i, i, i]
            else:
                return -1
            i += 1
    except MemoryError:
        pass
    per = 4 if kind == "extend" or kind == "inplace_add" else 1
    ok = len(lst) == i * per and (i == 0 or lst[len(lst) - 1] == i - 1)
    print(kind, "intact" if ok else "BROKEN")
    return i


def grow_dict():
    d = {}
    i = 0
    try:
        while True:
            d[i] = i
            i += 1
    except MemoryError:
        pass
    ok = len(d) == i and d[i - 1] == i - 1 and (i not in d) and d[0] == 0
    print("dict_setitem", "intact" if ok else "BROKEN")
    return i


def grow_str():
    s = ""
    i = 0
    try:
        while True:
            s += CHUNK
            i += 1
    except MemoryError:
        pass
    ok = len(s) == 32000 * i and s[len(s) - 1] == "h"
    print("str_inplace_add", "intact" if ok else "BROKEN")
    return i


def fill_heap():
    keep = [None] * 20000
    i = 0
    try:
        while True:
            keep[i] = [i] * 1000
            i += 1
    except MemoryError:
        pass
    return keep


def sort_when_full(big):
    # With the heap full, the sort raises MemoryError before it touches the list. The
    # table that fills the heap dies with this frame.
    keep = fill_heap()
    caught = False
    try:
        big.sort()
    except MemoryError:
        caught = True
    return caught and len(keep) > 0


def sort_full(once):
    # Sorting needs a merge buffer of half the items: with the heap full, the sort
    # raises MemoryError and leaves the list as it was; once the heap is freed it sorts.
    big = [(i * 7919) % 10007 for i in range(10000)]
    caught = sort_when_full(big)
    ok = caught and big[0] == 0 and big[1] == 7919 and big[9999] == (9999 * 7919) % 10007
    print("sort", "intact" if ok else "BROKEN")
    if once:
        return 1
    big.sort()
    ok = True
    for k in range(1, len(big)):
        if big[k - 1] > big[k]:
            ok = False
    print("sort", "sorted" if ok and len(big) == 10000 else "BROKEN")
    return 1


def print_full(once):
    # `print(big)` needs the list's repr, which does not fit: nothing is printed.
    big = list(range(3000))
    keep = fill_heap()
    try:
        print(big)
    except MemoryError:
        print("print caught")
    if once:
        return len(keep)
    keep = [None]
    print(big[0:3])
    return 1


def raise_full(kind, once):
    # Raising allocates the exception: with the heap full that fails, and the
    # MemoryError takes its place, as in CPython. `uncaught` lets it end the program.
    keep = fill_heap()
    if kind == "uncaught":
        raise ValueError("no room for this message: " + str(len(keep)))
    try:
        raise ValueError("no room for this message: " + str(len(keep)))
    except ValueError:
        print("raise caught")
    except MemoryError:
        print("raise caught")
    if once:
        return len(keep)
    keep = [None]
    return 1


CHUNK = "abcdefgh" * 4000
DICT = {}
for _k in range(1000):
    DICT[_k] = _k


def run(kind, once):
    if kind == "sort":
        return sort_full(once)
    if kind == "print":
        return print_full(once)
    if kind == "raise" or kind == "uncaught":
        return raise_full(kind, once)
    src = list(range(1000))
    small = [1, 2, 3]
    s = "ab" * 2000
    parts = ["x", "yy", "zzz"]
    n = fill_lists(kind, src, small)
    if n < 0:
        n = fill_strs(kind, s, parts)
    if n < 0:
        n = fill_small(kind)
    if n < 0 and kind == "dict_setitem":
        n = grow_dict()
    if n < 0 and kind == "str_inplace_add":
        n = grow_str()
    if n < 0:
        n = grow_list(kind)
    return n


def entry_point(argv):
    kind = argv[1]
    once = len(argv) > 2
    n = run(kind, once)
    if n < 0:
        print("unknown kind", kind)
        return 2
    print(kind, "caught MemoryError", n > 0)
    if once:
        return 0
    # What was allocated is garbage now: the same allocations work again.
    for attempt in range(3):
        n = run(kind, once)
        print(kind, "caught again", n > 0)
    return 0
