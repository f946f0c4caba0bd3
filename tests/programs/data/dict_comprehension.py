# dict comprehensions with and without conditions, inverting mappings, and building lookup tables.


def entry_point(argv):
    squares = {i: i * i for i in range(8)}
    print(squares)
    odd_sq = {k: v for k, v in squares.items() if k % 2 == 1}
    print(odd_sq)
    words = "alpha beta gamma delta epsilon zeta eta theta".split()
    lengths = {w: len(w) for w in words}
    print(lengths)
    by_initial = {w[0]: w for w in words}
    print(by_initial)
    inverse = {v: k for k, v in squares.items()}
    print(inverse, inverse[49], 36 in inverse, 37 in inverse)
    positions = {ch: i for i, ch in enumerate("hello world")}
    print(positions)
    table = {(r, c): r * 10 + c for r in range(3) for c in range(3) if r != c}
    print(table)
    codes = {chr(ord("a") + i): i + 1 for i in range(26)}
    score = 0
    for ch in "kiln":
        score += codes[ch]
    print(len(codes), codes["z"], score)
    scaled = {k: v / 2.0 for k, v in lengths.items() if v > 4}
    print(scaled)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
