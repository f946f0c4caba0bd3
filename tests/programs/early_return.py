# return from inside nested loops and from several branches of one function.


def find_pair_product(target):
    a = 1
    while a < 100:
        b = a
        while b < 100:
            if a * b == target:
                return a * 1000 + b
            b += 1
        a += 1
    return -1


def grade(score):
    if score >= 90:
        return 4
    if score >= 80:
        return 3
    if score >= 70:
        return 2
    if score >= 60:
        return 1
    return 0


def first_digit_repeat(n):
    while n >= 10:
        if n % 10 == n // 10 % 10:
            return True
        n = n // 10
    return False


def entry_point(argv):
    print(find_pair_product(391), find_pair_product(97 * 89), find_pair_product(10007))
    print(grade(95), grade(85), grade(75), grade(65), grade(5))
    print(first_digit_repeat(12334), first_digit_repeat(12345), first_digit_repeat(7))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
