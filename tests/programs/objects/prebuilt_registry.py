# run:
# run: sub
# A module-level dict of prebuilt command instances built in an import-time loop; run-time mutation of their counters.


class Command(object):
    def __init__(self, name, weight):
        self.name = name
        self.weight = weight
        self.used = 0

    def run(self, x):
        self.used += 1
        return x + self.weight


class Doubler(Command):
    def run(self, x):
        self.used += 1
        return 2 * x + self.weight


REGISTRY = {}
ORDER = []
for _i, _name in enumerate(["add", "sub", "mul", "dbl"]):
    if _name == "dbl":
        _cmd = Doubler(_name, _i)
    else:
        _cmd = Command(_name, _i * 10 - 5)
    REGISTRY[_name] = _cmd
    ORDER.append(_cmd)
DEFAULT = REGISTRY["add"]


def dispatch(name, x):
    cmd = REGISTRY.get(name, DEFAULT)
    return cmd.run(x)


def entry_point(argv):
    names = ["add", "dbl", "nope", "mul", "dbl", "add"]
    if len(argv) > 1:
        names.append(argv[1])
    x = 1
    for n in names:
        x = dispatch(n, x)
        print(n, x)
    for cmd in ORDER:
        print(cmd.name, cmd.weight, cmd.used)
    print(REGISTRY["dbl"] is ORDER[3], DEFAULT is ORDER[0])
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
