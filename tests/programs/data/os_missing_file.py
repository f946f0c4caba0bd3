# run:
# run: /tmp/kiln_data_os_missing_file.txt
# kiln.os: OSError with errno for missing files and bad descriptors, caught; str(e) matches CPython.
from kiln import os


def try_read(path):
    try:
        return os.read_file(path)
    except OSError as e:
        print("read_file failed: errno", e.errno, "|", e)
        return None


def try_open(path):
    try:
        fd = os.open(path, os.O_RDONLY)
        os.close(fd)
        return True
    except OSError as e:
        print("open failed:", e.errno, str(e))
        return False


def entry_point(argv):
    path = "/tmp/kiln_data_os_missing_file/definitely/missing.txt"
    if len(argv) > 1:
        created = argv[1]
        fd = os.open(created, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 420)
        os.write(fd, "exists\n")
        os.close(fd)
        text = try_read(created)
        if text is not None:
            print("read", repr(text))
    text = try_read(path)
    print(text is None)
    print(try_open(path), try_open("/tmp"))
    try:
        os.close(987654)
    except OSError as e:
        print("close failed:", e.errno, e)
    try:
        os.write(987654, "data")
    except OSError as e:
        print("write failed:", e.errno, e)
    try:
        fd = os.open("/tmp", os.O_RDONLY)
        try:
            os.read(fd, 10)
        finally:
            os.close(fd)
    except OSError as e:
        print("read dir failed:", e.errno, e)
    try:
        os.open("/tmp", os.O_WRONLY)
    except OSError as e:
        print("write dir failed:", e.errno, e)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
