"""An attribute that holds an int in one place and a str in another."""


class Token(object):
    def __init__(self, kind):
        self.kind = kind
        self.value = 0


def number(text):
    t = Token("num")
    t.value = int(text)
    return t


def name(text):
    t = Token("name")
    t.value = text
    return t


def entry_point(argv):
    print(number("12").value, name("x").kind)
    return 0
