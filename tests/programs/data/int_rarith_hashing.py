# kiln.rarith intmask and r_uint: FNV-1a and djb2 string hashes, wrapping multiplies, unsigned compares.
from kiln.rarith import intmask, r_uint


def fnv1a(s):
    h = r_uint(-3750763034362895579)
    for ch in s:
        h = h ^ r_uint(ord(ch))
        h = h * r_uint(1099511628211)
    return h


def djb2(s):
    h = r_uint(5381)
    for ch in s:
        h = h * r_uint(33) + r_uint(ord(ch))
    return intmask(h)


def xorshift(state):
    x = r_uint(state)
    x = x ^ (x << 13)
    x = x ^ (x >> 7)
    x = x ^ (x << 17)
    return x


def entry_point(argv):
    for w in ["", "a", "kiln", "hello world", "The quick brown fox jumps over the lazy dog", "ünïcode"]:
        h = fnv1a(w)
        print(repr(w), intmask(h), intmask(h) % 1000, djb2(w), djb2(w) % 97)
    x = r_uint(88172645463325252)
    outs = []
    for i in range(6):
        x = xorshift(intmask(x))
        outs.append(intmask(x >> 33))
    print(outs)
    print(intmask(r_uint(0) - r_uint(1)), intmask(r_uint(1) << 63), intmask(r_uint(7) * r_uint(3)))
    big = r_uint(1) << 63
    small = r_uint(5)
    print(big > small, intmask(big) < intmask(small), intmask(big // small), intmask(big % small))
    print(intmask(r_uint(0) - r_uint(1)) == -1, intmask(r_uint(10) - r_uint(3)), intmask((r_uint(1) << 63) >> 60))
    print(intmask(r_uint(5)), intmask(-1), intmask(r_uint(4611686018427387904) * r_uint(2)))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
