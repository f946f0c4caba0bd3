# run:
# run: 255 -17 0
# str(int), int(str) with signs, whitespace and underscores, int(str, base) for bases 2 to 36.


def to_base(n, base):
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    if n == 0:
        return "0"
    neg = n < 0
    if neg:
        n = -n
    out = ""
    while n > 0:
        out = digits[n % base] + out
        n //= base
    if neg:
        out = "-" + out
    return out


def entry_point(argv):
    nums = [0, 7, -7, 42, 1000000, -9223372036854775807, 9223372036854775807, 123456789012]
    for a in argv[1:]:
        nums.append(int(a))
    for n in nums:
        s = str(n)
        print(s, len(s), int(s) == n, to_base(n, 2)[-8:], to_base(n, 16), to_base(n, 36))
        for b in [2, 8, 16, 36]:
            if int(to_base(n, b), b) != n:
                print("round trip failed", n, b)
    for s in [" 42", "+17", "-0", "007", "1_000_000", "  -33  ", "\t8\n"]:
        print(repr(s), int(s))
    print(int("ff", 16), int("FF", 16), int("0xff", 16), int("0x1F", 0), int("0o17", 0), int("0b101", 0), int("777", 8))
    print(int("zz", 36), int("Kiln", 36), int("-1010", 2), int("11", 3), int("0", 0), int("10", 0))
    total = 0
    for d in "9876543210":
        total = total * 10 + int(d)
    print(total, str(total) == str(9876543210))
    print(str(-5) + str(5), str(True), str(False), str(12) * 2)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
