"""A list holding an int and a str: RPy lists are homogeneous."""


def entry_point(argv):
    items = [1, 2, 3]
    items.append("four")
    print(len(items))
    return 0
