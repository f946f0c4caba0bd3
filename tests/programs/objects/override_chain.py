# run:
# Overrides several levels deep that extend the parent's behaviour with super().method() and Base.method(self).


class Logger(object):
    def __init__(self):
        self.lines = []

    def prefix(self):
        return ""

    def log(self, msg):
        self.lines.append(self.prefix() + msg)
        return len(self.lines)

    def tag(self):
        return "L"


class TimedLogger(Logger):
    def __init__(self):
        super().__init__()
        self.clock = 0

    def prefix(self):
        self.clock += 1
        return "[%d] " % self.clock + super().prefix()

    def tag(self):
        return super().tag() + "T"


class LevelLogger(TimedLogger):
    def __init__(self, level):
        super().__init__()
        self.level = level

    def prefix(self):
        return TimedLogger.prefix(self) + self.level + ": "

    def log(self, msg):
        if msg == "":
            return -1
        return super().log(msg.upper())

    def tag(self):
        return Logger.tag(self) + super().tag() + "V"


def entry_point(argv):
    loggers = [Logger(), TimedLogger(), LevelLogger("warn")]
    for lg in loggers:
        lg.log("start")
        lg.log("")
        lg.log("stop")
        print(lg.tag(), len(lg.lines))
        for line in lg.lines:
            print("  " + line)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
