# run:
# run: x
# str() of a value typed by an abstract base without __str__ whose instantiated
# subclasses all define it (PySOM's _Variable, Argument and Local).


class _Variable(object):
    def __init__(self, name, idx):
        self._name = name
        self._idx = idx


class Argument(_Variable):
    def __str__(self):
        return "Argument(" + self._name + " idx: " + str(self._idx) + ")"


class Local(_Variable):
    def __str__(self):
        return "Local(" + self._name + " idx: " + str(self._idx) + ")"


def find(variables, name):
    for v in variables:
        if v._name == name:
            return v
    raise Exception("Unexpected issue trying to find a variable. " + name + " could not be found.")


def entry_point(argv):
    variables = [Argument("self", 0), Local("tmp", 0)]
    if len(argv) > 1:
        variables.append(Local(argv[1], 1))
    for v in variables:
        print(str(v), v)
    try:
        print(find(variables, "x"))
        print(find(variables, "y"))
    except Exception as e:
        print("error:", str(e))
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(entry_point(sys.argv))
