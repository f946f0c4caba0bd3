# None as a null list and dict: optional arguments, lazily created containers, and narrowing before use.


def add_item(items, x):
    if items is None:
        items = []
    items.append(x)
    return items


def count_into(text, counts=None):
    if counts is None:
        counts = {}
    for w in text.split():
        counts[w] = counts.get(w, 0) + 1
    return counts


def find_row(rows, key):
    for r in rows:
        if r[0] == key:
            return r
    return None


class Cache(object):
    def __init__(self):
        self.data = None

    def get(self, key):
        data = self.data
        if data is None:
            return -1
        return data.get(key, -1)

    def put(self, key, value):
        data = self.data
        if data is None:
            data = {}
            self.data = data
        data[key] = value

    def size(self):
        data = self.data
        if data is None:
            return 0
        return len(data)


def entry_point(argv):
    l = add_item(None, 1)
    l = add_item(l, 2)
    print(l)
    c = count_into("a b a c")
    c = count_into("b b d", c)
    print(c, count_into(""))
    rows = [[1, 10, 100], [2, 20, 200], [3, 30, 300]]
    for key in [2, 5, 3]:
        r = find_row(rows, key)
        if r is None:
            print(key, "not found")
        else:
            print(key, "found", r, sum(r))
    cache = Cache()
    print(cache.get("x"), cache.data is None, cache.size())
    cache.put("x", 42)
    print(cache.get("x"), cache.get("y"), cache.data is not None, cache.size())
    grid = None
    for i in range(3):
        if grid is None:
            grid = [[0]]
        grid.append([i] * (i + 1))
    print(grid)
    table = None
    if len(argv) > 3:
        table = {"never": 1}
    if table is not None:
        print("table", table)
    else:
        print("no table")
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
