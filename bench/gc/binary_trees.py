# The classic binary-trees benchmark (Computer Language Benchmarks Game), written in RPy:
# allocation heavy, almost every object dies young, plus one long-lived tree.
#
#     kiln translate bench/gc/binary_trees.py -o build/bench/binary_trees --gc incminimark
#     build/bench/binary_trees 16
#     PYTHONPATH=runtime/python python3 bench/gc/binary_trees.py 16
#
# Argument: the maximum depth (default 16; at least 6). Prints the usual check lines.

MIN_DEPTH = 4


class Node(object):
    def __init__(self, left, right):
        self.left = left
        self.right = right


def bottom_up_tree(depth):
    if depth > 0:
        depth -= 1
        return Node(bottom_up_tree(depth), bottom_up_tree(depth))
    return Node(None, None)


def item_check(node):
    left = node.left
    right = node.right
    if left is None or right is None:
        return 1
    return 1 + item_check(left) + item_check(right)


def run(n):
    max_depth = max(MIN_DEPTH + 2, n)
    stretch_depth = max_depth + 1
    print("stretch tree of depth %d\t check: %d"
          % (stretch_depth, item_check(bottom_up_tree(stretch_depth))))

    long_lived_tree = bottom_up_tree(max_depth)

    depth = MIN_DEPTH
    while depth <= max_depth:
        iterations = 1 << (max_depth - depth + MIN_DEPTH)
        check = 0
        i = 0
        while i < iterations:
            check += item_check(bottom_up_tree(depth))
            i += 1
        print("%d\t trees of depth %d\t check: %d" % (iterations, depth, check))
        depth += 2

    print("long lived tree of depth %d\t check: %d"
          % (max_depth, item_check(long_lived_tree)))


def entry_point(argv):
    n = 16
    if len(argv) > 1:
        n = int(argv[1])
    run(n)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
