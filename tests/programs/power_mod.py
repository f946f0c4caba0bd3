# Modular exponentiation by squaring, checked against repeated multiplication, and a
# Fermat primality test. Moduli stay below 2**31 so that no product overflows 64 bits.


def power_mod(base, exp, mod):
    result = 1
    base = base % mod
    while exp > 0:
        if exp & 1:
            result = result * base % mod
        base = base * base % mod
        exp = exp >> 1
    return result


def power_mod_slow(base, exp, mod):
    result = 1
    while exp > 0:
        result = result * base % mod
        exp -= 1
    return result


def fermat_probable_prime(n):
    if n < 4:
        return n == 2 or n == 3
    return power_mod(2, n - 1, n) == 1 and power_mod(3, n - 1, n) == 1


def entry_point(argv):
    print(power_mod(2, 10, 1000), power_mod(3, 200, 1000000007), power_mod(-3, 5, 7))
    print(power_mod(7, 0, 13), power_mod(123456789, 987654321, 2147483647))
    mismatches = 0
    e = 0
    while e < 200:
        if power_mod(5, e, 9973) != power_mod_slow(5, e, 9973):
            mismatches += 1
        e += 1
    print("mismatches", mismatches)
    print(fermat_probable_prime(104729), fermat_probable_prime(104730), fermat_probable_prime(561))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
