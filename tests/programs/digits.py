# Decimal digits: sum, count, reversal and palindromes, for positive and negative numbers.


def digit_count(n):
    if n < 0:
        n = -n
    count = 1
    while n >= 10:
        n = n // 10
        count += 1
    return count


def reverse_digits(n):
    negative = n < 0
    if negative:
        n = -n
    r = 0
    while n > 0:
        r = r * 10 + n % 10
        n = n // 10
    return -r if negative else r


def is_palindrome(n):
    return n >= 0 and reverse_digits(n) == n


def entry_point(argv):
    print(digit_count(0), digit_count(9), digit_count(10), digit_count(-12345))
    print(digit_count(9223372036854775807))
    print(reverse_digits(12345), reverse_digits(-120), reverse_digits(0))
    count = 0
    n = 0
    while n < 10000:
        if is_palindrome(n):
            count += 1
        n += 1
    print("palindromes below 10000:", count, is_palindrome(-121), is_palindrome(1234321))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
