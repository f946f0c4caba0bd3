# A deep singly linked list (12,000 nodes) built, walked, reversed and dropped, twice.


class Node(object):
    def __init__(self, value, next):
        self.value = value
        self.next = next


def build(n):
    head = None
    for i in range(n):
        head = Node(i, head)
    return head


def total(head):
    s = 0
    while head is not None:
        s += head.value
        head = head.next
    return s


def reverse(head):
    prev = None
    while head is not None:
        nxt = head.next
        head.next = prev
        prev = head
        head = nxt
    return prev


def entry_point(argv):
    for round in range(2):
        head = build(12000)
        print(round, total(head))
        head = reverse(head)
        assert head is not None
        print(head.value, total(head))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
