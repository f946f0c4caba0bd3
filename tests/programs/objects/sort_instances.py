# run:
# run: 17
# Instances sorted by an overridable comparison method (insertion sort and merge sort over lists of base references).


class Item(object):
    def __init__(self, key, tag):
        self.key = key
        self.tag = tag

    def lt(self, other):
        return self.key < other.key

    def show(self):
        return "%d%s" % (self.key, self.tag)


class Priority(Item):
    def lt(self, other):
        if isinstance(other, Priority):
            return self.key < other.key
        return True


def insertion_sort(items):
    for i in range(1, len(items)):
        cur = items[i]
        j = i - 1
        while j >= 0 and cur.lt(items[j]):
            items[j + 1] = items[j]
            j -= 1
        items[j + 1] = cur


def merge_sort(items):
    if len(items) <= 1:
        return items
    mid = len(items) // 2
    left = merge_sort(items[:mid])
    right = merge_sort(items[mid:])
    out = []
    i = 0
    j = 0
    while i < len(left) and j < len(right):
        if right[j].lt(left[i]):
            out.append(right[j])
            j += 1
        else:
            out.append(left[i])
            i += 1
    while i < len(left):
        out.append(left[i])
        i += 1
    while j < len(right):
        out.append(right[j])
        j += 1
    return out


def show_all(items):
    parts = []
    for it in items:
        parts.append(it.show())
    return " ".join(parts)


def make(n):
    items = []
    x = 5
    for i in range(n):
        x = (x * 13 + 7) % 50
        if i % 4 == 0:
            items.append(Priority(x, "!"))
        else:
            items.append(Item(x, ""))
    return items


def entry_point(argv):
    n = 12
    if len(argv) > 1:
        n = int(argv[1])
    a = make(n)
    print(show_all(a))
    b = merge_sort(a)
    insertion_sort(a)
    print(show_all(a))
    print(show_all(b))
    same = True
    for i in range(len(a)):
        if a[i] is not b[i]:
            same = False
    print("same order", same)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
