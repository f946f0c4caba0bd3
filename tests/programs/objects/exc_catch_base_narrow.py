# run:
# `except Exception as e` then isinstance narrowing of e to reach subclass attributes; built-in and user exceptions mixed.


class HttpError(Exception):
    def __init__(self, status, reason):
        Exception.__init__(self, "%d %s" % (status, reason))
        self.status = status


class Redirect(HttpError):
    def __init__(self, location):
        HttpError.__init__(self, 301, "Moved")
        self.location = location


def handle(path):
    if path == "/":
        return "index"
    if path == "/old":
        raise Redirect("/new")
    if path == "/secret":
        raise HttpError(403, "Forbidden")
    if path == "/crash":
        parts = path.split("/")
        return parts[5]
    if path.startswith("/n/"):
        return str(100 // int(path[3:]))
    raise HttpError(404, "Not Found")


def serve(path):
    try:
        return "200 " + handle(path)
    except Exception as e:
        if isinstance(e, Redirect):
            return "%d -> %s" % (e.status, e.location)
        if isinstance(e, HttpError):
            return "error %d (%s)" % (e.status, str(e))
        if isinstance(e, IndexError):
            return "500 index"
        if isinstance(e, ZeroDivisionError):
            return "500 zero"
        return "500 other"


def entry_point(argv):
    for p in ["/", "/old", "/secret", "/missing", "/crash", "/n/7", "/n/0"]:
        print(p, serve(p))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
