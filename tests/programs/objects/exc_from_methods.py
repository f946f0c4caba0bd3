# run:
# Exceptions raised from overridden methods called through a base reference, caught by a generic driver loop.


class CheckFailed(Exception):
    def __init__(self, rule, detail):
        Exception.__init__(self, rule + ": " + detail)
        self.rule = rule


class Rule(object):
    name = "rule"

    def check(self, s):
        pass

    def fail(self, detail):
        raise CheckFailed(self.name, detail)


class NotEmpty(Rule):
    name = "not-empty"

    def check(self, s):
        if len(s) == 0:
            self.fail("string is empty")


class MaxLen(Rule):
    name = "max-len"

    def __init__(self, n):
        self.n = n

    def check(self, s):
        if len(s) > self.n:
            self.fail("%d > %d" % (len(s), self.n))


class Alpha(Rule):
    name = "alpha"

    def check(self, s):
        for ch in s:
            if not ch.isalpha():
                raise CheckFailed(self.name, "bad char %s" % ch)


RULES = [NotEmpty(), MaxLen(6), Alpha(), Rule()]


def validate(s):
    errors = []
    for r in RULES:
        try:
            r.check(s)
        except CheckFailed as e:
            errors.append(str(e))
    return errors


def entry_point(argv):
    for s in ["kiln", "", "toolchain", "ab1", "x9y9z9q"]:
        errs = validate(s)
        if len(errs) == 0:
            print(repr(s), "ok")
        else:
            print(repr(s), "; ".join(errs))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
