# Float formatting with %-formats and f-strings: rounding half cases, widths, signs, %e/%g, large and tiny values.


def entry_point(argv):
    vals = [0.0, -0.0, 0.5, 1.5, 2.5, 0.125, 0.375, 2.675, 1.005, 123.456, -987.654, 1e-5, 6.02214076e23, 1e22, 9.995, 99.995]
    for v in vals:
        print("%.0f|%.1f|%.2f|%.3f|%10.4f|%-10.1f|%+.2f|%e|%.3e|%g|%.3g" % (v, v, v, v, v, v, v, v, v, v, v))
    for v in vals:
        print(f"{v:.0f}|{v:.2f}|{v:12.5f}|{v:<9.2f}|{v:^11.3f}|{v:+.1e}|{v:g}|{v:.10g}|{v}")
    print("%f %f %f" % (1e15, 1e16, 12345678901234567890.0))
    print("%.2f %.2f" % (float("inf"), float("-inf")), f"{float('nan'):.3f}", "%5.1f" % float("nan"))
    print("%08.3f|%08.3f|%-8.3f|" % (3.14159, -3.14159, 2.0))
    print(f"{1234567.891:,.2f} {0.000123456:.3e} {1e-10:g} {1e16:g} {123456789.0:g} {0.0001:g} {0.00001:g}")
    total = 0.0
    for i in range(1, 11):
        total += 1.0 / i
        print(f"{i:2d} {1.0 / i:.6f} {total:8.4f} {total:.15g}")
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
