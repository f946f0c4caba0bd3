"""A call with more arguments than the function takes."""


def area(width, height):
    return width * height


def entry_point(argv):
    print(area(2, 3, 4))
    return 0
