# run:
# An uncaught exception of a class derived from ValueError, raised several calls deep after partial output.


class Unit(object):
    def __init__(self, name, factor):
        self.name = name
        self.factor = factor


class UnitMismatch(ValueError):
    pass


class Quantity(object):
    def __init__(self, amount, unit):
        self.amount = amount
        self.unit = unit

    def add(self, other):
        if self.unit is not other.unit:
            raise UnitMismatch("cannot add %s to %s" % (other.unit.name, self.unit.name))
        return Quantity(self.amount + other.amount, self.unit)


M = Unit("m", 1)
S = Unit("s", 1)


def total(qs):
    acc = qs[0]
    for i in range(1, len(qs)):
        acc = acc.add(qs[i])
        print("running", acc.amount, acc.unit.name)
    return acc


def entry_point(argv):
    total([Quantity(1, M), Quantity(2, M), Quantity(3, S), Quantity(4, M)])
    print("unreachable")
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
