"""File-descriptor I/O on ``str`` values, as the translated runtime provides it.

RPy strings are text, so this module encodes and decodes UTF-8 at the boundary:
``write`` encodes its ``str`` argument, ``read`` and ``read_file`` decode what they read
(an invalid or cut-off UTF-8 sequence becomes U+FFFD). Sizes (``n`` of ``read``, the
result of ``write``) count bytes.

A translated binary buffers fd 1 in the runtime, like C's stdio, and flushes it before
reading stdin or writing to stderr. To give the same output order under CPython, writes
to fd 1 or 2 first flush ``sys.stdout`` and ``sys.stderr`` (so that earlier ``print``
output comes first), and reads from fd 0 first flush ``sys.stdout``.

Failures raise ``OSError(errno, strerror)`` with no file name, which is what the
translated runtime raises too.
"""

import os as _os
import sys as _sys

O_RDONLY = _os.O_RDONLY
O_WRONLY = _os.O_WRONLY
O_RDWR = _os.O_RDWR
O_CREAT = _os.O_CREAT
O_TRUNC = _os.O_TRUNC
O_APPEND = _os.O_APPEND


def _oserror(exc):
    return OSError(exc.errno, exc.strerror)


def write(fd, s):
    """Write the str ``s`` to ``fd`` as UTF-8, all of it; return the number of bytes."""
    if not isinstance(s, str):
        raise TypeError("kiln.os.write() expects a str, got %s" % type(s).__name__)
    if fd == 1 or fd == 2:
        _sys.stdout.flush()
        _sys.stderr.flush()
    data = s.encode("utf-8")
    view = memoryview(data)
    try:
        while view:
            written = _os.write(fd, view)
            view = view[written:]
    except OSError as exc:
        raise _oserror(exc) from None
    return len(data)


def read(fd, n):
    """Read at most ``n`` bytes from ``fd`` and return them decoded; '' at end of file."""
    if fd == 0:
        _sys.stdout.flush()
    try:
        data = _os.read(fd, n)
    except OSError as exc:
        raise _oserror(exc) from None
    return data.decode("utf-8", "replace")


def open(path, flags, mode=0o777):
    """Open ``path`` with ``O_*`` ``flags`` and return the new file descriptor."""
    try:
        return _os.open(path, flags, mode)
    except OSError as exc:
        raise _oserror(exc) from None


def close(fd):
    """Close the file descriptor ``fd``."""
    try:
        _os.close(fd)
    except OSError as exc:
        raise _oserror(exc) from None


def read_file(path):
    """Return the whole contents of the file at ``path``, decoded from UTF-8."""
    fd = open(path, O_RDONLY)
    try:
        chunks = []
        while True:
            try:
                chunk = _os.read(fd, 65536)
            except OSError as exc:
                raise _oserror(exc) from None
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        _os.close(fd)
    return b"".join(chunks).decode("utf-8", "replace")
