# Parsing CSV-like records with split/strip/int/float and printing an aligned report with totals.

DATA = """region, product, units, price
north, apples, 120, 0.50
south, apples, 80, 0.55
north, pears, 45, 0.75
east, plums, 200, 0.20
south, pears, 60, 0.70
east, apples, 15, 0.60
west, plums, 0, 0.25
"""


def parse(text):
    rows = []
    lines = text.split("\n")
    header = []
    for f in lines[0].split(","):
        header.append(f.strip())
    for line in lines[1:]:
        if line.strip() == "":
            continue
        fields = []
        for f in line.split(","):
            fields.append(f.strip())
        rows.append(fields)
    return header, rows


def entry_point(argv):
    header, rows = parse(DATA)
    print(" | ".join(header))
    by_region = {}
    by_product = {}
    grand = 0.0
    for r in rows:
        units = int(r[2])
        price = float(r[3])
        revenue = units * price
        grand += revenue
        by_region[r[0]] = by_region.get(r[0], 0.0) + revenue
        by_product[r[1]] = by_product.get(r[1], 0) + units
        print("%-6s %-7s %4d x %.2f = %7.2f" % (r[0], r[1], units, price, revenue))
    print("-" * 34)
    for region in sorted(by_region.keys()):
        print("%-14s %19.2f" % (region, by_region[region]))
    for product, units in by_product.items():
        print(product.upper(), units)
    print("grand total %.2f" % grand, "average %.3f" % (grand / len(rows)))
    best = ""
    best_units = -1
    for product in by_product:
        if by_product[product] > best_units:
            best = product
            best_units = by_product[product]
    print("best seller:", best, best_units)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
