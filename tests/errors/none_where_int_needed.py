"""None flows where an int is needed."""


def parse(text):
    if text.isdigit():
        return int(text)
    return None


def entry_point(argv):
    value = parse(argv[0])
    print(value + 1)
    return 0
