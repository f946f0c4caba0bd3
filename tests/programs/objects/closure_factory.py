# run:
# run: 10
# Factory functions called at import time create closures over import-time constants; the closures run at run time.


def make_adder(n):
    def add(x):
        return x + n
    return add


def make_scaler(num, den):
    def scale(x):
        return x * num // den
    return scale


def make_checker(lo, hi, name):
    def check(x):
        if x < lo:
            return name + ":low"
        if x > hi:
            return name + ":high"
        return name + ":ok"
    return check


add5 = make_adder(5)
add100 = make_adder(100)
half = make_scaler(1, 2)
three_quarters = make_scaler(3, 4)
ADDERS = [make_adder(i * i) for i in range(5)]
temp = make_checker(0, 40, "temp")
pct = make_checker(0, 100, "pct")


def entry_point(argv):
    x = 7
    if len(argv) > 1:
        x = int(argv[1])
    print(add5(x), add100(x), half(x), three_quarters(x))
    total = 0
    for f in ADDERS:
        total += f(x)
    print("adders", total)
    for v in [-5, x, x * 10]:
        print(temp(v), pct(v))
    print(add5(add100(half(x))))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
