# run:
# run: 3
# try/except/else/finally across data-type errors: handler order, tuples of exceptions, re-raise, custom exceptions.


class ParseError(Exception):
    pass


class RangeError(ParseError):
    pass


def parse_record(text):
    parts = text.split(":")
    if len(parts) != 2:
        raise ParseError("expected key:value in " + repr(text))
    value = int(parts[1])
    if value < 0:
        raise RangeError("negative value " + str(value))
    return parts[0], value


def process(records, table):
    ok = 0
    for r in records:
        try:
            k, v = parse_record(r)
        except RangeError as e:
            print("range:", e)
        except ParseError as e:
            print("parse:", e)
        except ValueError as e:
            print("value:", e)
        else:
            table[k] = v
            ok += 1
        finally:
            table["_seen"] = table.get("_seen", 0) + 1
    return ok


def risky(kind, data, table):
    if kind == 0:
        return data[10]
    if kind == 1:
        return table["nope"]
    if kind == 2:
        return data[0] // (data[1] - data[1])
    if kind == 3:
        return int("x" + str(data[0]))
    return data[0]


def entry_point(argv):
    table = {}
    n = process(["a:1", "b:-2", "c", "d:x", "e:5:6", "f:10"], table)
    print(n, table)
    data = [1, 2, 3]
    limit = 5
    if len(argv) > 1:
        limit = int(argv[1])
    for kind in range(limit):
        try:
            print("result", risky(kind, data, table))
        except (IndexError, KeyError) as e:
            print("lookup error", kind, e)
        except ZeroDivisionError as e:
            print("math error", kind, e)
        except Exception as e:
            print("other error", kind, e)
    cleanups = []
    try:
        try:
            data.pop(99)
        finally:
            cleanups.append("inner")
    except IndexError as e:
        cleanups.append("outer: " + str(e))
    print(cleanups)
    try:
        try:
            risky(1, data, table)
        except KeyError:
            print("re-raising")
            raise
    except KeyError as e:
        print("caught again", e)
    count = 0
    while True:
        try:
            count += 1
            if count > 3:
                raise ValueError("stop at " + str(count))
        except ValueError as e:
            print(e)
            break
        finally:
            print("finally", count)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
