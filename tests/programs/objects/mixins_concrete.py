# run:
# Mixin methods called on instances of the concrete classes that include them; mixins reading subclass attributes.


class Base(object):
    def __init__(self, name):
        self.name = name


class ReprMixin(object):
    def repr(self):
        return "<%s %s>" % (self.tag, self.name)


class ScoreMixin(object):
    def score(self):
        total = 0
        for ch in self.name:
            total = total * 31 + ord(ch)
            total = total % 1000003
        return total + self.bonus


class Player(Base, ReprMixin, ScoreMixin):
    tag = "player"

    def __init__(self, name, bonus):
        Base.__init__(self, name)
        self.bonus = bonus


class Monster(Base, ReprMixin):
    tag = "monster"

    def __init__(self, name, hp):
        super().__init__(name)
        self.hp = hp

    def hit(self, n):
        self.hp -= n
        return self.hp > 0


def entry_point(argv):
    players = [Player("alice", 3), Player("bob", 0), Player("carol", 100)]
    for p in players:
        print(p.repr(), p.score())
    m = Monster("orc", 10)
    rounds = 0
    while m.hit(3):
        rounds += 1
    print(m.repr(), m.hp, rounds)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
