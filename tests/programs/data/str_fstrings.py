# run:
# run: 12 3.5
# f-strings: plain fields, conversions, widths, alignment, fill, signs, precision, thousands separators, hex.


def receipt(items, prices, qty):
    lines = []
    total = 0.0
    for i in range(len(items)):
        cost = prices[i] * qty[i]
        total += cost
        lines.append(f"{items[i]:<12}{qty[i]:>4} x {prices[i]:>7.2f} = {cost:>9.2f}")
    lines.append(f"{'TOTAL':<12}{'':>4}   {'':>7}   {total:>9.2f}")
    return "\n".join(lines)


def entry_point(argv):
    n = 42
    x = 3.14159
    if len(argv) > 2:
        n = int(argv[1])
        x = float(argv[2])
    name = "kiln"
    print(f"n={n} x={x} name={name}")
    print(f"{n:5d}|{n:<5d}|{n:^5d}|{n:05d}|{n:+d}|{-n:d}|{n:x}|{n:X}|{n:o}|{n:b}|{n:#x}")
    print(f"{x:.2f}|{x:8.3f}|{x:<8.1f}|{x:e}|{x:.3e}|{x:g}|{x:%}|{-x:+.1f}")
    print(f"{name:>8}|{name:<8}|{name:^8}|{name:*^9}|{name!r}|{name:.2}")
    print(f"{1234567:,}|{1234567:_}|{1234567.891:,.2f}|{-9876543:,d}")
    print(f"{n * 2 + 1} {len(name)} {name.upper()} {n > 10} {n // 5}")
    print(f"{{literal braces}} {n}{{}}")
    print(f"{0.1 + 0.2} {1e16} {1e-7} {-0.0} {2.5:.0f} {3.5:.0f} {0.125:.2f}")
    print(receipt(["widget", "gadget", "doohickey"], [2.5, 10.0, 0.99], [4, 1, 12]))
    for i in range(1, 6):
        sq = i * i
        print(f"{i:>2} {sq:>3} {i / 7:.4f} {'#' * i:<5}|")
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
