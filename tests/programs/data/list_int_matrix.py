# run:
# run: 6
# Integer matrices as lists of lists: transpose, product, power by squaring, Pascal's triangle, determinant.


def matmul(a, b):
    n = len(a)
    m = len(b[0])
    out = []
    for i in range(n):
        row = [0] * m
        for j in range(m):
            s = 0
            for k in range(len(b)):
                s += a[i][k] * b[k][j]
            row[j] = s
        out.append(row)
    return out


def transpose(a):
    return [[a[i][j] for i in range(len(a))] for j in range(len(a[0]))]


def matpow(a, e):
    n = len(a)
    r = [[1 if i == j else 0 for j in range(n)] for i in range(n)]
    while e > 0:
        if e % 2 == 1:
            r = matmul(r, a)
        e //= 2
        if e > 0:
            a = matmul(a, a)
    return r


def det(a):
    n = len(a)
    if n == 1:
        return a[0][0]
    total = 0
    sign = 1
    for c in range(n):
        minor = [row[:c] + row[c + 1:] for row in a[1:]]
        total += sign * a[0][c] * det(minor)
        sign = -sign
    return total


def pascal(n):
    rows = [[1]]
    for i in range(1, n):
        prev = rows[-1]
        row = [1]
        for j in range(1, i):
            row.append(prev[j - 1] + prev[j])
        row.append(1)
        rows.append(row)
    return rows


def entry_point(argv):
    n = 5
    if len(argv) > 1:
        n = int(argv[1])
    a = [[1, 2, 3], [4, 5, 6]]
    print(transpose(a))
    print(matmul(a, transpose(a)), matmul(transpose(a), a))
    fib = matpow([[1, 1], [1, 0]], 90)
    print("fib(90) =", fib[0][1])
    for row in pascal(n):
        print(" ".join([str(x) for x in row]))
    m = [[(i * 7 + j * 3) % 11 - 5 for j in range(n)] for i in range(n)]
    for row in m:
        print(row)
    print("det", det(m), det(transpose(m)), det([[2, 0], [0, 3]]))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
