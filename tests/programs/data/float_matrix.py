# run:
# run: 5
# Float matrices as lists of lists: multiplication, Gaussian elimination with partial pivoting, determinants.


def zeros(n, m):
    rows = []
    for i in range(n):
        rows.append([0.0] * m)
    return rows


def identity(n):
    a = zeros(n, n)
    for i in range(n):
        a[i][i] = 1.0
    return a


def matmul(a, b):
    n = len(a)
    m = len(b[0])
    k = len(b)
    c = zeros(n, m)
    for i in range(n):
        for j in range(m):
            s = 0.0
            for t in range(k):
                s += a[i][t] * b[t][j]
            c[i][j] = s
    return c


def solve(a, b):
    n = len(a)
    m = []
    for i in range(n):
        row = a[i][:]
        row.append(b[i])
        m.append(row)
    det = 1.0
    for col in range(n):
        piv = col
        for r in range(col + 1, n):
            if abs(m[r][col]) > abs(m[piv][col]):
                piv = r
        if piv != col:
            m[col], m[piv] = m[piv], m[col]
            det = -det
        p = m[col][col]
        det *= p
        for r in range(col + 1, n):
            factor = m[r][col] / p
            for c in range(col, n + 1):
                m[r][c] -= factor * m[col][c]
    x = [0.0] * n
    i = n - 1
    while i >= 0:
        s = m[i][n]
        for j in range(i + 1, n):
            s -= m[i][j] * x[j]
        x[i] = s / m[i][i]
        i -= 1
    return x, det


def show(m):
    for row in m:
        print(" ".join(["%8.3f" % v for v in row]))


def entry_point(argv):
    n = 4
    if len(argv) > 1:
        n = int(argv[1])
    a = zeros(n, n)
    for i in range(n):
        for j in range(n):
            a[i][j] = 1.0 / (i + j + 1) + (2.0 if i == j else 0.0)
    show(a)
    b = []
    for i in range(n):
        b.append(float(i + 1))
    x, det = solve(a, b)
    print("x =", ["%.6f" % v for v in x])
    print("det = %.8f" % det)
    ax = matmul(a, [[v] for v in x])
    err = 0.0
    for i in range(n):
        err = max(err, abs(ax[i][0] - b[i]))
    print("residual small:", err < 1e-12)
    rot = [[0.0, -1.0], [1.0, 0.0]]
    p = identity(2)
    for k in range(4):
        p = matmul(p, rot)
        print(k, p)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
