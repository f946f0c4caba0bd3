# run:
# run: 30
# run: 18
# Text formatting: greedy word wrapping, full justification, centring and a boxed paragraph.

PARAGRAPH = "Kiln translates programs written in a restricted subset of Python into native code. Every variable keeps a single type, lists hold one kind of item, and the whole program is analysed before any code is generated."


def wrap(text, width):
    lines = []
    current = ""
    for word in text.split():
        if current == "":
            current = word
        elif len(current) + 1 + len(word) <= width:
            current = current + " " + word
        else:
            lines.append(current)
            current = word
    if current != "":
        lines.append(current)
    return lines


def justify(line, width):
    words = line.split()
    if len(words) == 1:
        return line + " " * (width - len(line))
    letters = 0
    for w in words:
        letters += len(w)
    gaps = len(words) - 1
    spaces = width - letters
    out = ""
    for i in range(gaps):
        n = spaces // gaps
        if i < spaces % gaps:
            n += 1
        out += words[i] + " " * n
    return out + words[-1]


def center(text, width):
    total = width - len(text)
    if total <= 0:
        return text
    left = total // 2
    return " " * left + text + " " * (total - left)


def entry_point(argv):
    width = 40
    if len(argv) > 1:
        width = int(argv[1])
    lines = wrap(PARAGRAPH, width)
    print("+" + "-" * (width + 2) + "+")
    print("| " + center("ABOUT KILN", width) + " |")
    print("+" + "-" * (width + 2) + "+")
    for i in range(len(lines)):
        if i == len(lines) - 1:
            body = lines[i] + " " * (width - len(lines[i]))
        else:
            body = justify(lines[i], width)
        print("| " + body + " |")
    print("+" + "-" * (width + 2) + "+")
    print(len(lines), "lines;", "longest", max([len(l) for l in lines]))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
