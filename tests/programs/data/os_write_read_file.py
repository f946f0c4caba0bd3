# kiln.os: create a file under /tmp, write lines with write(), read it back whole with read_file and in chunks with read().
from kiln import os

PATH = "/tmp/kiln_data_os_write_read_file.txt"


def write_all(path, lines):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 420)
    written = 0
    for line in lines:
        written += os.write(fd, line + "\n")
    os.close(fd)
    return written


def read_chunks(path, size):
    fd = os.open(path, os.O_RDONLY)
    chunks = []
    while True:
        data = os.read(fd, size)
        if data == "":
            break
        chunks.append(data)
    os.close(fd)
    return chunks


def entry_point(argv):
    lines = ["first line", "second line with more words", "", "line 4: 3.14 42", "last"]
    n = write_all(PATH, lines)
    print("wrote", n, "bytes")
    text = os.read_file(PATH)
    print(len(text), text.count("\n"), repr(text[:20]))
    back = text.split("\n")
    print(back[:-1] == lines, back[-1] == "")
    chunks = read_chunks(PATH, 16)
    print(len(chunks), [len(c) for c in chunks], "".join(chunks) == text)
    words = 0
    for line in text.split("\n"):
        words += len(line.split())
    print("words", words)
    n2 = write_all(PATH, ["overwritten"])
    print(n2, repr(os.read_file(PATH)))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
