# Towers of Hanoi: a recursive procedure that returns None and prints its moves.


def move(n, source, target, spare, verbose):
    if n == 0:
        return
    move(n - 1, source, spare, target, verbose)
    if verbose:
        print("move disk", n, "from", source, "to", target)
    move(n - 1, spare, target, source, verbose)


def count_moves(n):
    if n == 0:
        return 0
    return 2 * count_moves(n - 1) + 1


def entry_point(argv):
    move(3, 1, 3, 2, True)
    move(12, 1, 3, 2, False)
    print("moves for 3 disks:", count_moves(3))
    print("moves for 40 disks:", count_moves(40))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
