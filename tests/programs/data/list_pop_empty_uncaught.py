# Popping from an empty list escapes entry_point: IndexError: pop from empty list.


def drain(stack, n):
    total = 0
    for i in range(n):
        total += stack.pop()
        print("popped, total", total)
    return total


def entry_point(argv):
    stack = [1, 2, 3]
    print(drain(stack, 2))
    print(drain(stack, 2))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
