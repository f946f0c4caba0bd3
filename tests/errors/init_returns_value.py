"""__init__ must return None."""


class Token(object):
    def __init__(self, text):
        self.text = text
        return len(text)


def entry_point(argv):
    print(Token(argv[0]).text)
    return 0
