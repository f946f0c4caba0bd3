# run:
# An instance attribute assigned at run time shadows a class-level default of the same name.


class Config(object):
    verbose = False
    level = 1
    name = "default"

    def bump(self):
        self.level = self.level + 1

    def show(self):
        return "%s level=%d verbose=%s" % (self.name, self.level, self.verbose)


class Quiet(Config):
    level = 0
    name = "quiet"


def entry_point(argv):
    a = Config()
    b = Config()
    q = Quiet()
    print(a.show())
    a.bump()
    a.bump()
    b.verbose = True
    q.bump()
    print(a.show())
    print(b.show())
    print(q.show())
    print(Config.level, Quiet.level)
    q2 = Quiet()
    print(q2.show())
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
