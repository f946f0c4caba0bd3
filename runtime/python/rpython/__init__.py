"""RPython's module names mapped onto Kiln's support package.

Sources written for RPython import ``rpython.rlib.jit``, ``rpython.rlib.objectmodel``,
``rpython.rlib.rarithmetic``, ``rpython.rlib.unroll``, ``rpython.rlib.debug`` and
``rpython.rlib.rgc``. These modules re-export the names Kiln provides (from ``kiln.*``),
so such sources run under CPython with ``PYTHONPATH=runtime/python`` and translate with
Kiln, which has the same modules built in. A name RPython has and Kiln does not is simply
absent: ``from rpython.rlib.jit import virtual_ref`` raises ``ImportError``, which code
that also runs without RPython may catch. The list of names is in ``docs/language.md``
("Porting from RPython").

Importing ``rpython`` also gives ``os.write`` RPython's behaviour for a ``str``: RPython's
``str`` is a byte string, so RPython code writes ``os.write(1, s)`` with its strings,
which CPython 3 rejects with ``TypeError``. After ``import rpython`` (which every
``rpython.*`` import does), ``os.write(fd, s)`` with a ``str`` writes it as UTF-8 through
``kiln.os.write``, exactly as a translated program does (flushing ``sys.stdout`` and
``sys.stderr`` first, so output keeps its order); ``bytes`` and other buffers are written
as before. Nothing else changes: ``os.read`` still returns ``bytes`` under CPython.
"""

import os as _os

from kiln import os as _kiln_os


def _install_str_write():
    if getattr(_os.write, "_rpython_str_write_", False):
        return
    bytes_write = _os.write

    def write(fd, data):
        """``os.write`` that also takes a ``str`` (written as UTF-8), as RPython's does."""
        if isinstance(data, str):
            return _kiln_os.write(fd, data)
        return bytes_write(fd, data)

    write._rpython_str_write_ = True
    write.__wrapped__ = bytes_write
    _os.write = write


_install_str_write()
