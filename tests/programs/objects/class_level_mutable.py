# run:
# Class-level prebuilt containers (a registry list and a counter dict) shared by all instances and mutated at run time.


class Plugin(object):
    registry = []
    counts = {}

    def __init__(self, name):
        self.name = name
        Plugin.registry.append(self)
        self.counts[name] = self.counts.get(name, 0) + 1

    def run(self, x):
        return x


class Doubler(Plugin):
    def run(self, x):
        return x * 2


class Adder(Plugin):
    def __init__(self, name, k):
        Plugin.__init__(self, name)
        self.k = k

    def run(self, x):
        return x + self.k


def entry_point(argv):
    Doubler("dbl")
    Adder("add", 3)
    Doubler("dbl")
    Plugin("id")
    Adder("add", -10)
    x = 1
    for p in Plugin.registry:
        x = p.run(x)
        print(p.name, x)
    print(len(Doubler.registry), Adder.registry is Plugin.registry)
    for name in ["dbl", "add", "id", "none"]:
        print(name, Plugin.counts.get(name, 0))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
