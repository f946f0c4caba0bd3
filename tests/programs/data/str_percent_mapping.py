# run:
# run: %(file)s:%(line)03d:%(column)-3d| %%(name)s|%(found).3s
# run: %(nope)s
# run: %(line)d%(expected)s%
# run: %(line)s%(x)5.2f|%(flag)s|%(flag)d|%(none)s|%(ratio)e|%(line)#x|%(line)c
# run: %(file)d
# `fmt % {"key": value, ...}` with the format built at run time and values of several
# types in one display, as PySOM's ParseError.__str__ and RPython's error messages do:
# missing keys, bad formats and wrong types raise CPython's exceptions, and a `%` inside
# a value or in the source text is never read as a conversion.


class SourceCoordinate(object):
    def __init__(self, line, column):
        self.start_line = line
        self.start_column = column


class ParseError(Exception):
    def __init__(self, message, file_name, coord, raw_buffer, found, expected):
        self._message = message
        self._file_name = file_name
        self._source_coordinate = coord
        self._raw_buffer = raw_buffer
        self._found = found
        self._expected = expected

    def __str__(self):
        msg = "%(file)s:%(line)d:%(column)d: error: " + self._message
        msg += ": %s" % self._raw_buffer
        return msg % {
            "file": self._file_name,
            "line": self._source_coordinate.start_line,
            "column": self._source_coordinate.start_column,
            "expected": self._expected,
            "found": self._found,
        }


def describe(fmt, line, ratio, flag, name):
    # Every exception the formatting can raise, caught as Python code catches them.
    try:
        return fmt % {"file": name, "line": line, "column": line + 1, "x": ratio,
                      "flag": flag, "none": None, "ratio": ratio * 1000.0,
                      "expected": "%s", "found": "100%"}
    except KeyError as e:
        return "KeyError " + str(e)
    except ValueError as e:
        return "ValueError " + str(e)
    except TypeError as e:
        return "TypeError " + str(e)
    except OverflowError as e:
        return "OverflowError " + str(e)


def maybe_name(n):
    if n > 2:
        return None
    return "file%d.som" % n


def entry_point(argv):
    coord = SourceCoordinate(12, 7)
    err = ParseError("unexpected symbol, expected %(expected)s but found %(found)s",
                     "Hello.som", coord, "x := 100 + y", "Percent (%)", "Keyword")
    print(str(err))
    try:
        raise err
    except ParseError as e:
        print("caught: %s" % e)
    # Source lines holding `%`: read as conversions, as CPython reads them.
    for line in ["foo %(bar", "x := 100% + y", "50 %(line)s", "%"]:
        bad = ParseError("bad", "B.som", coord, line, "", "")
        try:
            print(str(bad))
        except ValueError as e:
            print("ValueError " + str(e))
        except TypeError as e:
            print("TypeError " + str(e))
    for fmt in argv[1:]:
        print(describe(fmt, 65, 0.5, True, "a.som"))
        print(describe(fmt, -3, -2.25, False, maybe_name(len(fmt) % 4)))
    # Formats built from pieces at run time, every conversion against each value type.
    convs = ["s", "r", "a", "d", "i", "x", "X", "o", "c", "f", "e", "g", "G", "5s", "-6r", "+d",
             " d", "08.2f", "#o", ".1s", "y", "", "*d", "(x"]
    keys = ["num", "neg", "big", "flt", "inf", "nan", "yes", "str", "one", "uni", "nil", "pct"]
    for k in keys:
        parts = []
        for cv in convs:
            fmt = "%(" + k + ")" + cv
            try:
                parts.append(fmt % {"num": 42, "neg": -7, "big": 1 << 62, "flt": 3.75,
                                    "inf": float("inf"), "nan": float("nan"), "yes": True,
                                    "str": "tx%t", "one": "Z", "uni": u"\u00e9\u4e2d", "nil": None,
                                    "pct": "%(num)s"})
            except KeyError as e:
                parts.append("K" + str(e))
            except ValueError as e:
                parts.append("V:" + str(e))
            except TypeError as e:
                parts.append("T:" + str(e))
            except OverflowError as e:
                parts.append("O:" + str(e))
        print(k + " " + " | ".join(parts))
    # Positional conversions format the mapping itself; a repeated key keeps its first
    # place and its last value; no conversion at all is fine.
    one = "%s"
    print(one % {"a": 1, "b": "x'y", "c": None, "a": 2.5})
    print(("%r and %(b)s" + "") % {"a": 1, "b": 2})
    print(("no conversions" + one[:0]) % {"a": 1})
    print(("%(a)s %" + "%") % {"a": "done"})
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
