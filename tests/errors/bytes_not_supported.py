"""bytes operations Kiln does not translate yet: E0334 each, never a different result."""
import os


def strict_decode(fd):
    data = os.read(fd, 10)
    return data.decode()


def other_errors(b, argv):
    return b.decode("utf-8", "ignore"), b.decode("utf-8", argv[0])


def other_codec(b):
    return b.decode("latin-1")


def methods(b):
    return b.upper()


def has_byte(b):
    return 99 in b


def formatted(b):
    return b"%d" % len(b)


def as_list(b):
    return list(b)


def in_fstring(b):
    return f"{b!r}"


def in_list(b):
    print([b])


def encode_text(s):
    return s.encode()


def entry_point(argv):
    b = b"abc"
    print(strict_decode(0), other_errors(b, argv), other_codec(b), methods(b), has_byte(b), formatted(b))
    print(as_list(b), in_fstring(b), encode_text(argv[0]))
    in_list(b)
    print(percent_s(b))
    return 0


def percent_s(b):
    return "%s" % b
