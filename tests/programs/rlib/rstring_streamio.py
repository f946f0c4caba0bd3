# rpython.rlib.streamio, rstring and rarithmetic.string_to_int: write a file through a stream and read it back whole, by lines and by sizes; parse errors.
from rpython.rlib.rarithmetic import string_to_int
from rpython.rlib.rstring import ParseStringError, ParseStringOverflowError, StringBuilder
from rpython.rlib.streamio import StreamError, open_file_as_stream

PATH = "/tmp/kiln_rlib_rstring_streamio.txt"


def readall_from_stream(stream):
    # PySOM's helper (src/rlib/streamio.py), reading with growing sizes.
    bufsize = 4
    result = []
    while True:
        data = stream.read(bufsize)
        if not data:
            break
        result.append(data)
        bufsize <<= 1
    return "".join(result)


def entry_point(argv):
    b = StringBuilder()
    for i in range(5):
        b.append("line ")
        b.append(str(i))
        b.append_char("\n")
    b.append_multiple_char("=", 3)
    text = b.build()
    print(b.getlength(), len(text))
    w = open_file_as_stream(PATH, "w")
    w.write(text)
    w.close()
    s = open_file_as_stream(PATH, "r")
    print(s.readline().strip(), s.readline().strip(), s.tell())
    print(s.read(3), s.readall().replace("\n", "|"))
    s.close()
    s = open_file_as_stream(PATH, "r")
    print(readall_from_stream(s) == text)
    s.close()
    try:
        s.read(1)
    except StreamError as e:
        print("StreamError:", e.message)
    try:
        open_file_as_stream("/nonexistent/dir/file", "r")
    except OSError as e:
        print("OSError", e.errno)
    for t in ["42", "-9223372036854775808", "9223372036854775808", "12x", "  7 "]:
        try:
            print(t, "->", string_to_int(t))
        except ParseStringOverflowError:
            print(t, "-> overflow")
        except ParseStringError as e:
            print(t, "->", str(e))
    try:
        string_to_int("zz")
    except ValueError:
        print("ValueError caught")
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(entry_point(sys.argv))
