"""``rpython.rlib.streamio`` for Kiln: ``open_file_as_stream`` and the ``Stream``
interface on top of ``kiln.os`` (``os.open/read/write/close`` at run time), written in
RPy (the translator reads this same file).

Data is ``str``, decoded from UTF-8 as ``kiln.os`` does. A stream opened for reading
reads the whole file the first time it is read (with ``kiln.os.read_file``, so that no
UTF-8 sequence is cut between two reads), and ``read(n)`` counts characters, not
bytes.
"""

from kiln import os as _os


class StreamError(Exception):
    def __init__(self, message):
        Exception.__init__(self, message)
        self.message = message


class Stream(object):
    """The interface of RPython's streams; each operation a stream does not support
    raises ``StreamError``."""

    def read(self, n):
        raise StreamError("read() not supported")

    def readall(self):
        raise StreamError("readall() not supported")

    def readline(self):
        raise StreamError("readline() not supported")

    def write(self, data):
        raise StreamError("write() not supported")

    def tell(self):
        raise StreamError("tell() not supported")

    def seek(self, offset, whence):
        raise StreamError("seek() not supported")

    def truncate(self, size):
        raise StreamError("truncate() not supported")

    def flush(self):
        pass

    def flushable(self):
        return False

    def close(self):
        pass

    def try_to_find_file_descriptor(self):
        return -1


class DiskFile(Stream):
    """A file opened with ``open_file_as_stream``."""

    def __init__(self, path, fd, readable, writable):
        self.path = path
        self.fd = fd
        self.readable = readable
        self.writable = writable
        self.text = ""
        self.loaded = False
        self.pos = 0
        self.closed = False

    def _check_open(self):
        if self.closed:
            raise StreamError("I/O operation on closed file")

    def _load(self):
        self._check_open()
        if not self.readable:
            raise StreamError("file not open for reading")
        if not self.loaded:
            # By path, in one piece: decoding chunk by chunk could cut a character.
            self.text = _os.read_file(self.path)
            self.loaded = True

    def read(self, n):
        self._load()
        if n < 0:
            return self.readall()
        end = self.pos + n
        if end > len(self.text):
            end = len(self.text)
        data = self.text[self.pos : end]
        self.pos = end
        return data

    def readall(self):
        self._load()
        data = self.text[self.pos :]
        self.pos = len(self.text)
        return data

    def readline(self):
        self._load()
        i = self.text.find("\n", self.pos)
        if i < 0:
            end = len(self.text)
        else:
            end = i + 1
        data = self.text[self.pos : end]
        self.pos = end
        return data

    def tell(self):
        self._check_open()
        return self.pos

    def write(self, data):
        self._check_open()
        if not self.writable:
            raise StreamError("file not open for writing")
        _os.write(self.fd, data)

    def try_to_find_file_descriptor(self):
        return self.fd

    def close(self):
        if not self.closed:
            self.closed = True
            _os.close(self.fd)


def _decode_mode(mode):
    """(os.open flags, readable, writable) of a mode string such as ``"r"``, ``"wb"``,
    ``"a+"``."""
    base = ""
    plus = False
    for c in mode:
        if c == "+":
            plus = True
        elif c == "r" or c == "w" or c == "a":
            if base != "":
                raise ValueError("invalid mode: " + mode)
            base = c
        elif c != "b" and c != "U" and c != "t":
            raise ValueError("invalid mode: " + mode)
    if base == "r":
        if plus:
            return _os.O_RDWR, True, True
        return _os.O_RDONLY, True, False
    if base == "w":
        if plus:
            return _os.O_RDWR | _os.O_CREAT | _os.O_TRUNC, True, True
        return _os.O_WRONLY | _os.O_CREAT | _os.O_TRUNC, False, True
    if base == "a":
        if plus:
            return _os.O_RDWR | _os.O_CREAT | _os.O_APPEND, True, True
        return _os.O_WRONLY | _os.O_CREAT | _os.O_APPEND, False, True
    raise ValueError("invalid mode: " + mode)


def open_file_as_stream(path, mode="r", buffering=-1, signal_checker=None):
    """Opens ``path``; ``OSError`` if it cannot be opened, as ``os.open`` raises."""
    flags, readable, writable = _decode_mode(mode)
    fd = _os.open(path, flags, 438)  # 0o666
    return DiskFile(path, fd, readable, writable)
