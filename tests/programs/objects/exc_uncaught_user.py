# run:
# run: 4
# An uncaught user exception escapes entry_point: exit code 1 and a last stderr line "ConfigError: ...".


class ConfigError(Exception):
    pass


def parse_setting(text):
    if "=" not in text:
        raise ConfigError("missing '=' in setting: " + text)
    parts = text.split("=")
    return parts[0].strip(), parts[1].strip()


def entry_point(argv):
    settings = ["a = 1", "b=2", "colour = blue"]
    if len(argv) > 1:
        settings.append("broken setting %d" % int(argv[1]))
    else:
        settings.append("nothing here")
    for s in settings:
        k, v = parse_setting(s)
        print(k, "->", v)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
