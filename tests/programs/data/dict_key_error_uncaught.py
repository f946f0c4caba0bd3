# run:
# run: blue
# A missing str key escapes entry_point: the last stderr line is KeyError: 'purple' (the key's repr).


def rgb(colors, name):
    return colors[name]


def entry_point(argv):
    colors = {"red": 16711680, "green": 65280, "blue": 255}
    for name in ["red", "green"]:
        print(name, rgb(colors, name))
    wanted = "purple"
    if len(argv) > 1:
        print(argv[1], rgb(colors, argv[1]))
    print(wanted, rgb(colors, wanted))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
