# run:
# run: a/b/Hello.som x
# Static methods called through self, through a prebuilt strategy object and through
# an instance of a subclass.


class Strategy(object):
    @staticmethod
    def new_storage_for(size):
        return [0] * size

    @staticmethod
    def name():
        return "plain"


class DoubleStrategy(Strategy):
    def describe(self):
        return "double " + self.name()


_empty = Strategy()


class Universe(object):
    def __init__(self):
        self.classpath = []

    @staticmethod
    def _path_class_ext(path):
        parts = path.rsplit("/", 1)
        if len(parts) <= 1:
            return "", path
        return parts[0], parts[1]

    @staticmethod
    def _default_classpath():
        return ["."]

    def setup(self, args):
        if len(args) == 0:
            self.classpath = self._default_classpath()
            return "none"
        path, name = self._path_class_ext(args[0])
        self.classpath = [path] + self._default_classpath()
        return name


def describe(s):
    return s.describe()


def entry_point(argv):
    u = Universe()
    print(u.setup(argv[1:]), len(u.classpath), u.classpath[0])
    storage = _empty.new_storage_for(len(argv) + 2)
    print(len(storage), sum(storage))
    strategies = [DoubleStrategy(), DoubleStrategy()]
    if len(argv) > 1:
        strategies.append(DoubleStrategy())
    for s in strategies:
        print(describe(s), len(s.new_storage_for(len(strategies))))
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(entry_point(sys.argv))
