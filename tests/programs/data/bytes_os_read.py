# run:
# os.read (import os) returns bytes as in CPython 3: a read loop in PySOM's raw_input idiom (buf[-1] == b"\n"[0]), non-ASCII bytes as ints, ASCII lines decoded.
import os
import sys

PATH = "/tmp/kiln_data_bytes_os_read.txt"


def write_file(path):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 420)
    n = os.write(fd, b"first line\nsecond\n\nlast, no newline")
    os.close(fd)
    return n


def read_line(fd, size):
    # PySOM's rlib/osext.py reads so, with bytes decoded before they meet a str.
    answer = ""
    while True:
        buf = os.read(fd, size)
        if len(buf) == 0:
            return answer, False
        if buf[-1] == b"\n"[0]:
            return answer + buf[:-1].decode("utf-8", "replace"), True
        answer = answer + buf.decode("utf-8", "replace")


def ints(b):
    out = []
    for x in b:
        out.append(x)
    return out


def entry_point(argv):
    print(write_file(PATH))
    fd = os.open(PATH, os.O_RDONLY)
    lines = []
    more = True
    while more:
        line, more = read_line(fd, 1)
        lines.append(line)
    os.close(fd)
    print(len(lines), lines)
    fd = os.open(PATH, os.O_RDONLY)
    head = os.read(fd, 5)
    rest = os.read(fd, 100)
    tail = os.read(fd, 100)
    os.close(fd)
    print(len(head), len(rest), len(tail), tail == b"", head == b"first", head == "first")
    print(rest[:6] == b" line\n", b"second" in rest, ints(head))
    fd = os.open(PATH, os.O_WRONLY | os.O_TRUNC)
    os.write(fd, "caf\u00e9 \u2192 ok")
    os.close(fd)
    fd = os.open(PATH, os.O_RDONLY)
    data = os.read(fd, 100)
    os.close(fd)
    print(len(data), ints(data), data[3], data[-2:] == b"ok", b"\xc3\xa9" in data, data[:3] == b"caf")
    print(data, repr(data[2:6]), str(data[-4:]))
    print(data.decode("utf-8", "replace"), data[:4].decode("utf-8", "replace"), data[4:].decode("UTF8", "replace"))
    print(data.decode("ascii", "replace"), data.decode("us_ascii", "replace") == data.decode("ascii", "replace"))
    sys.stdout.flush()
    print(os.write(1, data + b"\n"), os.write(1, data[:4] + b"|\n"))
    return 0


if __name__ == "__main__":
    import rpython  # os.write of a str, as the translation does

    sys.exit(entry_point(sys.argv))
