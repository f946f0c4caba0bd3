# str.find, rfind, count, replace, startswith and endswith, including bounds and missing needles.


def find_all(hay, needle):
    positions = []
    start = 0
    while True:
        i = hay.find(needle, start)
        if i < 0:
            break
        positions.append(i)
        start = i + 1
    return positions


def template(text, names, values):
    out = text
    for i in range(len(names)):
        out = out.replace("{" + names[i] + "}", values[i])
    return out


def entry_point(argv):
    hay = "she sells sea shells by the sea shore"
    for needle in ["sea", "she", "s", "shore", "xyz", "", "e s"]:
        print(repr(needle), hay.find(needle), hay.rfind(needle), hay.count(needle), find_all(hay, needle)[:5])
    print(hay.find("s", 10), hay.find("s", 10, 12), hay.rfind("s", 0, 10), hay.count("s", 5, 20))
    print(hay.find("sea", -10), hay.rfind("e", -5), hay.count("e", -12, -2))
    print(hay.replace("sea", "SEA"), "|", hay.replace(" ", ""), "|", hay.replace("zzz", "q"))
    print("aaaa".replace("aa", "b"), "abc".replace("", "-"), "banana".replace("an", "AN"))
    print("aaaa".count("aa"), "".count(""), "abc".count(""), "mississippi".count("ss"))
    msg = template("Dear {name}, your order {id} ships {when}. Thanks, {name}!", ["name", "id", "when"], ["Ada", "#42", "today"])
    print(msg)
    files = ["main.py", "README.md", "lib.rs", "test_main.py", "setup.cfg", ".py"]
    for f in files:
        print(f, f.endswith(".py"), f.startswith("test_"), f.endswith(""), f.startswith("main"))
    url = "https://example.com/path/to/page.html"
    scheme_end = url.find("://")
    host_end = url.find("/", scheme_end + 3)
    print(url[:scheme_end], url[scheme_end + 3:host_end], url[host_end:], url[url.rfind("/") + 1:])
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
