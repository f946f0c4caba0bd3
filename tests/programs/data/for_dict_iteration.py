# for over a dict, .keys(), .values() and .items(), building reports, and mutating a copy while iterating.


def entry_point(argv):
    population = {"tokyo": 37400, "delhi": 29400, "shanghai": 26300, "sao paulo": 21800, "cairo": 20900}
    for city in population:
        print(city, population[city])
    total = 0
    for p in population.values():
        total += p
    print("total", total)
    longest = ""
    for name in population.keys():
        if len(name) > len(longest):
            longest = name
    print("longest name", longest)
    for name, p in population.items():
        share = 100.0 * p / total
        print("%-10s %6d %5.1f%%" % (name, p, share))
    big = {}
    for name, p in population.items():
        if p > 25000:
            big[name.upper()] = p // 1000
    print(big)
    trimmed = population.copy()
    for name in population:
        if name.startswith("s"):
            del trimmed[name]
    print([k for k in trimmed])
    inverted = {}
    for k, v in {"a": 1, "b": 2, "c": 1, "d": 3, "e": 2}.items():
        if v not in inverted:
            inverted[v] = []
        inverted[v].append(k)
    for v, ks in inverted.items():
        print(v, ks)
    empty = {}
    n = 0
    for k in empty:
        n += len(k)
    for k, v in empty.items():
        n += v
    print("empty loops", n)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
