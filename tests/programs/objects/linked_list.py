# run:
# run: 12
# A singly linked list class with node objects: push, append, reverse, remove, find, to-string.


class ListNode(object):
    def __init__(self, value, next):
        self.value = value
        self.next = next


class LinkedList(object):
    def __init__(self):
        self.head = None
        self.size = 0

    def push(self, v):
        self.head = ListNode(v, self.head)
        self.size += 1

    def append(self, v):
        node = ListNode(v, None)
        cur = self.head
        if cur is None:
            self.head = node
        else:
            nxt = cur.next
            while nxt is not None:
                cur = nxt
                nxt = cur.next
            cur.next = node
        self.size += 1

    def reverse(self):
        prev = None
        cur = self.head
        while cur is not None:
            nxt = cur.next
            cur.next = prev
            prev = cur
            cur = nxt
        self.head = prev

    def remove(self, v):
        prev = None
        cur = self.head
        while cur is not None:
            if cur.value == v:
                if prev is None:
                    self.head = cur.next
                else:
                    prev.next = cur.next
                self.size -= 1
                return True
            prev = cur
            cur = cur.next
        return False

    def find(self, v):
        cur = self.head
        i = 0
        while cur is not None:
            if cur.value == v:
                return i
            cur = cur.next
            i += 1
        return -1

    def to_str(self):
        parts = []
        cur = self.head
        while cur is not None:
            parts.append(str(cur.value))
            cur = cur.next
        return "[" + " -> ".join(parts) + "]"


def entry_point(argv):
    n = 8
    if len(argv) > 1:
        n = int(argv[1])
    lst = LinkedList()
    for i in range(n):
        if i % 2 == 0:
            lst.push(i)
        else:
            lst.append(i)
    print(lst.to_str(), lst.size)
    lst.reverse()
    print(lst.to_str())
    print(lst.remove(0), lst.remove(3), lst.remove(100), lst.size)
    print(lst.to_str(), lst.find(5), lst.find(2), lst.find(-1))
    empty = LinkedList()
    empty.reverse()
    print(empty.to_str(), empty.remove(1), empty.size)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
