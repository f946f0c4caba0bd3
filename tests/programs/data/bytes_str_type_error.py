# run:
# run: x
# Mixing bytes with a str where CPython's TypeError is certain (warning W0306): each operation raises CPython's TypeError with its message, and the code after it does not run.
import os
import sys

PATH = "/tmp/kiln_data_bytes_str_type_error.txt"


def write_file(path):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 420)
    os.write(fd, b"line one\nline two\n")
    os.close(fd)


def read_line(fd):
    # PySOM's rlib/osext.py with `decode_str` the identity: str + bytes.
    answer = ""
    while True:
        buf = os.read(fd, 4)
        if len(buf) == 0:
            return answer, False
        if buf[-1] == b"\n"[0]:
            return answer + buf[:-1], False
        answer = answer + buf


def concat(s, b):
    return s + b


def concat_rev(b, s):
    r = b + s
    print("not reached", r)
    return r


def inplace(s, b):
    s += b
    return s


def inplace_bytes(b, s):
    b += s
    return b


def other_ops(k, s, b):
    if k == 0:
        return s - b
    if k == 1:
        return b * s
    if k == 2:
        return s * b
    if k == 3:
        return b ** s
    if k == 4:
        return s // b
    if k == 5:
        return b & s
    if k == 6:
        b -= s
        return b
    if k == 7:
        s **= b
        return s
    return s


def compare(k, s, b):
    if k == 0:
        return s < b
    if k == 1:
        return b >= s
    if k == 2:
        return s in b
    if k == 3:
        return b in s
    if k == 4:
        return b not in s
    return s == b


def maybe_concat(flag, s, b):
    # Only one path raises: the other returns normally.
    if flag:
        return s + b
    return s + b.decode("utf-8", "replace")


def entry_point(argv):
    s = "abc" if len(argv) < 5 else "z"
    b = b"de" if len(argv) < 5 else b"q"
    write_file(PATH)
    fd = os.open(PATH, os.O_RDONLY, 0)
    try:
        print(read_line(fd))
    except TypeError as e:
        print("read_line:", e)
    os.close(fd)
    try:
        print(concat(s, b))
    except TypeError as e:
        print("concat:", e)
    try:
        print(concat_rev(b, s))
    except TypeError as e:
        print("concat_rev:", e)
    try:
        print(inplace(s, b))
    except TypeError as e:
        print("inplace:", e)
    try:
        print(inplace_bytes(b, s))
    except TypeError as e:
        print("inplace_bytes:", e)
    for k in range(9):
        try:
            print(other_ops(k, s, b))
        except TypeError as e:
            print("other_ops", k, e)
    for k in range(6):
        try:
            print(compare(k, s, b))
        except TypeError as e:
            print("compare", k, e)
    print(maybe_concat(False, s, b))
    try:
        print(maybe_concat(len(argv) > 1, s, b))
    except TypeError as e:
        print("maybe_concat:", e)
    if len(argv) > 1:
        # Uncaught: the program dies of CPython's TypeError.
        print(concat(s, b))
    return 0


if __name__ == "__main__":
    sys.exit(entry_point(sys.argv))
