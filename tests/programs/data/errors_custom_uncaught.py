# An exception raised with a message escapes entry_point after handlers for other types: ValueError: empty stack.


def pop_checked(stack):
    if len(stack) == 0:
        raise ValueError("empty stack")
    return stack.pop()


def entry_point(argv):
    stack = [3, 1, 2]
    total = 0
    try:
        for i in range(5):
            total += pop_checked(stack)
            print("total", total)
    except IndexError:
        print("not this one")
    except KeyError:
        print("nor this one")
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
