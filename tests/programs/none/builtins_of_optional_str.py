# run:
# run: ff /nonexistent/kiln-h2-file
# int(s, base), os.open(path) and compute_hash(x) where x may be None (RPython's
# string_to_int, streamio and a hash of an optional name): int, os.open and
# kiln.os.read_file raise CPython's TypeError; compute_hash(None) is 0, as in RPython.
import os

from kiln import os as kos

from rpython.rlib.objectmodel import compute_hash


class Symbol(object):
    def __init__(self, name):
        self.name = name


def pick(argv, n):
    if len(argv) > n:
        return argv[n]
    return None


def pick_symbol(argv, n):
    if len(argv) > n:
        return Symbol(argv[n])
    return None


def parse_hex(s):
    return int(s, 16)


def open_path(path):
    return os.open(path, os.O_RDONLY, 438)


def entry_point(argv):
    s = pick(argv, 1)
    try:
        print("int:", parse_hex(s))
    except TypeError as e:
        print("TypeError:", e)
    except ValueError as e:
        print("ValueError:", e)
    path = pick(argv, 2)
    try:
        fd = open_path(path)
        os.close(fd)
        print("opened")
    except TypeError as e:
        print("TypeError:", e)
    except OSError as e:
        print("OSError:", e.errno)
    try:
        print("read:", len(kos.read_file(path)))
    except TypeError as e:
        print("TypeError:", e)
    except OSError as e:
        print("OSError:", e.errno)
    h = compute_hash(s)
    print("hash of None:", h == 0, "hash of str:", s is None or h == compute_hash(argv[1]))
    sym = pick_symbol(argv, 1)
    hs = compute_hash(sym)
    print("hash of no symbol:", sym is not None or hs == 0)
    if sym is not None:
        print("hash of symbol stable:", hs == compute_hash(sym))
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(entry_point(sys.argv))
