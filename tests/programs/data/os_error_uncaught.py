# Closing a bad file descriptor raises OSError that escapes entry_point: OSError: [Errno 9] Bad file descriptor.
from kiln import os

PATH = "/tmp/kiln_data_os_error_uncaught.txt"


def entry_point(argv):
    fd = os.open(PATH, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 420)
    print("wrote", os.write(fd, "hello"))
    os.close(fd)
    print("closed once")
    os.close(fd)
    print("not reached")
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
