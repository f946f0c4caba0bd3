# kiln.os: O_APPEND log file written in several sessions, then parsed into a dict of counters.
from kiln import os

PATH = "/tmp/kiln_data_os_append_log.log"


def log(level, msg):
    fd = os.open(PATH, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 420)
    os.write(fd, level + " " + msg + "\n")
    os.close(fd)


def entry_point(argv):
    fd = os.open(PATH, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 420)
    os.close(fd)
    print(repr(os.read_file(PATH)))
    for i in range(12):
        if i % 5 == 0:
            log("ERROR", "failure number " + str(i))
        elif i % 3 == 0:
            log("WARN", "slow response " + str(i * 10) + "ms")
        else:
            log("INFO", "request " + str(i) + " ok")
    log("INFO", "ünïcode ✓ done")
    text = os.read_file(PATH)
    counts = {}
    for line in text.split("\n"):
        if line == "":
            continue
        level = line.split()[0]
        counts[level] = counts.get(level, 0) + 1
    print(counts)
    lines = text.split("\n")
    print(len(lines) - 1, lines[0], "|", lines[-2], len(lines[-2]))
    fd = os.open(PATH, os.O_RDWR)
    head = os.read(fd, 5)
    print(repr(head))
    os.close(fd)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
