# Tables built at import time with map, filter, sets, functools, operator and itertools.
import functools
import itertools
import operator
from functools import partial, reduce
from operator import attrgetter, itemgetter

SQUARES = list(map(lambda x: x * x, range(6)))
EVENS = list(filter(lambda x: x % 2 == 0, SQUARES))
PAIRS = list(map(operator.add, [1, 2, 3], [10, 20, 30]))
KEYWORDS = frozenset(["if", "else", "while", "def"])
_seen = set()
for _w in ["a", "b", "a", "c"]:
    _seen.add(_w)
SEEN = sorted(_seen)
UNION = sorted({1, 2} | {2, 3})
INTER = sorted(set([1, 2, 3]) & {2, 3, 4})
DIFF = sorted({1, 2, 3} - {2})
N_KW = len(KEYWORDS)
IS_KW = dict((w, w in KEYWORDS) for w in ["if", "x", "def"])
TOTAL = reduce(operator.add, [1, 2, 3, 4], 100)
PRODUCT = functools.reduce(lambda a, b: a * b, range(1, 6))
add10 = partial(operator.add, 10)
SHIFTED = [add10(i) for i in range(3)]
SECOND = list(map(itemgetter(1), [(1, "one"), (2, "two")]))


class Op(object):
    def __init__(self, name, arity):
        self.name = name
        self.arity = arity


OPS = [Op("neg", 1), Op("add", 2)]
NAMES = list(map(attrgetter("name"), OPS))
NUMBERED = list(zip(itertools.count(1), ["x", "y", "z"]))
CHAINED = list(itertools.chain([1, 2], (3,), [4]))
FLAT = list(itertools.chain.from_iterable([[1], [2, 3]]))
GRID = list(itertools.product("ab", [0, 1]))
PERMS = ["".join(p) for p in itertools.permutations("abc", 2)]
COMBS = list(itertools.combinations(range(4), 2))
FIRST3 = list(itertools.islice(itertools.count(10, 5), 3))
LONGEST = list(itertools.zip_longest([1, 2, 3], "ab", fillvalue="-"))
RUNNING = list(itertools.accumulate([1, 2, 3, 4]))
STAR = list(itertools.starmap(operator.mul, [(2, 3), (4, 5)]))
REPEATED = list(itertools.repeat("r", 3))
CALLABLE = [callable(add10), callable(3), callable(Op)]


def entry_point(argv):
    print(SQUARES, EVENS, PAIRS)
    print(SEEN, UNION, INTER, DIFF, N_KW)
    print(IS_KW["if"], IS_KW["x"], TOTAL, PRODUCT, SHIFTED, SECOND, NAMES)
    for n, s in NUMBERED:
        print(n, s)
    print(CHAINED, FLAT, len(GRID), GRID[1][0], GRID[1][1])
    print(PERMS, len(COMBS), COMBS[0][1], FIRST3, RUNNING, STAR, REPEATED)
    for a, b in LONGEST:
        print(a, b)
    print(CALLABLE)
    # operator functions called directly translate to the operation itself.
    x = len(argv) + 4
    print(operator.add(x, 1), operator.mul(x, 3), operator.neg(x), operator.lt(x, 2))
    print(operator.getitem(SQUARES, 2), operator.contains(SQUARES, 16), operator.not_(x))
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(entry_point(sys.argv))
