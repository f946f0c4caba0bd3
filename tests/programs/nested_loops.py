# Nested while loops computing a multiplication-table checksum and a triangle of numbers.


def table_checksum(n):
    total = 0
    i = 1
    while i <= n:
        j = 1
        while j <= n:
            total += (i * j) % 7 * i
            j += 1
        i += 1
    return total


def print_triangle(rows):
    r = 1
    while r <= rows:
        value = 0
        c = 1
        while c <= r:
            value = value * 10 + c
            c += 1
        print(value)
        r += 1


def entry_point(argv):
    print(table_checksum(10), table_checksum(50))
    print_triangle(6)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
