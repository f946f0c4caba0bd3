# check: --strict
"""str + bytes with --strict: the warning (W0306, CPython's certain TypeError) is an error."""


def read_line(answer, buf):
    # PySOM's rlib/osext.py with `decode_str` the identity.
    return answer + buf


def entry_point(argv):
    print(read_line("", b"line"))
    return 0
